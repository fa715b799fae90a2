using System.Text.Json;
using Amazon.CDK.Assertions;
using Site.Cdk.Data;
using Site.Cdk.Tests.Synthesis;

namespace Site.Cdk.Tests;

public sealed class SecurityGroupTests(DevSite dev, ProdSite prod) : SiteTests(dev, prod)
{
    /// <summary>The three tiers, and the database proxy's group where there is one (DatabaseProxyTests).</summary>
    [Theory, InlineData("dev"), InlineData("prod")]
    public void ThereAreExactlyThreeSecurityGroupsAndTheProxysAllInTheDataStack(string env)
    {
        var site = Site(env);

        site.Data.Template.ResourceCountIs("AWS::EC2::SecurityGroup", site.Settings.DatabaseProxy ? 4 : 3);
        site.Service.Template.ResourceCountIs("AWS::EC2::SecurityGroup", 0);
        site.Ci.Template.ResourceCountIs("AWS::EC2::SecurityGroup", 0);
    }

    // Where the edge is off; with it on, CloudFront only (EdgeTests).
    [Theory, InlineData("dev")]
    public void TheLoadBalancerAdmitsHttpAndHttpsFromAnywhereAndNothingElse(string env)
    {
        // The blue/green test listener's port is admitted from the VPC only (BlueGreenDeployTests).
        var rules = IngressOf(Site(env), Group(env, "Load balancer")).Where(r => r.Int("FromPort") != 8443).ToList();

        Assert.Equal([(80, "0.0.0.0/0"), (443, "0.0.0.0/0")], rules.Select(r => (r.Int("FromPort"), r.Str("CidrIp"))).Order());
        Assert.All(rules, r => Assert.Equal(r.Int("FromPort"), r.Int("ToPort")));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheAppAdmitsOnlyPort8080FromTheLoadBalancersGroup(string env)
    {
        var rule = Assert.Single(IngressOf(Site(env), Group(env, "Site tasks")));

        AssertTcpPort(rule, 8080);
        Assert.Equal(Group(env, "Load balancer"), rule.At("SourceSecurityGroupId").Target());
    }

    /// <summary>The proxy's group too where there is one: the tasks' provisioning step signs in with a password, which the proxy does not take.</summary>
    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheDatabaseAdmitsOnlyMySqlFromTheAppsGroup(string env)
    {
        var rules = IngressOf(Site(env), Group(env, "Database"));
        string[] sources = Site(env).Settings.DatabaseProxy ? [Group(env, "RDS Proxy"), Group(env, "Site tasks")] : [Group(env, "Site tasks")];

        Assert.All(rules, rule => Assert.True(IsMySqlPort(Site(env), rule), $"Not the database's own port: {rule}"));
        Assert.Equal(sources.Order(), rules.Select(r => r.At("SourceSecurityGroupId").Target()).Order());
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheLoadBalancerMayOnlyReachTheAppPort(string env)
    {
        var rule = Assert.Single(EgressOf(Site(env), Group(env, "Load balancer")));

        AssertTcpPort(rule, 8080);
        Assert.Equal(Group(env, "Site tasks"), rule.At("DestinationSecurityGroupId").Target());
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheAppMayOnlyReachTheDatabaseHttpsEndpointsAndSmtpSubmission(string env)
    {
        var rules = EgressOf(Site(env), Group(env, "Site tasks"));

        Assert.Equal(Site(env).Settings.DatabaseProxy ? 4 : 3, rules.Count);
        Assert.Equal(Site(env).Settings.DatabaseProxy, rules.Any(r => r.Has("DestinationSecurityGroupId") && r.At("FromPort").ValueKind == JsonValueKind.Number
            && r.Int("FromPort") == DatabaseProxy.Port && r.At("DestinationSecurityGroupId").Target() == Group(env, "RDS Proxy")));
        Assert.Contains(rules, r => r.Int("FromPort") == 587 && r.Int("ToPort") == 587 && r.Str("CidrIp") == "0.0.0.0/0");
        Assert.Contains(rules, r => IsMySqlPort(Site(env), r) && r.At("DestinationSecurityGroupId").Target() == Group(env, "Database"));
        Assert.Contains(rules, r => r.Int("FromPort") == 443 && r.Int("ToPort") == 443 && r.Str("CidrIp") == "0.0.0.0/0");
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheDatabaseOpensNoOutboundConnections(string env)
    {
        var rule = Assert.Single(EgressOf(Site(env), Group(env, "Database")));

        // CDK's marker for "no egress": an ICMP rule to an address that cannot exist.
        Assert.Equal("255.255.255.255/32", rule.Str("CidrIp"));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheServiceAndLoadBalancerUseTheTieredGroups(string env)
    {
        var site = Site(env);
        // The service stack imports each group by an export named after it.
        object Imported(string group) => new object[] { Like.Dictionary(("Fn::ImportValue", Match.StringLikeRegexp($"{group}GroupId"))) };

        site.Service.Template.HasResourceProperties("AWS::ECS::Service", Like.Object(("NetworkConfiguration", Like.Object(
            ("AwsvpcConfiguration", Like.Object(("SecurityGroups", Imported(Group(env, "Site tasks")))))))));
        site.Service.Template.HasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Like.Object(
            ("SecurityGroups", Imported(Group(env, "Load balancer")))));
        site.Data.Template.HasResourceProperties("AWS::RDS::DBInstance", Like.Object(
            ("VPCSecurityGroups", new object[] { Like.Dictionary(("Fn::GetAtt", new object[] { Group(env, "Database"), "GroupId" })) })));
    }

    private string Group(string env, string descriptionStart) => Site(env).Data.IdOf("AWS::EC2::SecurityGroup",
        g => g.Str("GroupDescription").StartsWith(descriptionStart, StringComparison.Ordinal));

    /// <summary>
    /// The instance's own port (3306 on RDS MySQL), as the database names it in its rules: one rule, which the
    /// rotation function's identical one folds into.
    /// </summary>
    private static bool IsMySqlPort(SynthesizedSite site, JsonElement rule)
    {
        var instance = site.Data.IdOf("AWS::RDS::DBInstance", _ => true);
        return rule.Str("IpProtocol") == "tcp"
            && rule.At("FromPort").ToString() == rule.At("ToPort").ToString()
            && rule.At("FromPort").Has("Fn::GetAtt") && rule.Str("FromPort", "Fn::GetAtt", 0) == instance && rule.Str("FromPort", "Fn::GetAtt", 1) == "Endpoint.Port";
    }

    private static void AssertTcpPort(JsonElement rule, int port)
    {
        Assert.Equal("tcp", rule.Str("IpProtocol"));
        Assert.Equal(port, rule.Int("FromPort"));
        Assert.Equal(port, rule.Int("ToPort"));
    }

    /// <summary>
    /// Inline rules of the group plus separate ingress resources naming it, from every stack of the site: a group's
    /// "only these" takes every rule in both forms, which only the JSON lists.
    /// </summary>
    private static List<JsonElement> IngressOf(SynthesizedSite site, string group) => RulesOf(site, group, "SecurityGroupIngress", "AWS::EC2::SecurityGroupIngress");

    private static List<JsonElement> EgressOf(SynthesizedSite site, string group) => RulesOf(site, group, "SecurityGroupEgress", "AWS::EC2::SecurityGroupEgress");

    private static List<JsonElement> RulesOf(SynthesizedSite site, string group, string inlineProperty, string resourceType)
    {
        var properties = site.Data.Resource(group).At("Properties");
        var inline = properties.Has(inlineProperty) ? properties.Items(inlineProperty) : [];
        var separate = site.Stacks.SelectMany(s => s.Resources(resourceType))
            .Select(r => r.Properties)
            .Where(p => p.At("GroupId").Target().Contains(group, StringComparison.Ordinal));
        return inline.Concat(separate).ToList();
    }
}
