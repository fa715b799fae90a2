using Amazon.CDK;
using Amazon.CDK.AWS.Logs;
using Constructs;

namespace Site.Cdk.Site;

/// <summary>
/// What outlives any deploy of the service: network, database, media, the admin secret and the log group.
/// In prod every stateful resource is retained and the stack is termination-protected.
/// </summary>
public sealed class DataStack : SiteStack
{
    public DataStack(Construct scope, EnvironmentSettings settings, string region, string mediaDirectory)
        : base(scope, "data", settings, region)
    {
        Network = new Network(this, "Network", new NetworkProps(settings.NatGateways));
        Database = new Database(this, "Database", new DatabaseProps(Network.Vpc, Network.DatabaseGroup, settings));
        Media = new MediaStore(this, "Media", new MediaStoreProps(mediaDirectory, settings));
        Admin = new AdminAccount(this, "Admin", new AdminAccountProps(settings.StatefulRemovalPolicy));
        AppLogs = new LogGroup(this, "AppLogs", new LogGroupProps
        {
            LogGroupName = $"/{EnvironmentSettings.Project}/{settings.Name}/web",
            Retention = settings.LogRetention,
            RemovalPolicy = settings.StatefulRemovalPolicy,
        });

        _ = new CfnOutput(this, "DatabaseEndpoint", new CfnOutputProps { Value = Database.Instance.DbInstanceEndpointAddress });
        _ = new CfnOutput(this, "MediaBucket", new CfnOutputProps { Value = Media.Bucket.BucketName });
        _ = new CfnOutput(this, "LogGroup", new CfnOutputProps { Value = AppLogs.LogGroupName });
    }

    public Network Network { get; }

    public Database Database { get; }

    public MediaStore Media { get; }

    public AdminAccount Admin { get; }

    public LogGroup AppLogs { get; }
}
