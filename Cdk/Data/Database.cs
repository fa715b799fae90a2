using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.RDS;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;

namespace Site.Cdk.Data;

public sealed record DatabaseProps
{
    public required IVpc Vpc { get; init; }

    public required ISecurityGroup Group { get; init; }

    /// <summary>The group whose members may sign in (the site tasks); the rotation function joins it.</summary>
    public required ISecurityGroup ClientGroup { get; init; }

    /// <summary>The instance's name, which its log groups' names follow.</summary>
    public required string Identifier { get; init; }

    public required Amazon.CDK.AWS.EC2.InstanceType InstanceType { get; init; }

    public required int StorageGiB { get; init; }

    public required int MaxStorageGiB { get; init; }

    /// <summary>Zero switches automated backups off.</summary>
    public required int BackupRetentionDays { get; init; }

    /// <summary>Keeps the automated backups when the instance is deleted.</summary>
    public required bool KeepAutomatedBackups { get; init; }

    /// <summary>Enhanced monitoring every this many seconds; zero switches it off.</summary>
    public required int MonitoringSeconds { get; init; }

    /// <summary>The server's max_connections, which the connection budget shares out.</summary>
    public required int MaxConnections { get; init; }

    public required RetentionDays LogRetention { get; init; }

    public required RemovalPolicy RemovalPolicy { get; init; }
}

/// <summary>
/// Multi-AZ RDS MySQL 8.4 in the private subnets, TLS required, IAM authentication on, master credentials
/// generated into Secrets Manager.
/// </summary>
public sealed class Database : Construct
{
    public const string Name = "site";
    public const string AdminUser = "site_admin";

    /// <summary>
    /// The major version only: RDS creates a new instance on its current default 8.4 minor, so a retired minor never
    /// stops a new environment, and applies later minors in the maintenance window (docs/operations.md).
    /// </summary>
    public static IInstanceEngine Engine => DatabaseInstanceEngine.Mysql(new MySqlInstanceEngineProps
    {
        Version = MysqlEngineVersion.Of("8.4", "8.4"),
    });

    public static IReadOnlyList<string> ExportedLogs { get; } = ["error", "slowquery"];

    public static Duration MasterPasswordRotation { get; } = Duration.Days(30);

    public Database(Construct scope, string id, DatabaseProps props) : base(scope, id)
    {
        var engine = Engine;

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
                // Named rather than left to RDS's formula, so that the connection budget is checked against the real limit.
                ["max_connections"] = props.MaxConnections.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        });

        var credentials = new DatabaseSecret(this, "Credentials", new DatabaseSecretProps { Username = AdminUser });
        credentials.ApplyRemovalPolicy(props.RemovalPolicy);

        Instance = new DatabaseInstance(this, "Instance", new DatabaseInstanceProps
        {
            InstanceIdentifier = props.Identifier,
            Engine = engine,
            InstanceType = props.InstanceType,
            Vpc = props.Vpc,
            VpcSubnets = Network.PrivateSubnets,
            SecurityGroups = [props.Group],
            PubliclyAccessible = false,
            MultiAz = true,
            StorageType = StorageType.GP3,
            AllocatedStorage = props.StorageGiB,
            MaxAllocatedStorage = props.MaxStorageGiB,
            StorageEncrypted = true,
            IamAuthentication = true,
            CaCertificate = CaCertificate.RDS_CA_RSA2048_G1,
            Credentials = Credentials.FromSecret(credentials),
            DatabaseName = Name,
            ParameterGroup = parameters,
            BackupRetention = Duration.Days(props.BackupRetentionDays),
            DeleteAutomatedBackups = !props.KeepAutomatedBackups,
            CopyTagsToSnapshot = true,
            CloudwatchLogsExports = ExportedLogs.ToArray(),
            MonitoringInterval = props.MonitoringSeconds > 0 ? Duration.Seconds(props.MonitoringSeconds) : null,
            AutoMinorVersionUpgrade = true,
            // Deletion protection is left out of the template: the rollback of a failed first create could not delete a
            // protected instance, and the retry would then fail on its name. It is switched on once the first deploy has
            // succeeded (docs/deploy.md); a template that never names it never switches it off again.
            RemovalPolicy = props.RemovalPolicy,
        });
        var findings = new List<NagSuppression>
        {
            new("AwsSolutions-RDS10",
                "Switched on by hand after the first successful deploy (docs/deploy.md): a failed first create must be able to delete the instance"),
            new("AwsSolutions-RDS11",
                "Only the site tasks' security group (and in prod RDS Proxy's) reaches the database at all; another port would hide nothing from them"),
        };
        if (props.BackupRetentionDays == 0)
        {
            findings.Add(new("AwsSolutions-RDS13", "Dev is disposable: backups are off there to save their cost, as in the old system"));
        }
        NagSuppressions.Add(Instance, [.. findings]);
        if (props.MonitoringSeconds > 0)
        {
            NagSuppressions.Add(Instance.Node.FindChild("MonitoringRole"), new NagSuppression("AwsSolutions-IAM4",
                "AWS's own policy for enhanced monitoring, limited to the RDSOSMetrics log group; AWS keeps it up to date",
                "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"));
        }
        // A retained instance keeps using its subnet and parameter groups (CDK retains the subnet group only for RETAIN).
        ((SubnetGroup)Instance.Node.FindChild("SubnetGroup")).ApplyRemovalPolicy(props.RemovalPolicy);
        parameters.ApplyRemovalPolicy(props.RemovalPolicy);

        Instance.Connections.AllowDefaultPortFrom(props.ClientGroup, "Site tasks to the database");

        // The master password changes on a schedule. Only the provisioning step reads it, as its container starts,
        // so a rotation reaches the next task and breaks nothing that runs.
        Instance.AddRotationSingleUser(new RotationSingleUserOptions
        {
            AutomaticallyAfter = MasterPasswordRotation,
            VpcSubnets = Network.PrivateSubnets,
            // The site tasks' group already reaches MySQL and HTTPS (Secrets Manager), and nothing else: a fourth
            // group would be one more way in to the database.
            SecurityGroup = props.ClientGroup,
        });

        // RDS creates these groups on first export without a retention; owning them here sets one.
        foreach (var log in ExportedLogs)
        {
            var group = new LogGroup(this, $"{log}Log", new LogGroupProps
            {
                LogGroupName = $"/aws/rds/instance/{props.Identifier}/{log}",
                Retention = props.LogRetention,
                RemovalPolicy = props.RemovalPolicy,
            });
            Instance.Node.AddDependency(group);
        }
    }

    public DatabaseInstance Instance { get; }

    public ISecret Secret => Instance.Secret!;

    /// <summary>Allows an IAM auth token for this one database user, nothing else.</summary>
    public Grant GrantConnect(IGrantable grantee, string user) => Instance.GrantConnect(grantee, user);
}
