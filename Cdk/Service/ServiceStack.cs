using System.Text.RegularExpressions;
using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.ECR;
using Amazon.CDK.AWS.Route53;
using Constructs;
using Site.Cdk.Data;
using Site.Web.Hosting;

namespace Site.Cdk.Service;

public sealed record ServiceStackProps
{
    public required EnvironmentSettings Settings { get; init; }

    public required string Region { get; init; }

    public required DataStack Data { get; init; }

    /// <summary>The commit the image was built from: its tag in the environment's repository, and APP_VERSION.</summary>
    public string? ImageTag { get; init; }

    /// <summary>
    /// The digest that tag named when CI pushed it (sha256:...); the task definition then names the image by digest,
    /// so the tested image is what runs. Without it (synth, pull request diffs) the tag names the image.
    /// </summary>
    public string? ImageDigest { get; init; }

    /// <summary>
    /// Zone name for HTTPS on www.&lt;domain&gt;; required where the settings are HTTPS only, elsewhere without it the
    /// site is HTTP on the load balancer's name.
    /// </summary>
    public string? Domain { get; init; }

    /// <summary>The domain's Route 53 zone: a certificate is validated and the www record made in it.</summary>
    public string? HostedZoneId { get; init; }

    /// <summary>An ACM certificate for www.&lt;domain&gt;, for a domain whose DNS is not in Route 53.</summary>
    public string? CertificateArn { get; init; }

    /// <summary>Address subscribed to the alarm topic, from -c alarmEmail=...; optional.</summary>
    public string? AlarmEmail { get; init; }

    /// <summary>owner/name of the repository, whose owner's guide /admin links to; optional.</summary>
    public string? GitHubRepository { get; init; }
}

/// <summary>
/// Everything that can be torn down and rebuilt without losing data: cluster, load balancer, service, and the
/// alarms, saved queries and dashboard that watch them.
/// </summary>
public sealed partial class ServiceStack : ComponentStack
{
    public const string MissingImageTag = "image-tag-not-set";

    public ServiceStack(Construct scope, ServiceStackProps props)
        : base(scope, "service", props.Settings, props.Region)
    {
        var settings = props.Settings;
        Require(!string.IsNullOrWhiteSpace(props.ImageTag) && props.ImageTag != "latest",
            "The service stack runs one built image: pass -c imageTag=<git sha> (never 'latest').");
        Require(props.ImageDigest is null || ImageDigestFormat().IsMatch(props.ImageDigest),
            $"-c imageDigest must be sha256: and 64 lowercase hex digits, as ECR reports it (got '{props.ImageDigest}').");
        var hasCertificateSource = props.HostedZoneId is not null || props.CertificateArn is not null;
        Require(props.Domain is null || hasCertificateSource,
            "HTTPS on -c domain=<name> needs -c hostedZoneId=<Route 53 zone id> or -c certificateArn=<ACM certificate ARN for www.<name>>.");
        Require(props.Domain is not null || !hasCertificateSource,
            "-c hostedZoneId and -c certificateArn are for a domain: pass -c domain=<name> too.");
        Require(!settings.HttpsOnly || props.Domain is not null,
            $"{settings.Name} is HTTPS only: pass -c domain=<name> with -c hostedZoneId=<Route 53 zone id>, or with "
            + "-c certificateArn=<ACM certificate ARN for www.<name>> and point www.<name> at the DistributionDomainName output (LoadBalancerDnsName with -c edge=off).");

        Require(!settings.Edge || props.Domain is not null,
            "The edge (CloudFront) serves www.<domain>: pass -c domain=<name>, or -c edge=off.");
        Require(!settings.Edge || props.Region == Edge.Region,
            $"The edge (CloudFront) is made in {Edge.Region} only, where its certificate and web ACL must be: deploy {settings.Name} there, or pass -c edge=off (docs/deploy.md).");

        var data = props.Data;
        var domain = props.Domain is not null && hasCertificateSource ? new SiteDomain(props.Domain, props.HostedZoneId, props.CertificateArn) : null;
        if (domain is not null)
        {
            _ = new MailDomain(this, "MailDomain", domain);
        }

        Web = new WebService(this, "Web", new WebServiceProps
        {
            EnvironmentName = settings.Name,
            TaskRoleName = settings.TaskRoleName(props.Region),
            TaskCpu = settings.TaskCpu,
            TaskMemoryMiB = settings.TaskMemoryMiB,
            MinTasks = settings.MinTasks,
            MaxTasks = settings.MaxTasks,
            DeploymentBakeMinutes = settings.DeploymentBakeMinutes,
            Protected = settings.Protected,
            ProxyHops = settings.Edge ? ProxyHops.EdgeAndLoadBalancer : ProxyHops.LoadBalancer,
            Network = data.Network,
            Database = data.Database,
            DatabaseAuth = settings.DatabaseAuth,
            IamDatabaseUser = settings.IamDatabaseUser,
            DatabasePoolSize = ConnectionBudget.For(settings).PoolPerTask,
            Media = data.Media,
            AdminSecret = data.Admin.Secret,
            MailSecret = data.Mail.Secret,
            DataProtectionKey = data.DataProtectionKey,
            Logs = data.AppLogs,
            AccessLogs = data.AccessLogs.Bucket,
            Images = Repository.FromRepositoryName(this, "Images", settings.RepositoryName),
            ImageTag = props.ImageTag ?? MissingImageTag,
            ImageDigest = props.ImageDigest,
            Domain = domain,
            OwnerGuide = props.GitHubRepository is null ? null : new Uri($"https://github.com/{props.GitHubRepository}/blob/main/docs/owner-guide.md#e-mail"),
            Proxy = data.Proxy,
        });

        Monitoring = new Monitoring(this, "Monitoring", new MonitoringProps
        {
            Name = settings.Prefix,
            MetricNamespace = LogFields.MetricNamespace(settings.Name),
            Thresholds = settings.Alarms,
            AppLogs = data.AppLogs,
            Web = Web.Service,
            AlternateTargets = Web.AlternateTargetGroup,
            Database = data.Database.Instance,
            Proxy = data.Proxy,
            AlarmEmail = props.AlarmEmail,
        });

        var edge = settings.Edge;
        WebFirewall? firewall = null;
        if (data.FirewallLogs is { } firewallLogs)
        {
            firewall = new WebFirewall(this, "Firewall", new WebFirewallProps
            {
                Name = settings.Prefix,
                LoadBalancer = edge ? null : Web.Service.LoadBalancer,
                Logs = firewallLogs,
            });
            _ = Monitoring.Watch("waf-blocked", "The web ACL keeps blocking requests: an attack, or visitors refused by mistake (see its sampled requests)",
                firewall.BlockedRequests(Duration.Minutes(5)), WebFirewall.BlockedAlarmPerFiveMinutes,
                ComparisonOperator.GREATER_THAN_THRESHOLD, periods: 3, datapoints: 3);
        }

        if (edge && domain is not null)
        {
            var site = new Edge(this, "Edge", new EdgeProps
            {
                Web = Web,
                Media = data.Media.Bucket,
                Domain = domain,
                Certificate = Web.Service.Certificate!,
                WebAclArn = firewall?.Acl.AttrArn,
                Record = Web.Service.Node.TryFindChild("DNS") as ARecord,
            });
            _ = new CfnOutput(this, "DistributionDomainName", new CfnOutputProps
            {
                Description = "Where www points with the edge on: an alias in Route 53, or a CNAME at the DNS provider of a domain outside it",
                Value = site.Distribution.DistributionDomainName,
            });
        }

        _ = new CfnOutput(this, "SiteUrl", new CfnOutputProps { Value = Web.Url });
        _ = new CfnOutput(this, "LoadBalancerDnsName", new CfnOutputProps
        {
            Description = "Where www points with the edge off: an alias in Route 53, or a CNAME at the DNS provider of a domain outside it",
            Value = Web.Service.LoadBalancer.LoadBalancerDnsName,
        });
        _ = new CfnOutput(this, "DashboardUrl", new CfnOutputProps { Value = Monitoring.DashboardUrl });
    }

    public WebService Web { get; }

    public Monitoring Monitoring { get; }

    [GeneratedRegex(@"^sha256:[0-9a-f]{64}\z")]
    private static partial Regex ImageDigestFormat();
}
