using Amazon.CDK.AWS.EC2;
using Site.Cdk.Service;

namespace Site.Cdk.Data;

/// <summary>
/// How the database's connections are shared out, so that the service at its most tasks, in the middle of a deploy
/// that runs old and new tasks side by side, still cannot ask for more than max_connections (docs/operations.md,
/// "Connection budget"):
/// <code>
/// peak tasks = MaxTasks x MaxHealthyPercent / 100
/// pool       = floor((max_connections - reserve) / peak tasks)
/// </code>
/// With RDS Proxy in front, the tasks' pools share the proxy's connections instead, and the provisioning steps, which
/// sign in with the master password and so straight to the database, are counted beside the reserve:
/// <code>
/// proxy %    = floor((max_connections - reserve - peak tasks x provisioning) x 100 / max_connections)
/// pool       = floor(floor(max_connections x proxy % / 100) / peak tasks)
/// </code>
/// </summary>
/// <param name="ProxyMaxConnectionsPercent">The proxy's MaxConnectionsPercent; null without a proxy.</param>
public sealed record ConnectionBudget(int MaxConnections, int PeakTasks, int PoolPerTask, int? ProxyMaxConnectionsPercent = null)
{
    /// <summary>
    /// What connects besides the web tasks' pools: the rotation function (it signs in with the old and the new
    /// password) and an operator's sessions (a one-off task, a mysql client). The provisioning step and the migrations
    /// run inside a task, before and within its web container, and so use that task's share.
    /// </summary>
    public const int Reserve = 2 + 3;

    /// <summary>
    /// A task's floor: the migrations at start-up, the readiness probe and concurrent requests each hold one; with
    /// fewer, an ordinary burst would already be refused.
    /// </summary>
    public const int MinPoolPerTask = 5;

    /// <summary>The provisioning step's pool where it connects beside the proxy: it runs its statements on one connection.</summary>
    public const int ProvisioningConnections = 1;

    /// <summary>RDS for MySQL's default max_connections is {DBInstanceClassMemory/12582880}: bytes per connection.</summary>
    public const long BytesPerConnection = 12_582_880;

    // Memory of the classes in use, GiB: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Summary.html
    private static readonly Dictionary<string, int> MemoryGiB = new()
    {
        ["t4g.micro"] = 1,
        ["m7g.large"] = 8,
    };

    public static ConnectionBudget For(EnvironmentSettings settings)
    {
        const int maxHealthyPercent = WebService.MaxHealthyPercent;
        var instanceClass = InstanceType.Of(settings.DatabaseClass, settings.DatabaseSize).ToString();
        if (!MemoryGiB.TryGetValue(instanceClass, out var gib))
        {
            throw new InvalidOperationException(
                $"The connection budget has no memory figure for db.{instanceClass}: add it to {nameof(ConnectionBudget)} from AWS's table of instance classes.");
        }

        var maxConnections = MaxConnectionsFor(gib);
        var peakTasks = settings.MaxTasks * maxHealthyPercent / 100;
        int? proxyPercent = settings.DatabaseProxy
            ? Math.Max(0, (maxConnections - Reserve - (peakTasks * ProvisioningConnections)) * 100 / maxConnections)
            : null;
        var shared = proxyPercent is { } percent ? ProxyConnections(maxConnections, percent) : maxConnections - Reserve;
        var pool = shared / peakTasks;
        if (pool < MinPoolPerTask)
        {
            throw new InvalidOperationException(
                $"{settings.Name}: db.{instanceClass} allows {maxConnections} connections; {peakTasks} tasks at the peak of a deploy "
                + $"(MaxTasks {settings.MaxTasks} x {maxHealthyPercent}%) share {shared} of them{(proxyPercent is null ? "" : " through the proxy")}, {pool} per task, under the "
                + $"{MinPoolPerTask} a task needs. Choose a larger instance class{(proxyPercent is null ? ", fewer tasks, or a proxy in front of the database" : " or fewer tasks")}.");
        }

        return new ConnectionBudget(maxConnections, peakTasks, pool, proxyPercent);
    }

    /// <summary>The most connections a proxy with this MaxConnectionsPercent opens to the database.</summary>
    public static int ProxyConnections(int maxConnections, int percent) => maxConnections * percent / 100;

    /// <summary>
    /// RDS's default divides DBInstanceClassMemory, the class's memory less what RDS's own processes keep, which AWS
    /// does not publish. Three quarters of the class's memory is less than it leaves, so this figure is below RDS's
    /// default; the parameter group sets it, so that the limit budgeted for is the limit the server applies.
    /// </summary>
    private static int MaxConnectionsFor(int gib) => (int)(gib * 1024L * 1024 * 1024 * 3 / 4 / BytesPerConnection);
}
