using Amazon.CDK;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.ECR;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.ECS.Patterns;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.Route53;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;
using Site.Cdk.Data;
using Site.Web.Admin;
using Site.Web.Data;
using Site.Web.Hosting;
using Site.Web.Media;
using Site.Web.Notifications;
using HealthCheck = Amazon.CDK.AWS.ElasticLoadBalancingV2.HealthCheck;
using Protocol = Amazon.CDK.AWS.ElasticLoadBalancingV2.ApplicationProtocol;
using Secret = Amazon.CDK.AWS.ECS.Secret;

namespace Site.Cdk.Service;

public sealed record WebServiceProps
{
    /// <summary>The environment's name, as the app is told it and the roles describe it.</summary>
    public required string EnvironmentName { get; init; }

    /// <summary>The web tasks' role's name, which the media bucket's policy names.</summary>
    public required string TaskRoleName { get; init; }

    public required int TaskCpu { get; init; }

    public required int TaskMemoryMiB { get; init; }

    public required int MinTasks { get; init; }

    public required int MaxTasks { get; init; }

    /// <summary>How long a blue/green deploy keeps the old tasks once the new ones take production traffic.</summary>
    public required int DeploymentBakeMinutes { get; init; }

    /// <summary>Keeps the load balancer on stack deletion and protects it from deletion.</summary>
    public required bool Protected { get; init; }

    /// <summary>How many proxies append to X-Forwarded-For before the app (<see cref="Site.Web.Hosting.ProxyHops"/>).</summary>
    public required int ProxyHops { get; init; }

    public required Network Network { get; init; }

    public required Database Database { get; init; }

    public required DatabaseAuth DatabaseAuth { get; init; }

    /// <summary>The MySQL user the task role may connect as with an IAM token.</summary>
    public required string IamDatabaseUser { get; init; }

    /// <summary>Each task's share of the database's connections (<see cref="ConnectionBudget"/>).</summary>
    public required int DatabasePoolSize { get; init; }

    public required MediaStore Media { get; init; }

    public required ISecret AdminSecret { get; init; }

    public required ISecret MailSecret { get; init; }

    public required ISecret DataProtectionKey { get; init; }

    public required ILogGroup Logs { get; init; }

    public required IBucket AccessLogs { get; init; }

    public required IRepository Images { get; init; }

    /// <summary>The commit the image was built from: its tag, and APP_VERSION.</summary>
    public required string ImageTag { get; init; }

    /// <summary>The digest the tag named when CI pushed it; the task definition then names the image by it.</summary>
    public string? ImageDigest { get; init; }

    /// <summary>HTTPS on www.&lt;domain&gt;; without one the site is HTTP on the load balancer's name.</summary>
    public SiteDomain? Domain { get; init; }

    /// <summary>The owner's guide to e-mail, which /admin links to.</summary>
    public Uri? OwnerGuide { get; init; }

    /// <summary>RDS Proxy in front of the database, where the environment has one.</summary>
    public DatabaseProxy? Proxy { get; init; }
}

/// <summary>
/// The site on Fargate behind an internet-facing load balancer, with blue/green deploys that roll back on
/// failure or alarm, and CPU-based scaling. The timing numbers are explained in docs/architecture.md.
/// </summary>
public sealed class WebService : Construct
{
    public const string ContainerName = "web";
    public const string ProvisionContainerName = "provision-database";
    public const string HealthCheckPath = "/health/ready";
    public const string AppDll = "/app/Site.Web.dll";
    public const string RdsCaBundle = "/app/certs/rds-global-bundle.pem";

    /// <summary>The roots RDS Proxy's certificates chain to (Amazon Trust Services), not the RDS CAs.</summary>
    public const string RdsProxyCaBundle = "/app/certs/rds-proxy-bundle.pem";
    public const int TargetCpuPercent = 50;

    /// <summary>A deploy starts all the new tasks before stopping old ones; the connection budget counts them all.</summary>
    public const int MaxHealthyPercent = 200;

    public static Duration StopTimeout { get; } = Duration.Seconds(30);
    public static Duration DeregistrationDelay { get; } = Duration.Seconds(20);
    public static Duration HealthCheckGracePeriod { get; } = Duration.Seconds(60);
    public static Duration HealthCheckInterval { get; } = Duration.Seconds(10);
    public static Duration HealthCheckTimeout { get; } = Duration.Seconds(5);
    public const int HealthyThreshold = 2;
    public const int UnhealthyThreshold = 3;
    public static Duration ScaleOutCooldown { get; } = Duration.Seconds(60);
    public static Duration ScaleInCooldown { get; } = Duration.Seconds(300);
    public static Duration ProbeInterval { get; } = Duration.Seconds(15);
    public static Duration ProbeTimeout { get; } = Duration.Seconds(5);
    public const int ProbeRetries = 3;
    public static Duration ProbeStartPeriod { get; } = Duration.Seconds(30);

    public WebService(Construct scope, string id, WebServiceProps props) : base(scope, id)
    {
        var network = props.Network;

        var taskRole = new Role(this, "TaskRole", new RoleProps
        {
            // The media bucket's policy names this role.
            RoleName = props.TaskRoleName,
            Description = $"The {props.EnvironmentName} site's web tasks",
            AssumedBy = new ServicePrincipal("ecs-tasks.amazonaws.com"),
        });
        var task = new FargateTaskDefinition(this, "Task", new FargateTaskDefinitionProps
        {
            TaskRole = taskRole,
            Cpu = props.TaskCpu,
            MemoryLimitMiB = props.TaskMemoryMiB,
            RuntimePlatform = new RuntimePlatform
            {
                CpuArchitecture = CpuArchitecture.ARM64,
                OperatingSystemFamily = OperatingSystemFamily.LINUX,
            },
        });
        // A digest ("sha256:...") gives <repository>@sha256:..., a tag <repository>:<tag>; both grant the pull.
        var image = ContainerImage.FromEcrRepository(props.Images, props.ImageDigest ?? props.ImageTag);
        var web = task.AddContainer(ContainerName, new ContainerDefinitionOptions
        {
            Image = image,
            PortMappings = [new PortMapping { ContainerPort = Network.AppPort }],
            Environment = WebEnvironment(props),
            Secrets = WebSecrets(props),
            StopTimeout = StopTimeout,
            // The runtime image has no shell or curl: the app probes its own liveness endpoint.
            HealthCheck = new Amazon.CDK.AWS.ECS.HealthCheck
            {
                Command = ["CMD", "dotnet", AppDll, AppCommands.Probe],
                Interval = ProbeInterval,
                Timeout = ProbeTimeout,
                Retries = ProbeRetries,
                StartPeriod = ProbeStartPeriod,
            },
            Logging = Logging(props, ContainerName),
        });
        if (props.DatabaseAuth == DatabaseAuth.Iam)
        {
            // The one step that holds the master password, and ends: it creates (or repairs) the IAM user, and the
            // web container starts only once it has succeeded. It runs in every task, so the user is there before
            // any web container needs it, a new environment included, and no deploy step can be forgotten.
            var provision = task.AddContainer(ProvisionContainerName, new ContainerDefinitionOptions
            {
                Image = image,
                Essential = false,
                Command = [AppCommands.ProvisionDatabase],
                Environment = new Dictionary<string, string>(DatabaseEnvironment(props))
                {
                    [DatabaseVariables.Auth] = nameof(DatabaseAuth.Password),
                    [DatabaseVariables.IamUser] = props.IamDatabaseUser,
                    // Beside the proxy, straight to the database: its connections are counted apart from the tasks' share.
                    [DatabaseVariables.MaxPoolSize] = (ThroughProxy(props) is null ? props.DatabasePoolSize : ConnectionBudget.ProvisioningConnections)
                        .ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
                Secrets = MasterUser(props),
                Logging = Logging(props, ProvisionContainerName),
            });
            web.AddContainerDependencies(new ContainerDependency { Container = provision, Condition = ContainerDependencyCondition.SUCCESS });
        }

        props.Media.GrantSite(taskRole);
        // Tokens for the proxy where the web containers sign in there: a token for the instance itself would be refused.
        _ = ThroughProxy(props) is { } proxy
            ? proxy.GrantConnect(taskRole, props.IamDatabaseUser)
            : props.Database.GrantConnect(taskRole, props.IamDatabaseUser);
        NagSuppressions.Add(task, new NagSuppression("AwsSolutions-ECS2",
            "The environment holds plain configuration only; every secret comes from Secrets Manager through the container's secrets"));
        NagSuppressions.Add(taskRole.Node.FindChild("DefaultPolicy"), new NagSuppression("AwsSolutions-IAM5",
            "The site serves any file of the media bucket, so it may read every object in it (GetObject only); it writes and "
            + "deletes the owner's uploads, every object under uploads/ (PutObject and DeleteObject only)",
            @"/^Resource::.*MediaBucket.*\/\*$/", @"/^Resource::.*MediaBucket.*\/uploads\/\*$/"));
        NagSuppressions.Add(task.ExecutionRole!.Node.FindChild("DefaultPolicy"), new NagSuppression("AwsSolutions-IAM5",
            "ecr:GetAuthorizationToken has no resource to name; the image pull itself is limited to this environment's repository", "Resource::*"));

        var loadBalancer = new ApplicationLoadBalancer(this, "LoadBalancer", new Amazon.CDK.AWS.ElasticLoadBalancingV2.ApplicationLoadBalancerProps
        {
            Vpc = network.Vpc,
            InternetFacing = true,
            VpcSubnets = Network.PublicSubnets,
            SecurityGroup = network.LoadBalancerGroup,
            DropInvalidHeaderFields = true,
            // Where DNS outside Route 53 points www at this load balancer's name, deleting it takes the site down until
            // the record is changed by hand.
            DeletionProtection = props.Protected,
        });
        // A protected load balancer cannot be deleted by the rollback of a failed first create, which would then end in
        // ROLLBACK_FAILED and stop the automatic retry. Kept instead (DELETE_SKIPPED), it blocks nothing: its name is
        // generated. The retry names it for cleaning up (scripts/retry-failed-create.sh).
        if (props.Protected)
        {
            loadBalancer.ApplyRemovalPolicy(RemovalPolicy.RETAIN);
        }
        loadBalancer.LogAccessLogs(props.AccessLogs, AccessLogStore.LoadBalancerPrefix);

        var domain = props.Domain;
        Service = new ApplicationLoadBalancedFargateService(this, "Service", new ApplicationLoadBalancedFargateServiceProps
        {
            Cluster = new Cluster(this, "Cluster", new ClusterProps { Vpc = network.Vpc, ContainerInsights = true }),
            TaskDefinition = task,
            LoadBalancer = loadBalancer,
            // The load balancer's group already admits 80/443; the pattern would add its own 0.0.0.0/0 rules.
            OpenListener = false,
            TaskSubnets = Network.PrivateSubnets,
            AssignPublicIp = false,
            SecurityGroups = [network.AppGroup],
            // No DesiredCount: auto scaling owns the count, and a deploy that named one would reset a scaled-out service
            // (CDK v2 writes none by default). A new service starts with one task and registering the scalable target
            // raises it to MinTasks (docs/architecture.md).
            MinHealthyPercent = 100,
            MaxHealthyPercent = MaxHealthyPercent,
            CircuitBreaker = new DeploymentCircuitBreaker { Enable = true, Rollback = true },
            HealthCheckGracePeriod = HealthCheckGracePeriod,
            PropagateTags = PropagatedTagSource.SERVICE,
            EnableECSManagedTags = true,
            Protocol = domain is null ? Protocol.HTTP : Protocol.HTTPS,
            RedirectHTTP = domain is not null,
            SslPolicy = domain is null ? null : SslPolicy.RECOMMENDED_TLS,
            Certificate = domain?.CertificateArn is null ? null : Certificate.FromCertificateArn(this, "Certificate", domain.CertificateArn),
            // Without a zone the pattern must not be given the name: it would insist on making the record.
            DomainName = domain?.HostedZoneId is null ? null : domain.HostName,
            DomainZone = domain?.HostedZoneId is null ? null : HostedZone.FromHostedZoneAttributes(this, "Zone", new HostedZoneAttributes
            {
                ZoneName = domain.ZoneName,
                HostedZoneId = domain.HostedZoneId,
            }),
            RecordType = ApplicationLoadBalancedServiceRecordType.ALIAS,
        });

        AlternateTargetGroup = new ApplicationTargetGroup(this, "AlternateTargetGroup", new ApplicationTargetGroupProps
        {
            Vpc = network.Vpc,
            Port = Network.AppPort,
            Protocol = Protocol.HTTP,
            TargetType = TargetType.IP,
        });
        foreach (var targets in new[] { Service.TargetGroup, AlternateTargetGroup })
        {
            targets.ConfigureHealthCheck(new HealthCheck
            {
                Path = HealthCheckPath,
                HealthyHttpCodes = "200",
                Interval = HealthCheckInterval,
                Timeout = HealthCheckTimeout,
                HealthyThresholdCount = HealthyThreshold,
                UnhealthyThresholdCount = UnhealthyThreshold,
            });
            targets.SetAttribute("deregistration_delay.timeout_seconds",
                DeregistrationDelay.ToSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        ProductionRule = DeployBlueGreen(props, loadBalancer, domain is not null);

        Service.Service.AutoScaleTaskCount(new Amazon.CDK.AWS.ApplicationAutoScaling.EnableScalingProps
        {
            MinCapacity = props.MinTasks,
            MaxCapacity = props.MaxTasks,
        }).ScaleOnCpuUtilization("Cpu", new CpuUtilizationScalingProps
        {
            TargetUtilizationPercent = TargetCpuPercent,
            ScaleOutCooldown = ScaleOutCooldown,
            ScaleInCooldown = ScaleInCooldown,
        });

        Domain = domain;
        Url = domain is null ? $"http://{loadBalancer.LoadBalancerDnsName}" : $"https://{domain.HostName}";
    }

    public ApplicationLoadBalancedFargateService Service { get; }

    /// <summary>Where a blue/green deploy starts the new tasks; after a deploy it may be the one serving.</summary>
    public ApplicationTargetGroup AlternateTargetGroup { get; }

    /// <summary>The rule that takes visitors' requests to the serving target group; every other request is refused.</summary>
    public ApplicationListenerRule ProductionRule { get; }

    public string Url { get; }

    public SiteDomain? Domain { get; }

    /// <summary>
    /// ECS's own blue/green deploy: the new tasks start in the target group that is not serving, take the test
    /// listener's traffic, then production's, and the old tasks stay for the bake time, during which a deployment alarm
    /// or the circuit breaker moves production back to them. ECS moves traffic by rewriting the weights of the two
    /// rules' forward actions, so nothing may forward by default: a target group the default action named could be
    /// the empty one after a deploy.
    /// </summary>
    private ApplicationListenerRule DeployBlueGreen(WebServiceProps props, ApplicationLoadBalancer loadBalancer, bool https)
    {
        var blue = Service.TargetGroup;
        var green = AlternateTargetGroup;
        var forward = ListenerAction.WeightedForward(
        [
            new WeightedTargetGroup { TargetGroup = blue, Weight = 100 },
            new WeightedTargetGroup { TargetGroup = green, Weight = 0 },
        ]);
        // The pattern's default action forwards to its target group; replaced on the L1, which CDK 2.160 allows no other way.
        ((CfnListener)Service.Listener.Node.DefaultChild!).DefaultActions = Refusal().RenderActions();
        var productionRule = new ApplicationListenerRule(this, "ProductionRule", new ApplicationListenerRuleProps
        {
            Listener = Service.Listener,
            Priority = 1,
            Conditions = [ListenerCondition.PathPatterns(["*"])],
            Action = forward,
        });
        var testListener = loadBalancer.AddListener("TestListener", new BaseApplicationListenerProps
        {
            Port = Network.TestListenerPort,
            Protocol = https ? Protocol.HTTPS : Protocol.HTTP,
            Certificates = https ? [ListenerCertificate.FromCertificateManager(Service.Certificate!)] : null,
            SslPolicy = https ? SslPolicy.RECOMMENDED_TLS : null,
            // Reached from inside the VPC only (Network): the security group admits nothing else on this port.
            Open = false,
            DefaultAction = Refusal(),
        });
        var testRule = new ApplicationListenerRule(this, "TestRule", new ApplicationListenerRuleProps
        {
            Listener = testListener,
            Priority = 1,
            Conditions = [ListenerCondition.PathPatterns(["*"])],
            Action = forward,
        });

        var trafficRole = new Role(this, "TrafficShiftRole", new RoleProps
        {
            Description = $"ECS moves the {props.EnvironmentName} site's traffic between its target groups in a blue/green deploy",
            AssumedBy = new ServicePrincipal("ecs.amazonaws.com"),
            ManagedPolicies = [ManagedPolicy.FromAwsManagedPolicyName("AmazonECSInfrastructureRolePolicyForLoadBalancers")],
        });
        NagSuppressions.Add(trafficRole, new NagSuppression("AwsSolutions-IAM4",
            "AWS's policy for ECS blue/green traffic shifting: the listener and rule changes ECS makes, kept current by AWS",
            "Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers"));

        var service = (CfnService)Service.Service.Node.DefaultChild!;
        service.AddPropertyOverride("DeploymentConfiguration.Strategy", "BLUE_GREEN");
        service.AddPropertyOverride("DeploymentConfiguration.BakeTimeInMinutes", props.DeploymentBakeMinutes);
        service.AddPropertyOverride("LoadBalancers.0.AdvancedConfiguration", new Dictionary<string, object>
        {
            ["AlternateTargetGroupArn"] = green.TargetGroupArn,
            ["ProductionListenerRule"] = productionRule.ListenerRuleArn,
            ["TestListenerRule"] = testRule.ListenerRuleArn,
            ["RoleArn"] = trafficRole.RoleArn,
        });
        return productionRule;
    }

    /// <summary>What a request no rule takes is answered: never a target group, which may be the empty one.</summary>
    private static ListenerAction Refusal() =>
        ListenerAction.FixedResponse(403, new FixedResponseOptions { ContentType = "text/plain", MessageBody = "Forbidden" });

    private static LogDriver Logging(WebServiceProps props, string streamPrefix) => LogDriver.AwsLogs(new AwsLogDriverProps
    {
        LogGroup = props.Logs,
        StreamPrefix = streamPrefix,
        // A slow CloudWatch endpoint must never stall requests; the buffer absorbs bursts.
        Mode = AwsLogDriverMode.NON_BLOCKING,
        MaxBufferSize = Size.Mebibytes(25),
    });

    /// <summary>Where the database is and how to reach it safely: the same for every container that signs in.</summary>
    private static Dictionary<string, string> DatabaseEnvironment(WebServiceProps props) => new()
    {
        [SiteVariables.AppVersion] = props.ImageTag,
        [SiteVariables.Environment] = props.EnvironmentName,
        ["AWS_REGION"] = Stack.Of(props.Network).Region,
        [DatabaseVariables.Host] = props.Database.Instance.DbInstanceEndpointAddress,
        [DatabaseVariables.Port] = props.Database.Instance.DbInstanceEndpointPort,
        [DatabaseVariables.Name] = Database.Name,
        [DatabaseVariables.SslMode] = DatabaseVariables.VerifyFullSslMode,
        [DatabaseVariables.SslCa] = RdsCaBundle,
        [DatabaseVariables.MaxPoolSize] = props.DatabasePoolSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// The proxy the web containers sign in to: the one in front of the database, once they sign in with IAM. With the
    /// master password (an environment not yet switched) they connect to the instance, as the proxy admits IAM only.
    /// </summary>
    private static DatabaseProxy? ThroughProxy(WebServiceProps props) => props.DatabaseAuth == DatabaseAuth.Iam ? props.Proxy : null;

    private static Dictionary<string, string> WebEnvironment(WebServiceProps props)
    {
        var environment = new Dictionary<string, string>(DatabaseEnvironment(props))
        {
            ["ASPNETCORE_HTTP_PORTS"] = Network.AppPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [DatabaseVariables.Auth] = props.DatabaseAuth.ToString(),
            [MediaVariables.Provider] = nameof(MediaProvider.S3),
            [MediaVariables.Bucket] = props.Media.Bucket.BucketName,
            [ProxyHops.Key.Replace(":", "__", StringComparison.Ordinal)] = props.ProxyHops.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Amazon SES in the stack's region; the credentials and addresses are the mail secret's.
            [MailVariables.Host] = MailSecret.SesSmtpHost(Stack.Of(props.Network).Region),
            [MailVariables.Port] = MailSecret.SubmissionPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [MailVariables.Security] = nameof(MailSecurity.StartTls),
        };
        if (ThroughProxy(props) is { } proxy)
        {
            // The token is signed for the host and port connected to, so these name the proxy, whose certificate
            // chains to Amazon Trust Services' roots.
            environment[DatabaseVariables.Host] = proxy.Endpoint;
            environment[DatabaseVariables.Port] = DatabaseProxy.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            environment[DatabaseVariables.SslCa] = RdsProxyCaBundle;
        }

        if (props.OwnerGuide is not null)
        {
            environment[MailVariables.GuideUrl] = props.OwnerGuide.ToString();
        }

        // With IAM the site signs in as the IAM user with tokens. With the master password (an environment not yet
        // switched) it creates that user itself, so that the switch to IAM needs no manual step.
        environment[props.DatabaseAuth == DatabaseAuth.Iam ? DatabaseVariables.User : DatabaseVariables.IamUser] = props.IamDatabaseUser;
        return environment;
    }

    private static Dictionary<string, Secret> WebSecrets(WebServiceProps props)
    {
        var secrets = new Dictionary<string, Secret>
        {
            [AdminVariables.User] = Secret.FromSecretsManager(props.AdminSecret, AdminSecret.UserField),
            [AdminVariables.PasswordHash] = Secret.FromSecretsManager(props.AdminSecret, AdminSecret.PasswordHashField),
            [DataProtectionVariables.KeyEncryptionKey] = Secret.FromSecretsManager(props.DataProtectionKey, DataStack.DataProtectionKeyField),
        };
        foreach (var (field, setting) in MailSecret.Settings)
        {
            secrets[setting] = Secret.FromSecretsManager(props.MailSecret, field);
        }

        return props.DatabaseAuth == DatabaseAuth.Password ? new(secrets.Concat(MasterUser(props))) : secrets;
    }

    /// <summary>The master credentials, read by ECS as the container starts: a rotated password is the next task's.</summary>
    private static Dictionary<string, Secret> MasterUser(WebServiceProps props) => new()
    {
        [DatabaseVariables.User] = Secret.FromSecretsManager(props.Database.Secret, "username"),
        [DatabaseVariables.Password] = Secret.FromSecretsManager(props.Database.Secret, "password"),
    };
}
