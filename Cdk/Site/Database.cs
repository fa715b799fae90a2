using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.RDS;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;

namespace Site.Cdk.Site;

public sealed record DatabaseProps(IVpc Vpc, ISecurityGroup Group, EnvironmentSettings Settings);

/// <summary>
/// Multi-AZ RDS MySQL 8.4 in the private subnets, TLS required, IAM authentication on, master credentials
/// generated into Secrets Manager.
/// </summary>
public sealed class Database : Construct
{
    public const string Name = "site";
    public const string AdminUser = "site_admin";

    /// <summary>8.4 is the LTS line; minor upgrades are applied by RDS in the maintenance window.</summary>
    public static IInstanceEngine Engine => DatabaseInstanceEngine.Mysql(new MySqlInstanceEngineProps
    {
        Version = MysqlEngineVersion.Of("8.4.6", "8.4"),
    });

    public static IReadOnlyList<string> ExportedLogs { get; } = ["error", "slowquery"];

    public Database(Construct scope, string id, DatabaseProps props) : base(scope, id)
    {
        var settings = props.Settings;
        var engine = Engine;
        var identifier = $"{EnvironmentSettings.Project}-{settings.Name}";

        var parameters = new ParameterGroup(this, "Parameters", new ParameterGroupProps
        {
            Engine = engine,
            Description = "TLS required; slow queries logged for CloudWatch",
            Parameters = new Dictionary<string, string>
            {
                ["require_secure_transport"] = "ON",
                ["slow_query_log"] = "1",
                // The app's command timeout is 5 s; anything over 1 s already hurts a page.
                ["long_query_time"] = "1",
                ["log_output"] = "FILE",
            },
        });

        var credentials = new DatabaseSecret(this, "Credentials", new DatabaseSecretProps { Username = AdminUser });
        credentials.ApplyRemovalPolicy(settings.StatefulRemovalPolicy);

        Instance = new DatabaseInstance(this, "Instance", new DatabaseInstanceProps
        {
            InstanceIdentifier = identifier,
            Engine = engine,
            InstanceType = Amazon.CDK.AWS.EC2.InstanceType.Of(settings.DatabaseClass, settings.DatabaseSize),
            Vpc = props.Vpc,
            VpcSubnets = Network.PrivateSubnets,
            SecurityGroups = [props.Group],
            PubliclyAccessible = false,
            MultiAz = true,
            StorageType = StorageType.GP3,
            AllocatedStorage = settings.DatabaseStorageGiB,
            MaxAllocatedStorage = settings.DatabaseMaxStorageGiB,
            StorageEncrypted = true,
            IamAuthentication = true,
            CaCertificate = CaCertificate.RDS_CA_RSA2048_G1,
            Credentials = Credentials.FromSecret(credentials),
            DatabaseName = Name,
            ParameterGroup = parameters,
            BackupRetention = Duration.Days(settings.BackupRetentionDays),
            DeleteAutomatedBackups = !settings.Protected,
            CopyTagsToSnapshot = true,
            CloudwatchLogsExports = ExportedLogs.ToArray(),
            DeletionProtection = settings.Protected,
            RemovalPolicy = settings.StatefulRemovalPolicy,
        });

        // RDS creates these groups on first export without a retention; owning them here sets one.
        foreach (var log in ExportedLogs)
        {
            var group = new LogGroup(this, $"{log}Log", new LogGroupProps
            {
                LogGroupName = $"/aws/rds/instance/{identifier}/{log}",
                Retention = settings.LogRetention,
                RemovalPolicy = settings.StatefulRemovalPolicy,
            });
            Instance.Node.AddDependency(group);
        }
    }

    public DatabaseInstance Instance { get; }

    public ISecret Secret => Instance.Secret!;

    /// <summary>Allows an IAM auth token for this one database user, nothing else.</summary>
    public Grant GrantConnect(IGrantable grantee, string user) => Instance.GrantConnect(grantee, user);
}
