using Amazon.CDK;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;
using Site.Web.Admin;
using Site.Web.Notifications;

namespace Site.Cdk.Data;

/// <summary>
/// What outlives any deploy of the service: network, database, media, the app's secrets and its logs.
/// In prod every stateful resource is retained and the stack is termination-protected.
/// </summary>
public sealed class DataStack : ComponentStack
{
    public const string DataProtectionKeyField = "key";

    public DataStack(Construct scope, EnvironmentSettings settings, string region, string mediaDirectory)
        : base(scope, "data", settings, region)
    {
        AccessLogs = new AccessLogStore(this, "AccessLogs", new AccessLogStoreProps
        {
            ExpireAfterDays = settings.AccessLogDays,
            RemovalPolicy = settings.StatefulRemovalPolicy,
            // Outside prod the stack must be deletable although the load balancer keeps writing logs.
            AutoDeleteObjects = !settings.Protected,
        });
        Network = new Network(this, "Network", new NetworkProps
        {
            NatGateways = settings.NatGateways,
            FlowLogs = AccessLogs.Bucket,
            Edge = settings.Edge,
        });
        Database = new Database(this, "Database", new DatabaseProps
        {
            Vpc = Network.Vpc,
            Group = Network.DatabaseGroup,
            ClientGroup = Network.AppGroup,
            Identifier = settings.Prefix,
            InstanceType = Amazon.CDK.AWS.EC2.InstanceType.Of(settings.DatabaseClass, settings.DatabaseSize),
            StorageGiB = settings.DatabaseStorageGiB,
            MaxStorageGiB = settings.DatabaseMaxStorageGiB,
            BackupRetentionDays = settings.BackupRetentionDays,
            KeepAutomatedBackups = settings.Protected,
            MonitoringSeconds = settings.DatabaseMonitoringSeconds,
            MaxConnections = ConnectionBudget.For(settings).MaxConnections,
            LogRetention = settings.LogRetention,
            RemovalPolicy = settings.StatefulRemovalPolicy,
        });
        Media = new MediaStore(this, "Media", new MediaStoreProps
        {
            SourceDirectory = mediaDirectory,
            AccessLogs = AccessLogs.Bucket,
            ReadEndpoint = Network.S3Endpoint,
            ReaderRoleName = settings.TaskRoleName(region),
            RemovalPolicy = settings.StatefulRemovalPolicy,
            RetainFilesOnDelete = settings.Protected,
            Edge = settings.Edge,
        });
        // The construct ids are the secrets' logical ids: renaming one would replace the secret and lose what the owner stored.
        Admin = new OwnerSecret(this, "Admin", new OwnerSecretProps
        {
            Description = $"Owner sign-in for /admin: store the output of `hash-password` as {AdminSecret.PasswordHashField} to switch it on",
            StartingValues = new Dictionary<string, string>
            {
                [AdminSecret.UserField] = AdminSecret.DefaultUser,
                [AdminSecret.PasswordHashField] = AdminSecret.SwitchedOff,
            },
            NotRotatedBecause = "It holds the hash of the password the owner chose; a rotation would replace it and lock the owner out",
            RemovalPolicy = settings.StatefulRemovalPolicy,
        });
        Mail = new OwnerSecret(this, "Mail", new OwnerSecretProps
        {
            Description = "SMTP credentials (Amazon SES) and addresses for mail to the site's owner: replace every "
                + $"'{MailSecret.SwitchedOff}' to switch e-mail on (docs/deploy.md, E-mail)",
            StartingValues = MailSecret.Settings.ToDictionary(s => s.Field, _ => MailSecret.SwitchedOff),
            NotRotatedBecause = "It holds SES SMTP credentials derived from an IAM user's key, which the owner replaces by hand; a rotation function could not create them",
            RemovalPolicy = settings.StatefulRemovalPolicy,
        });
        Proxy = settings.DatabaseProxy ? new DatabaseProxy(this, "DatabaseProxy", new DatabaseProxyProps
        {
            Name = $"{EnvironmentSettings.Project}-{settings.Name}",
            Vpc = Network.Vpc,
            Instance = Database.Instance,
            ClientGroup = Network.AppGroup,
            User = settings.IamDatabaseUser,
            MaxConnectionsPercent = ConnectionBudget.For(settings).ProxyMaxConnectionsPercent!.Value,
        }) : null;
        AppLogs = new LogGroup(this, "AppLogs", new LogGroupProps
        {
            LogGroupName = $"/{EnvironmentSettings.Project}/{settings.Name}/web",
            Retention = settings.LogRetention,
            RemovalPolicy = settings.StatefulRemovalPolicy,
        });
        // WAF writes only to groups named aws-waf-logs-*; named, it lives here for the reason AppLogs does.
        FirewallLogs = settings.WebFirewall ? new LogGroup(this, "FirewallLogs", new LogGroupProps
        {
            LogGroupName = $"aws-waf-logs-{settings.Prefix}",
            Retention = settings.LogRetention,
            RemovalPolicy = settings.StatefulRemovalPolicy,
        }) : null;
        // Encrypts the app's data protection keys in the database: a new value makes the stored keys (and with
        // them sign-in cookies and form tokens) unreadable, so it is kept like the data it protects.
        DataProtectionKey = new Secret(this, "DataProtectionKey", new SecretProps
        {
            Description = "Key-encryption key for the site's data protection keys; replacing it signs everyone out",
            GenerateSecretString = new SecretStringGenerator
            {
                SecretStringTemplate = "{}",
                GenerateStringKey = DataProtectionKeyField,
                PasswordLength = 64,
                ExcludePunctuation = true,
            },
            RemovalPolicy = settings.StatefulRemovalPolicy,
        });
        NagSuppressions.Add(DataProtectionKey, new NagSuppression("AwsSolutions-SMG4",
            "The app rotates the data protection keys this encrypts; a new key-encryption key would make the stored keys unreadable and sign everyone out"));

        _ = new CfnOutput(this, "DatabaseEndpoint", new CfnOutputProps { Value = Database.Instance.DbInstanceEndpointAddress });
        if (Proxy is not null)
        {
            _ = new CfnOutput(this, "DatabaseProxyEndpoint", new CfnOutputProps { Value = Proxy.Endpoint });
        }
        _ = new CfnOutput(this, "MediaBucket", new CfnOutputProps { Value = Media.Bucket.BucketName });
        _ = new CfnOutput(this, "LogGroup", new CfnOutputProps { Value = AppLogs.LogGroupName });
        _ = new CfnOutput(this, "AdminSecretArn", new CfnOutputProps { Value = Admin.Secret.SecretArn });
        _ = new CfnOutput(this, "MailSecretArn", new CfnOutputProps
        {
            Description = "The SMTP credentials and addresses of mail to the owner, filled in by hand (docs/deploy.md, E-mail)",
            Value = Mail.Secret.SecretArn,
        });
    }

    public Network Network { get; }

    public Database Database { get; }

    /// <summary>RDS Proxy in front of the database, where the settings ask for it.</summary>
    public DatabaseProxy? Proxy { get; }

    public MediaStore Media { get; }

    /// <summary>The owner's sign-in for /admin (<see cref="AdminSecret"/>).</summary>
    public OwnerSecret Admin { get; }

    /// <summary>The mail account and addresses of mail to the owner (<see cref="MailSecret"/>).</summary>
    public OwnerSecret Mail { get; }

    public LogGroup AppLogs { get; }

    /// <summary>The web ACL's log of blocked and counted requests, where the settings ask for a web ACL.</summary>
    public LogGroup? FirewallLogs { get; }

    public AccessLogStore AccessLogs { get; }

    public Secret DataProtectionKey { get; }
}
