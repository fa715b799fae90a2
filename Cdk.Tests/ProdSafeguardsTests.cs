using Site.Cdk.Tests.Synthesis;

namespace Site.Cdk.Tests;

/// <summary>What prod has on top of dev to keep the site reachable and the database watched.</summary>
public sealed class ProdSafeguardsTests(DevSite dev, ProdSite prod) : SiteTests(dev, prod)
{
    [Theory, InlineData("dev", "false"), InlineData("prod", "true")]
    public void OnlyTheProdLoadBalancerIsProtectedFromDeletion(string env, string enabled)
    {
        var attributes = Site(env).Service.Only("AWS::ElasticLoadBalancingV2::LoadBalancer").Items("LoadBalancerAttributes")
            .ToDictionary(a => a.Str("Key"), a => a.At("Value").ToString());

        Assert.Equal(enabled, attributes["deletion_protection.enabled"]);
    }

    [Fact]
    public void TheProdDatabaseReportsEnhancedMonitoringEveryMinuteThroughItsOwnRole()
    {
        var data = Prod.Data;
        var instance = data.Only("AWS::RDS::DBInstance");
        var role = data.Resource(instance.At("MonitoringRoleArn").Target()).At("Properties");

        Assert.Equal(60, instance.Int("MonitoringInterval"));
        Assert.Equal("monitoring.rds.amazonaws.com", Assert.Single(role.Items("AssumeRolePolicyDocument", "Statement")).Str("Principal", "Service"));
        Assert.EndsWith(":iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
            Assert.Single(role.Items("ManagedPolicyArns")).At("Fn::Join", 1).EnumerateArray().Last().GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheDevDatabaseHasNoEnhancedMonitoring()
    {
        var instance = Dev.Data.Only("AWS::RDS::DBInstance");

        Assert.False(instance.Has("MonitoringInterval"));
        Assert.False(instance.Has("MonitoringRoleArn"));
    }
}
