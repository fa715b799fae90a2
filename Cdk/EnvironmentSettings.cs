using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.Logs;
using Site.Web.Data;
using Site.Web.Hosting;

namespace Site.Cdk;

/// <summary>Everything that differs between environments, in one place.</summary>
public sealed record EnvironmentSettings
{
    public const string Project = "site";

    public required string Name { get; init; }

    /// <summary>
    /// Prod: stateful resources retained (except by the rollback of their own create), termination protection on, the
    /// load balancer protected from deletion.
    /// </summary>
    public required bool Protected { get; init; }

    /// <summary>The service stack refuses to synthesize without a domain and a certificate for it.</summary>
    public required bool HttpsOnly { get; init; }

    public required int NatGateways { get; init; }

    public required InstanceClass DatabaseClass { get; init; }
    public required InstanceSize DatabaseSize { get; init; }
    public required int DatabaseStorageGiB { get; init; }
    public required int DatabaseMaxStorageGiB { get; init; }

    /// <summary>Zero switches automated backups off (the old system's cost saving, allowed in dev only).</summary>
    public required int BackupRetentionDays { get; init; }

    /// <summary>RDS enhanced monitoring (per-process and OS metrics) every this many seconds; zero switches it off.</summary>
    public required int DatabaseMonitoringSeconds { get; init; }

    public required DatabaseAuth DatabaseAuth { get; init; }

    /// <summary>
    /// RDS Proxy in front of the database (Site/DatabaseProxy.cs): the web containers sign in to it with IAM, it to the
    /// database, and the connection budget is its share. The proxy admits IAM sign-in only: web containers still on the
    /// master password (<see cref="DatabaseAuth.Password"/>) connect to the instance until the switch. <c>-c proxy=on|off</c>
    /// overrides it for one synth.
    /// </summary>
    public required bool DatabaseProxy { get; init; }

    /// <summary>The MySQL user the task role may connect as with an IAM token.</summary>
    public required string IamDatabaseUser { get; init; }

    public required int TaskCpu { get; init; }
    public required int TaskMemoryMiB { get; init; }
    public required int MinTasks { get; init; }
    public required int MaxTasks { get; init; }

    /// <summary>
    /// A blue/green deploy keeps the old tasks this long after the new ones take production traffic; a deployment
    /// alarm in that time moves traffic back. Longer than the alarms' evaluation, so that they can fire.
    /// </summary>
    public required int DeploymentBakeMinutes { get; init; }

    public required RetentionDays LogRetention { get; init; }

    /// <summary>Load balancer access logs are deleted after this many days.</summary>
    public required int AccessLogDays { get; init; }

    /// <summary>A web ACL (AWS WAF) in front of the load balancer: rate limits per client and AWS's managed rules.</summary>
    public required bool WebFirewall { get; init; }

    /// <summary>
    /// CloudFront in front of the load balancer and the media bucket (Service/Edge.cs); the load balancer then admits
    /// CloudFront only. <c>-c edge=on|off</c> overrides it for one synth.
    /// </summary>
    public required bool Edge { get; init; }

    /// <summary>
    /// The GitHub environment the deploy job declares; only runs in it may assume the deploy role. The
    /// environment's deployment branch rule (main only) is what keeps other branches out.
    /// </summary>
    public required string GitHubDeployEnvironment { get; init; }

    public required AlarmThresholds Alarms { get; init; }

    /// <summary>What the names of this environment's stacks and named resources start with.</summary>
    public string Prefix => $"{Project}-{Name}";

    public string StackName(string component) => $"{Prefix}-{component}";

    public string RepositoryName => Prefix;

    /// <summary>
    /// The web tasks' role, named so that the media bucket's policy in the data stack can name it without a reference
    /// to the service stack (which depends on the data stack). Role names are global to the account: hence the region.
    /// </summary>
    public string TaskRoleName(string region) => $"{Prefix}-web-task-{region}";

    /// <summary>
    /// Prod keeps stateful resources on stack deletion and replacement, but the rollback of a failed create deletes the
    /// ones it made: retained, named leftovers (log groups, the database) would make the retry fail on "already exists".
    /// </summary>
    public RemovalPolicy StatefulRemovalPolicy => Protected ? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE : RemovalPolicy.DESTROY;

    public static EnvironmentSettings Dev { get; } = new()
    {
        Name = "dev",
        Protected = false,
        HttpsOnly = false,
        NatGateways = 1,
        DatabaseClass = InstanceClass.BURSTABLE4_GRAVITON,
        DatabaseSize = InstanceSize.MICRO,
        DatabaseStorageGiB = 20,
        DatabaseMaxStorageGiB = 50,
        BackupRetentionDays = 0,
        DatabaseMonitoringSeconds = 0,
        // Both environments sign in with IAM tokens as a least-privileged user: no web container holds the master password.
        DatabaseAuth = DatabaseAuth.Iam,
        // Dev's two tasks gain little from pooling across them, and a proxy costs as much as a dev database (docs/deploy.md).
        DatabaseProxy = false,
        IamDatabaseUser = "site_app",
        TaskCpu = 256,
        TaskMemoryMiB = 512,
        MinTasks = 2,
        MaxTasks = 4,
        DeploymentBakeMinutes = 5,
        LogRetention = RetentionOf(LogKeeping.DevDays),
        AccessLogDays = LogKeeping.DevDays,
        WebFirewall = false,
        Edge = false,
        GitHubDeployEnvironment = "production",
        Alarms = new AlarmThresholds
        {
            LoadBalancer5xxPercent = 5,
            MinRequestsForRate = 50,
            Target5xxPerMinute = 10,
            AppErrorsPerMinute = 10,
            DatabaseFailuresPerMinute = 5,
            P99ResponseSeconds = 3,
            TaskCpuPercent = 80,
            TaskMemoryPercent = 80,
            DatabaseCpuPercent = 80,
            DatabaseConnections = 60,
            DatabaseFreeStorageGiB = 2,
        },
    };

    public static EnvironmentSettings Prod { get; } = Dev with
    {
        Name = "prod",
        Protected = true,
        HttpsOnly = true,
        NatGateways = 2,
        DatabaseClass = InstanceClass.STANDARD7_GRAVITON,
        DatabaseSize = InstanceSize.LARGE,
        DatabaseMaxStorageGiB = 200,
        BackupRetentionDays = 7,
        DatabaseMonitoringSeconds = 60,
        DatabaseProxy = true,
        TaskCpu = 512,
        TaskMemoryMiB = 1024,
        MaxTasks = 10,
        DeploymentBakeMinutes = 10,
        LogRetention = RetentionOf(LogKeeping.ProductionDays),
        AccessLogDays = LogKeeping.ProductionDays,
        WebFirewall = true,
        Edge = true,
        Alarms = Dev.Alarms with
        {
            LoadBalancer5xxPercent = 1,
            Target5xxPerMinute = 5,
            AppErrorsPerMinute = 5,
            DatabaseFailuresPerMinute = 3,
            P99ResponseSeconds = 2,
            DatabaseConnections = 500,
        },
    };

    public static IReadOnlyList<EnvironmentSettings> All { get; } = [Dev, Prod];

    public static EnvironmentSettings? Find(string? name) => All.FirstOrDefault(e => e.Name == name);

    // CloudWatch keeps logs only for the periods RetentionDays names.
    private static RetentionDays RetentionOf(int days) => days switch
    {
        30 => RetentionDays.ONE_MONTH,
        90 => RetentionDays.THREE_MONTHS,
        _ => throw new ArgumentOutOfRangeException(nameof(days), days, "Not a retention CloudWatch offers here; add it to RetentionOf."),
    };
}
