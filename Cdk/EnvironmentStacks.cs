using Constructs;
using Site.Cdk.Ci;
using Site.Cdk.Data;
using Site.Cdk.Service;

namespace Site.Cdk;

/// <summary>The stacks of one environment, composed the same way for `cdk synth` and for the tests.</summary>
public sealed record EnvironmentStacks(CiStack Ci, DataStack Data, ServiceStack Service)
{
    public static EnvironmentStacks Create(Construct app, DeploymentContext context, string mediaDirectory)
    {
        var ci = new CiStack(app, context.Settings, context.Region, context.GitHubRepository, context.OidcProviderArn);
        var data = new DataStack(app, context.Settings, context.Region, mediaDirectory);
        var service = new ServiceStack(app, new ServiceStackProps
        {
            Settings = context.Settings,
            Region = context.Region,
            Data = data,
            ImageTag = context.ImageTag,
            ImageDigest = context.ImageDigest,
            Domain = context.Domain,
            HostedZoneId = context.HostedZoneId,
            CertificateArn = context.CertificateArn,
            AlarmEmail = context.AlarmEmail,
            GitHubRepository = context.GitHubRepository,
        });
        return new EnvironmentStacks(ci, data, service);
    }
}
