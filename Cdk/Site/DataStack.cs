using Amazon.CDK;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;

namespace Site.Cdk.Site;

/// <summary>
/// What outlives any deploy of the service: network, database, media, the app's secrets and its logs.
/// In prod every stateful resource is retained and the stack is termination-protected.
/// </summary>
public sealed class DataStack : SiteStack
{
    public const string DataProtectionKeyField = "key";

    public DataStack(Construct scope, EnvironmentSettings settings, string region, string mediaDirectory)
        : base(scope, "data", settings, region)
    {
        Network = new Network(this, "Network", new NetworkProps(settings.NatGateways));
        Database = new Database(this, "Database", new DatabaseProps(Network.Vpc, Network.DatabaseGroup, Network.AppGroup, settings));
        Media = new MediaStore(this, "Media", new MediaStoreProps(mediaDirectory, settings));
        Admin = new AdminAccount(this, "Admin", new AdminAccountProps(settings.StatefulRemovalPolicy));
        AppLogs = new LogGroup(this, "AppLogs", new LogGroupProps
        {
            LogGroupName = $"/{EnvironmentSettings.Project}/{settings.Name}/web",
            Retention = settings.LogRetention,
            RemovalPolicy = settings.StatefulRemovalPolicy,
        });
        AccessLogs = new AccessLogStore(this, "AccessLogs", new AccessLogStoreProps(settings));
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

        _ = new CfnOutput(this, "DatabaseEndpoint", new CfnOutputProps { Value = Database.Instance.DbInstanceEndpointAddress });
        _ = new CfnOutput(this, "MediaBucket", new CfnOutputProps { Value = Media.Bucket.BucketName });
        _ = new CfnOutput(this, "LogGroup", new CfnOutputProps { Value = AppLogs.LogGroupName });
        _ = new CfnOutput(this, "AdminSecretArn", new CfnOutputProps { Value = Admin.Secret.SecretArn });
    }

    public Network Network { get; }

    public Database Database { get; }

    public MediaStore Media { get; }

    public AdminAccount Admin { get; }

    public LogGroup AppLogs { get; }

    public AccessLogStore AccessLogs { get; }

    public Secret DataProtectionKey { get; }
}
