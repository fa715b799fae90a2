using Amazon.CDK;
using Amazon.CDK.AWS.Route53;
using Amazon.CDK.AWS.SES;
using Constructs;

namespace Site.Cdk.Service;

/// <summary>
/// The site's domain as an Amazon SES identity, so that mail to the owner can be sent from an address of it, signed
/// with Easy DKIM. With a Route 53 zone the DKIM records are made in it and SES verifies the domain by itself; without
/// one, the DkimRecords output lists the three CNAME records to make at the domain's DNS provider.
/// </summary>
public sealed class MailDomain : Construct
{
    public MailDomain(Construct scope, string id, SiteDomain domain) : base(scope, id)
    {
        Identity = new EmailIdentity(this, "Identity", new EmailIdentityProps
        {
            Identity = domain.HostedZoneId is null
                ? Amazon.CDK.AWS.SES.Identity.Domain(domain.ZoneName)
                : Amazon.CDK.AWS.SES.Identity.PublicHostedZone(PublicHostedZone.FromPublicHostedZoneAttributes(this, "Zone", new PublicHostedZoneAttributes
                {
                    ZoneName = domain.ZoneName,
                    HostedZoneId = domain.HostedZoneId,
                })),
        });
        if (domain.HostedZoneId is null)
        {
            _ = new CfnOutput(this, "DkimRecords", new CfnOutputProps
            {
                Description = "CNAME records that verify the domain for Amazon SES (name CNAME value), to make at the domain's DNS provider",
                Value = Fn.Join(" ; ", [
                    $"{Identity.DkimDnsTokenName1} CNAME {Identity.DkimDnsTokenValue1}",
                    $"{Identity.DkimDnsTokenName2} CNAME {Identity.DkimDnsTokenValue2}",
                    $"{Identity.DkimDnsTokenName3} CNAME {Identity.DkimDnsTokenValue3}",
                ]),
            });
        }
    }

    public EmailIdentity Identity { get; }
}
