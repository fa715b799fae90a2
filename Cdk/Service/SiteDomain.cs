namespace Site.Cdk.Service;

/// <summary>
/// The public name of the site, <c>www</c> under a domain, served over HTTPS. With a Route 53 zone the certificate is
/// validated and the record made in it; with an imported certificate (ARN) the domain's owner points www at the load
/// balancer. With both, the imported certificate is used and the record made in the zone.
/// </summary>
public sealed record SiteDomain(string ZoneName, string? HostedZoneId, string? CertificateArn)
{
    public string HostName => $"www.{ZoneName}";
}
