using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Site.Cdk.Data;
using Site.Cdk.Service;
using Site.Cdk.Tests.Synthesis;
using Site.Web.Data;
using static Site.Cdk.Tests.Synthesis.TaskContainers;

namespace Site.Cdk.Tests;

/// <summary>
/// RDS Proxy in front of prod's database: the web tasks sign in to it with IAM over TLS, it signs in to the database
/// with IAM as the same user, and only the steps that hold a password reach the instance itself.
/// </summary>
public sealed partial class DatabaseProxyTests(DevSite dev, ProdSite prod) : SiteTests(dev, prod)
{
    private const string Proxy = "AWS::RDS::DBProxy";
    private const string Target = "AWS::RDS::DBProxyTargetGroup";

    [Fact]
    public void ProdHasAProxyInFrontOfItsDatabaseAndDevHasNone()
    {
        var target = Prod.Data.Only(Target);

        Assert.Equal(Prod.Data.IdOf(Proxy, _ => true), target.At("DBProxyName").Target());
        Assert.Equal(Prod.Data.IdOf("AWS::RDS::DBInstance", _ => true), Assert.Single(target.Items("DBInstanceIdentifiers")).Target());
        Assert.Equal("MYSQL", Prod.Data.Only(Proxy).Str("EngineFamily"));
        Assert.Empty(Dev.Data.Resources(Proxy));
        Assert.Empty(Dev.Data.Resources(Target));
    }

    /// <summary>
    /// AWS lists the engine versions RDS Proxy supports per engine; the database's version is one checked against that
    /// list, and a proxy in front of one not checked is refused at synth.
    /// </summary>
    [Fact]
    public void TheProxyStandsOnlyInFrontOfAnEngineVersionCheckedAgainstAwssList()
    {
        var instance = Prod.Data.Only("AWS::RDS::DBInstance");
        var stack = new Amazon.CDK.Stack(new Amazon.CDK.App(), "Unchecked");
        var vpc = new Amazon.CDK.AWS.EC2.Vpc(stack, "Vpc");
        var older = new Amazon.CDK.AWS.RDS.DatabaseInstance(stack, "Older", new Amazon.CDK.AWS.RDS.DatabaseInstanceProps
        {
            Engine = Amazon.CDK.AWS.RDS.DatabaseInstanceEngine.Mysql(new Amazon.CDK.AWS.RDS.MySqlInstanceEngineProps
            {
                Version = Amazon.CDK.AWS.RDS.MysqlEngineVersion.VER_8_0,
            }),
            Vpc = vpc,
        });

        Assert.Equal("mysql", instance.Str("Engine"));
        Assert.Contains(instance.Str("EngineVersion"), DatabaseProxy.CheckedMajorVersions);
        var refused = Assert.Throws<InvalidOperationException>(() => new DatabaseProxy(stack, "Proxy", new DatabaseProxyProps
        {
            Name = "unchecked",
            Vpc = vpc,
            Instance = older,
            ClientGroup = new Amazon.CDK.AWS.EC2.SecurityGroup(stack, "Clients", new Amazon.CDK.AWS.EC2.SecurityGroupProps { Vpc = vpc }),
            User = "site_app",
            MaxConnectionsPercent = 50,
        }));
        Assert.Contains("mysql 8.0", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheProxyRequiresTlsAndSignsInWithIamEndToEndHoldingNoSecret()
    {
        var proxy = Prod.Data.Only(Proxy);
        var statements = RoleStatements(Prod.Data, proxy.At("RoleArn").Target());

        Assert.True(proxy.At("RequireTLS").GetBoolean());
        Assert.Equal("IAM_AUTH", proxy.Str("DefaultAuthScheme"));
        Assert.False(proxy.Has("Auth"), "With end-to-end IAM the proxy has no secret to sign in with");
        Assert.False(proxy.At("DebugLogging").GetBoolean());
        var connect = Assert.Single(statements);
        Assert.Equal(["rds-db:connect"], connect.At("Action").Strings());
        var resource = connect.At("Resource", "Fn::Join", 1).EnumerateArray().ToList();
        Assert.Equal(Prod.Data.IdOf("AWS::RDS::DBInstance", _ => true), resource[^2].Target());
        Assert.Equal($"/{Prod.Settings.IamDatabaseUser}", resource[^1].GetString());
    }

    [Fact]
    public void TheProxyAdmitsTheSiteTasksOnlyAndReachesTheDatabaseOnly()
    {
        var proxyGroup = Assert.Single(Prod.Data.Only(Proxy).Items("VpcSecurityGroupIds")).Target();
        var ingress = Assert.Single(Rules(Prod.Data, "AWS::EC2::SecurityGroupIngress", proxyGroup));
        var egress = Assert.Single(Rules(Prod.Data, "AWS::EC2::SecurityGroupEgress", proxyGroup));
        var databaseGroup = Group(Prod, "Database");

        Assert.Equal((DatabaseProxy.Port, DatabaseProxy.Port), (ingress.Int("FromPort"), ingress.Int("ToPort")));
        Assert.Equal(Group(Prod, "Site tasks"), ingress.At("SourceSecurityGroupId").Target());
        Assert.Equal(databaseGroup, egress.At("DestinationSecurityGroupId").Target());
        Assert.Contains(Rules(Prod.Data, "AWS::EC2::SecurityGroupIngress", databaseGroup), r => r.At("SourceSecurityGroupId").Target() == proxyGroup);
        Assert.False(Prod.Data.Resource(proxyGroup).At("Properties").Has("SecurityGroupIngress"));
    }

    /// <summary>
    /// The web container connects to the proxy, with its token signed for the proxy's endpoint and TLS verified against
    /// the roots the proxy's certificate chains to. The provisioning step signs in with the master password, which the
    /// proxy does not take, so it still reaches the instance (and the database still admits the tasks' group).
    /// </summary>
    [Fact]
    public void TheWebContainerSignsInAtTheProxyAndTheProvisioningStepAtTheInstance()
    {
        var web = EnvironmentOf(WebContainer(Prod));
        var provision = EnvironmentOf(Named(Prod, WebService.ProvisionContainerName));

        Assert.Equal(ExportOf(Prod.Data, Prod.Data.IdOf(Proxy, _ => true), "Endpoint"), web["Database__Host"].Target());
        Assert.Equal(DatabaseProxy.Port.ToString(CultureInfo.InvariantCulture), web["Database__Port"].GetString());
        Assert.Equal(WebService.RdsProxyCaBundle, web["Database__SslCa"].GetString());
        Assert.Equal("VerifyFull", web["Database__SslMode"].GetString());
        Assert.Equal(ExportOf(Prod.Data, Prod.Data.IdOf("AWS::RDS::DBInstance", _ => true), "Endpoint.Address"), provision["Database__Host"].Target());
        Assert.Equal(WebService.RdsCaBundle, provision["Database__SslCa"].GetString());
        Assert.Equal(ConnectionBudget.ProvisioningConnections.ToString(CultureInfo.InvariantCulture), provision[DatabaseVariables.MaxPoolSize].GetString());
    }

    [Fact]
    public void TheTaskRoleMayConnectAtTheProxyOnlyAsTheIamUser()
    {
        var connect = Assert.Single(Prod.TaskRoleStatements, s => s.At("Action").Strings().Any(a => a.StartsWith("rds-db:", StringComparison.Ordinal)));
        var resource = connect.At("Resource", "Fn::Join", 1).EnumerateArray().ToList();

        // arn:aws:rds-db:REGION:ACCOUNT:dbuser:prx-.../site_app, the proxy's id being the last field of its ARN.
        Assert.Equal(6, resource[^2].At("Fn::Select", 0).GetInt32());
        Assert.Equal(":", resource[^2].Str("Fn::Select", 1, "Fn::Split", 0));
        Assert.Equal(ExportOf(Prod.Data, Prod.Data.IdOf(Proxy, _ => true), "DBProxyArn"), resource[^2].At("Fn::Select", 1, "Fn::Split", 1).Target());
        Assert.Equal($"/{Prod.Settings.IamDatabaseUser}", resource[^1].GetString());
        Assert.Contains(":dbuser:", resource[^3].GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A busy proxy refuses a statement after its borrow timeout: before the app's own connect timeout, so that the
    /// visitor's answer is the proxy's (a 503 with Retry-After, as for a busy pool), and far inside the load
    /// balancer's idle timeout (60 s, its default, which the template leaves).
    /// </summary>
    [Fact]
    public void TheProxyAnswersABusyMomentBeforeTheAppAndTheLoadBalancerGiveUp()
    {
        var pool = Prod.Data.Only(Target).At("ConnectionPoolConfigurationInfo");
        var connectTimeout = int.Parse(ConnectTimeoutDefault().Match(File.ReadAllText(Path.Combine(CdkContext.RepositoryRoot, "Web/Data/DatabaseOptions.cs")))
            .Groups["seconds"].Value, CultureInfo.InvariantCulture);
        var loadBalancer = Prod.Service.Only("AWS::ElasticLoadBalancingV2::LoadBalancer");

        Assert.True(pool.Int("ConnectionBorrowTimeout") < connectTimeout, $"borrow timeout {pool.Int("ConnectionBorrowTimeout")} s, connect timeout {connectTimeout} s");
        Assert.DoesNotContain(loadBalancer.Items("LoadBalancerAttributes"), a => a.Str("Key") == "idle_timeout.timeout_seconds");
        Assert.True(pool.Int("ConnectionBorrowTimeout") < 60);
    }

    /// <summary>Longer than MySqlConnector keeps an idle pooled connection (180 s), so the proxy never cuts one the pool hands out.</summary>
    [Fact]
    public void TheProxyKeepsIdleClientConnectionsLongerThanThePoolDoes()
    {
        Assert.True(Prod.Data.Only(Proxy).Int("IdleClientTimeout") > 180);
    }

    [Fact]
    public void TheProxysShareIsTheBudgetsAndTheSubnetsArePrivate()
    {
        var proxy = Prod.Data.Only(Proxy);

        Assert.Equal(ConnectionBudget.For(Prod.Settings).ProxyMaxConnectionsPercent,
            Prod.Data.Only(Target).Int("ConnectionPoolConfigurationInfo", "MaxConnectionsPercent"));
        Assert.Equal(
            Prod.Data.Subnets(isPublic: false).Select(s => s.Id).Order(),
            proxy.Items("VpcSubnetIds").Select(s => s.Target()).Order());
    }

    private static string Group(SynthesizedSite site, string descriptionStart) => site.Data.IdOf("AWS::EC2::SecurityGroup",
        g => g.Str("GroupDescription").StartsWith(descriptionStart, StringComparison.Ordinal));

    private static IEnumerable<JsonElement> Rules(StackTemplate stack, string type, string group) =>
        stack.Resources(type).Select(r => r.Properties).Where(p => p.At("GroupId").Target() == group);

    private static IEnumerable<JsonElement> RoleStatements(StackTemplate stack, string role) => stack.Resources("AWS::IAM::Policy")
        .Where(p => p.Properties.Items("Roles").Any(r => r.Target() == role))
        .SelectMany(p => p.Properties.Items("PolicyDocument", "Statement"));

    /// <summary>The name under which a stack exports an attribute of one of its resources, as the other stack imports it.</summary>
    private static string ExportOf(StackTemplate stack, string resource, string attribute) =>
        Assert.Single(stack.Json.GetProperty("Outputs").EnumerateObject(), o => o.Value.Has("Export")
            && o.Value.At("Value").Has("Fn::GetAtt") && o.Value.Str("Value", "Fn::GetAtt", 0) == resource && o.Value.Str("Value", "Fn::GetAtt", 1) == attribute)
            .Value.Str("Export", "Name");

    [GeneratedRegex(@"ConnectTimeoutSeconds \{ get; set; \} = (?<seconds>\d+);")]
    private static partial Regex ConnectTimeoutDefault();
}
