using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.RDS;
using Constructs;

namespace Site.Cdk.Data;

public sealed record DatabaseProxyProps
{
    /// <summary>The proxy's name, unique in the account and region.</summary>
    public required string Name { get; init; }

    public required IVpc Vpc { get; init; }

    public required DatabaseInstance Instance { get; init; }

    /// <summary>The group whose members may connect to the proxy (the site tasks).</summary>
    public required ISecurityGroup ClientGroup { get; init; }

    /// <summary>The one database user the proxy signs in as, and its clients with it.</summary>
    public required string User { get; init; }

    /// <summary>The proxy's share of the database's max_connections (<see cref="ConnectionBudget"/>).</summary>
    public required int MaxConnectionsPercent { get; init; }
}

/// <summary>
/// RDS Proxy in front of the database, signing in with IAM end to end: the tasks sign in to the proxy with an IAM
/// token for the proxy's endpoint, and the proxy signs in to the database with one of its own, as the same user. No
/// secret is involved, so the proxy's role may read none; TLS is required from the tasks. The proxy pools the
/// connections of every task and follows a Multi-AZ failover itself (docs/operations.md, "RDS Proxy").
/// </summary>
public sealed class DatabaseProxy : Construct
{
    /// <summary>RDS Proxy listens on 3306 for MySQL, whatever the database's port.</summary>
    public const int Port = 3306;

    /// <summary>
    /// How long a statement waits at the proxy for one of its database connections before the proxy refuses it
    /// (error 9501): under the app's connect timeout (3 s), so that a busy proxy is answered as a busy pool, a 503 with
    /// Retry-After, long before the load balancer's 60 s idle timeout.
    /// </summary>
    public static Duration BorrowTimeout { get; } = Duration.Seconds(2);

    /// <summary>
    /// The proxy closes a client connection idle this long. Longer than MySqlConnector's pool keeps an idle
    /// connection (3 minutes), so the pool retires its connections before the proxy would cut one it hands out.
    /// </summary>
    public static Duration IdleClientTimeout { get; } = Duration.Minutes(10);

    /// <summary>
    /// The RDS for MySQL major versions checked against AWS's list of engine versions RDS Proxy supports ("Supported
    /// Regions and DB engines for Amazon RDS Proxy"; docs/operations.md, "RDS Proxy"). Another one is refused until
    /// it has been checked there too.
    /// </summary>
    public static IReadOnlyList<string> CheckedMajorVersions { get; } = ["8.4"];

    /// <summary>The proxy's one target group, RDS Proxy's only name for it.</summary>
    private const string TargetGroupName = "default";

    public DatabaseProxy(Construct scope, string id, DatabaseProxyProps props) : base(scope, id)
    {
        var version = props.Instance.Engine?.EngineVersion?.MajorVersion;
        if (props.Instance.Engine?.EngineType != "mysql" || !CheckedMajorVersions.Contains(version))
        {
            throw new InvalidOperationException(
                $"RDS Proxy is checked for RDS for MySQL {string.Join(", ", CheckedMajorVersions)} only, not {props.Instance.Engine?.EngineType} {version}: "
                + "check AWS's list of engine versions RDS Proxy supports, then add the version to DatabaseProxy.CheckedMajorVersions, or switch the proxy off.");
        }

        Name = props.Name;
        var role = new Role(this, "Role", new RoleProps
        {
            Description = $"RDS Proxy {props.Name} signs in to the database as {props.User} with IAM",
            AssumedBy = new ServicePrincipal("rds.amazonaws.com"),
        });
        props.Instance.GrantConnect(role, props.User);

        Group = new SecurityGroup(this, "Group", new SecurityGroupProps
        {
            Vpc = props.Vpc,
            Description = "RDS Proxy: MySQL from the site tasks only",
            AllowAllOutbound = false,
        });
        Group.Connections.AllowFrom(props.ClientGroup, Amazon.CDK.AWS.EC2.Port.Tcp(Port), "Site tasks to the database proxy");
        props.Instance.Connections.AllowDefaultPortFrom(Group, "Database proxy to the database");

        Proxy = new CfnDBProxy(this, "Proxy", new CfnDBProxyProps
        {
            DbProxyName = props.Name,
            EngineFamily = "MYSQL",
            RoleArn = role.RoleArn,
            VpcSubnetIds = props.Vpc.SelectSubnets(Network.PrivateSubnets).SubnetIds,
            VpcSecurityGroupIds = [Group.SecurityGroupId],
            RequireTls = true,
            IdleClientTimeout = IdleClientTimeout.ToSeconds(),
            DebugLogging = false,
            // 2.160 requires Auth (entries for secrets), which end-to-end IAM has none of; it is removed below.
            Auth = Array.Empty<CfnDBProxy.AuthFormatProperty>(),
        });
        // DefaultAuthScheme arrived after 2.160 (CDK 2.235). IAM_AUTH: clients sign in with IAM tokens only, and the
        // proxy signs in to the database with its role's token.
        Proxy.AddPropertyOverride("DefaultAuthScheme", "IAM_AUTH");
        Proxy.AddPropertyDeletionOverride("Auth");

        _ = new CfnDBProxyTargetGroup(this, "Target", new CfnDBProxyTargetGroupProps
        {
            DbProxyName = Proxy.Ref,
            TargetGroupName = TargetGroupName,
            DbInstanceIdentifiers = [props.Instance.InstanceIdentifier],
            ConnectionPoolConfigurationInfo = new CfnDBProxyTargetGroup.ConnectionPoolConfigurationInfoFormatProperty
            {
                MaxConnectionsPercent = props.MaxConnectionsPercent,
                ConnectionBorrowTimeout = BorrowTimeout.ToSeconds(),
            },
        });
    }

    public CfnDBProxy Proxy { get; }

    /// <summary>The proxy's name, the dimension of its metrics.</summary>
    public string Name { get; }

    public SecurityGroup Group { get; }

    /// <summary>Where the tasks connect, on <see cref="Port"/>; their IAM tokens are signed for this host.</summary>
    public string Endpoint => Proxy.AttrEndpoint;

    /// <summary>One of the proxy's metrics (AWS/RDS, per proxy; "Monitoring RDS Proxy metrics with Amazon CloudWatch").</summary>
    public Metric Metric(string metricName, string statistic, Duration period, string? label = null) =>
        new(new MetricProps
        {
            Namespace = "AWS/RDS",
            MetricName = metricName,
            DimensionsMap = new Dictionary<string, string> { ["ProxyName"] = Name },
            Statistic = statistic,
            Period = period,
            Label = label,
        });

    /// <summary>The share of the proxy's health checks that reached the database as the writer, in per cent.</summary>
    public Metric Availability(Duration period) =>
        new(new MetricProps
        {
            Namespace = "AWS/RDS",
            MetricName = "AvailabilityPercentage",
            DimensionsMap = new Dictionary<string, string> { ["ProxyName"] = Name, ["TargetGroup"] = TargetGroupName, ["TargetRole"] = "READ_WRITE" },
            Statistic = Stats.AVERAGE,
            Period = period,
        });

    /// <summary>
    /// Allows an IAM token for this one user at the proxy, and nowhere else: the resource is the proxy's id (prx-...),
    /// the last part of its ARN.
    /// </summary>
    public Grant GrantConnect(IGrantable grantee, string user) => Grant.AddToPrincipal(new GrantOnPrincipalOptions
    {
        Grantee = grantee,
        Actions = ["rds-db:connect"],
        ResourceArns =
        [
            Stack.Of(this).FormatArn(new ArnComponents
            {
                Service = "rds-db",
                Resource = "dbuser",
                ResourceName = $"{Fn.Select(6, Fn.Split(":", Proxy.AttrDbProxyArn))}/{user}",
                ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
            }),
        ],
    });
}
