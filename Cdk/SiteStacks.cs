using Constructs;
using Site.Cdk.Ci;
using Site.Cdk.Site;

namespace Site.Cdk;

/// <summary>The stacks of one environment, composed the same way for `cdk synth` and for the tests.</summary>
public sealed record SiteStacks(CiStack Ci, DataStack Data, ServiceStack Service)
{
    public static SiteStacks Create(Construct app, DeploymentContext context, string mediaDirectory)
    {
        var ci = new CiStack(app, context.Settings, context.Region, context.GitHubRepository, context.OidcProviderArn);
        var data = new DataStack(app, context.Settings, context.Region, mediaDirectory);
        var service = new ServiceStack(app, new ServiceStackProps(
            context.Settings, context.Region, data, context.ImageTag, context.ImageDigest, context.Domain, context.HostedZoneId, context.CertificateArn,
            context.AlarmEmail, context.GitHubRepository));
        return new SiteStacks(ci, data, service);
    }
}
