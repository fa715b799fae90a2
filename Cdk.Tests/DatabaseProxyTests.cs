using System.Globalization;
using System.Text.RegularExpressions;
using Amazon.CDK.Assertions;
using Site.Cdk.Data;
using Site.Cdk.Service;
using Site.Cdk.Tests.Synthesis;
using Site.Web.Data;
using static Site.Cdk.Tests.Synthesis.TaskContainers;
using Match = Amazon.CDK.Assertions.Match;

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
        Prod.Data.Template.HasResourceProperties(Proxy, Like.Object(("EngineFamily", "MYSQL")));
        Prod.Data.Template.HasResourceProperties(Target, Like.Object(
            ("DBProxyName", Like.Ref(Prod.Data.IdOf(Proxy, _ => true))),
            ("DBInstanceIdentifiers", new object[] { Like.Ref(Prod.Data.IdOf("AWS::RDS::DBInstance", _ => true)) })));
        Dev.Data.Template.ResourceCountIs(Proxy, 0);
        Dev.Data.Template.ResourceCountIs(Target, 0);
    }

    /// <summary>
    /// AWS lists the engine versions RDS Proxy supports per engine; the database's version is one checked against that
    /// list, and a proxy in front of one not checked is refused at synth.
    /// </summary>
    [Fact]
    public void TheProxyStandsOnlyInFrontOfAnEngineVersionCheckedAgainstAwssList()
    {
        // The version is read to be looked up in the list.
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
        var role = Prod.Data.Only(Proxy).At("RoleArn").Target();

        Prod.Data.Template.HasResourceProperties(Proxy, Like.Object(
            ("RequireTLS", true),
            ("DefaultAuthScheme", "IAM_AUTH"),
            // With end-to-end IAM the proxy has no secret to sign in with.
            ("Auth", Match.Absent()),
            ("DebugLogging", false)));
        // The role's one grant: connecting to the instance as the IAM user.
        Prod.Data.Template.ResourcePropertiesCountIs("AWS::IAM::Policy", Like.Object(("Roles", Match.ArrayWith([Like.Ref(role)]))), 1);
        Prod.Data.Template.HasResourceProperties("AWS::IAM::Policy", Like.Object(
            ("Roles", new object[] { Like.Ref(role) }),
            ("PolicyDocument", Like.Object(("Statement", new object[]
            {
                Like.Object(("Effect", "Allow"), ("Action", "rds-db:connect"), ("Resource", Like.Dictionary(("Fn::Join", new object[]
                {
                    "",
                    new object[]
                    {
                        $"arn:aws:rds-db:{SynthesizedSite.Region}:", Like.Ref("AWS::AccountId"), ":dbuser:",
                        Like.Dictionary(("Fn::GetAtt", new object[] { Prod.Data.IdOf("AWS::RDS::DBInstance", _ => true), "DbiResourceId" })),
                        $"/{Prod.Settings.IamDatabaseUser}",
                    },
                })))),
            })))));
    }

    [Fact]
    public void TheProxyAdmitsTheSiteTasksOnlyAndReachesTheDatabaseOnly()
    {
        var template = Prod.Data.Template;
        var proxyGroup = Assert.Single(Prod.Data.Only(Proxy).Items("VpcSecurityGroupIds")).Target();
        var ofProxy = Like.Dictionary(("Fn::GetAtt", new object[] { proxyGroup, "GroupId" }));
        var databaseGroup = Like.Dictionary(("Fn::GetAtt", new object[] { Group(Prod, "Database"), "GroupId" }));

        template.ResourcePropertiesCountIs("AWS::EC2::SecurityGroupIngress", Like.Object(("GroupId", ofProxy)), 1);
        template.HasResourceProperties("AWS::EC2::SecurityGroupIngress", Like.Object(
            ("GroupId", ofProxy),
            ("FromPort", DatabaseProxy.Port),
            ("ToPort", DatabaseProxy.Port),
            ("SourceSecurityGroupId", Like.Dictionary(("Fn::GetAtt", new object[] { Group(Prod, "Site tasks"), "GroupId" })))));
        template.ResourcePropertiesCountIs("AWS::EC2::SecurityGroupEgress", Like.Object(("GroupId", ofProxy)), 1);
        template.HasResourceProperties("AWS::EC2::SecurityGroupEgress", Like.Object(("GroupId", ofProxy), ("DestinationSecurityGroupId", databaseGroup)));
        template.HasResourceProperties("AWS::EC2::SecurityGroupIngress", Like.Object(("GroupId", databaseGroup), ("SourceSecurityGroupId", ofProxy)));
        Assert.Contains(proxyGroup, template.FindResources("AWS::EC2::SecurityGroup",
            Like.Object(("Properties", Like.Object(("SecurityGroupIngress", Match.Absent()))))).Keys);
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
        var taskRole = Prod.Service.Only("AWS::ECS::TaskDefinition").At("TaskRoleArn").Target();

        // The role's one grant to connect.
        Assert.Single(Prod.TaskRoleStatements, s => s.At("Action").Strings().Any(a => a.StartsWith("rds-db:", StringComparison.Ordinal)));
        // arn:aws:rds-db:REGION:ACCOUNT:dbuser:prx-.../site_app, the proxy's id being the last field of its ARN.
        Prod.Service.Template.HasResourceProperties("AWS::IAM::Policy", Like.Object(
            ("Roles", new object[] { Like.Ref(taskRole) }),
            ("PolicyDocument", Like.Object(("Statement", Like.ArrayWith(Like.Object(
                ("Action", "rds-db:connect"),
                ("Resource", Like.Dictionary(("Fn::Join", new object[]
                {
                    "",
                    new object[]
                    {
                        $"arn:aws:rds-db:{SynthesizedSite.Region}:", Like.Ref("AWS::AccountId"), ":dbuser:",
                        Like.Dictionary(("Fn::Select", new object[]
                        {
                            6,
                            Like.Dictionary(("Fn::Split", new object[]
                            {
                                ":", Like.Dictionary(("Fn::ImportValue", ExportOf(Prod.Data, Prod.Data.IdOf(Proxy, _ => true), "DBProxyArn"))),
                            })),
                        })),
                        $"/{Prod.Settings.IamDatabaseUser}",
                    },
                }))))))))));
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

        // The timeout is read to be compared: a pattern matches values, not bounds.
        Assert.True(pool.Int("ConnectionBorrowTimeout") < connectTimeout, $"borrow timeout {pool.Int("ConnectionBorrowTimeout")} s, connect timeout {connectTimeout} s");
        Assert.True(pool.Int("ConnectionBorrowTimeout") < 60);
        Prod.Service.Template.HasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Like.Object(
            ("LoadBalancerAttributes", Match.Not(Like.ArrayWith(Like.Object(("Key", "idle_timeout.timeout_seconds")))))));
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
        Prod.Data.Template.HasResourceProperties(Target, Like.Object(("ConnectionPoolConfigurationInfo", Like.Object(
            ("MaxConnectionsPercent", ConnectionBudget.For(Prod.Settings).ProxyMaxConnectionsPercent!.Value)))));
        Prod.Data.Template.HasResourceProperties(Proxy, Like.Object(
            ("VpcSubnetIds", Prod.Data.Subnets(isPublic: false).Select(s => Like.Ref(s.Id)).ToArray())));
    }

    private static string Group(SynthesizedSite site, string descriptionStart) => site.Data.IdOf("AWS::EC2::SecurityGroup",
        g => g.Str("GroupDescription").StartsWith(descriptionStart, StringComparison.Ordinal));

    /// <summary>The name under which a stack exports an attribute of one of its resources, as the other stack imports it.</summary>
    private static string ExportOf(StackTemplate stack, string resource, string attribute) =>
        Assert.Single(stack.Json.GetProperty("Outputs").EnumerateObject(), o => o.Value.Has("Export")
            && o.Value.At("Value").Has("Fn::GetAtt") && o.Value.Str("Value", "Fn::GetAtt", 0) == resource && o.Value.Str("Value", "Fn::GetAtt", 1) == attribute)
            .Value.Str("Export", "Name");

    [GeneratedRegex(@"ConnectTimeoutSeconds \{ get; set; \} = (?<seconds>\d+);")]
    private static partial Regex ConnectTimeoutDefault();
}
