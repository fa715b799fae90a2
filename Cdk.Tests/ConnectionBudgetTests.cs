using System.Globalization;
using Site.Cdk.Data;
using Site.Cdk.Service;
using Site.Cdk.Tests.Synthesis;
using Site.Web.Data;
using static Site.Cdk.Tests.Synthesis.TaskContainers;

namespace Site.Cdk.Tests;

public sealed class ConnectionBudgetTests(DevSite dev, ProdSite prod) : SiteTests(dev, prod)
{
    public static TheoryData<string> Environments => [.. EnvironmentSettings.All.Select(e => e.Name)];

    /// <summary>
    /// Read from the templates, as CloudFormation applies them: the most tasks auto scaling may run, doubled by a deploy,
    /// each holding its whole pool, with the reserve beside them, stay within the server's max_connections. With a
    /// proxy, the web containers' pools stay within the proxy's share, and that share, the provisioning steps (which
    /// connect beside it) and the reserve within max_connections.
    /// </summary>
    [Theory, MemberData(nameof(Environments))]
    public void EveryTaskAtThePeakOfADeployWithItsWholePoolAndTheReserveFitsWithinMaxConnections(string env)
    {
        var site = Site(env);
        // Read as numbers from the JSON: the requirement is a sum across resources, which no pattern states.
        var maxConnections = int.Parse(site.Data.Only("AWS::RDS::DBParameterGroup").Str("Parameters", "max_connections"), CultureInfo.InvariantCulture);
        var maxTasks = site.Service.Only("AWS::ApplicationAutoScaling::ScalableTarget").Int("MaxCapacity");
        var maxPercent = site.Service.Only("AWS::ECS::Service").Int("DeploymentConfiguration", "MaximumPercent");
        var peakTasks = maxTasks * maxPercent / 100;
        int PoolOf(string container) => int.Parse(EnvironmentOf(Named(site, container))[DatabaseVariables.MaxPoolSize].GetString()!, CultureInfo.InvariantCulture);
        var web = PoolOf(WebService.ContainerName);
        var provisioning = PoolOf(WebService.ProvisionContainerName);
        var proxy = site.Data.Resources("AWS::RDS::DBProxyTargetGroup").Select(t => t.Properties.Int("ConnectionPoolConfigurationInfo", "MaxConnectionsPercent")).ToList();

        if (proxy is [var percent])
        {
            var proxyConnections = maxConnections * percent / 100;
            Assert.True(peakTasks * web <= proxyConnections, $"{peakTasks} tasks x {web} connections > the proxy's {proxyConnections}");
            Assert.True(proxyConnections + (peakTasks * provisioning) + ConnectionBudget.Reserve <= maxConnections,
                $"the proxy's {proxyConnections} + {peakTasks} provisioning steps x {provisioning} + {ConnectionBudget.Reserve} reserved > max_connections {maxConnections}");
        }
        else
        {
            // The provisioning step runs before the web container in the same task, so a task holds at most one pool.
            var pool = Math.Max(web, provisioning);
            Assert.True(peakTasks * pool + ConnectionBudget.Reserve <= maxConnections,
                $"{maxTasks} tasks x {maxPercent}% x {pool} connections + {ConnectionBudget.Reserve} reserved > max_connections {maxConnections}");
        }

        Assert.True(web >= ConnectionBudget.MinPoolPerTask, $"{web} connections per task");
    }

    [Theory, MemberData(nameof(Environments))]
    public void EveryContainerThatSignsInToTheDatabaseHasItsPoolCapped(string env)
    {
        var containers = Site(env).Service.Only("AWS::ECS::TaskDefinition").Items("ContainerDefinitions")
            .Where(c => EnvironmentOf(c).ContainsKey("Database__Host"));

        Assert.All(containers, c => Assert.True(EnvironmentOf(c).ContainsKey(DatabaseVariables.MaxPoolSize), c.Str("Name")));
    }

    /// <summary>The figures docs/operations.md gives.</summary>
    [Theory, InlineData("dev", 64, 8, 7, null), InlineData("prod", 512, 20, 24, 95)]
    public void TheBudgetOfEachEnvironmentIsTheOneDocumented(string env, int maxConnections, int peakTasks, int pool, int? proxyPercent)
    {
        var budget = ConnectionBudget.For(Site(env).Settings);

        Assert.Equal((maxConnections, peakTasks, pool, proxyPercent), (budget.MaxConnections, budget.PeakTasks, budget.PoolPerTask, budget.ProxyMaxConnectionsPercent));
    }

    /// <summary>Above max_connections the alarm could never fire before the server starts refusing.</summary>
    [Theory, MemberData(nameof(Environments))]
    public void TheConnectionsAlarmFiresBeforeTheServerRefusesConnections(string env)
    {
        var settings = Site(env).Settings;

        Assert.True(settings.Alarms.DatabaseConnections < ConnectionBudget.For(settings).MaxConnections);
    }

    /// <summary>More tasks on the same database shrink every task's share, until a task would have too few: then synthesis stops.</summary>
    [Theory, MemberData(nameof(Environments))]
    public void RaisingMaxTasksAloneUntilTheShareIsTooSmallIsRefused(string env)
    {
        var settings = EnvironmentSettings.Find(env)!;
        var tooMany = settings with { MaxTasks = (ConnectionBudget.For(settings).MaxConnections / ConnectionBudget.MinPoolPerTask) + 1 };

        var refused = Assert.Throws<InvalidOperationException>(() => ConnectionBudget.For(tooMany));
        Assert.Contains("MaxTasks", refused.Message, StringComparison.Ordinal);
    }
}
