using System.Text.Json;
using Site.Cdk.Tests.Synthesis;

namespace Site.Cdk.Tests;

/// <summary>
/// A deploy shows the new version to the test listener first and to production only after that, keeping the old
/// tasks for the bake time, during which the deployment alarms move production back.
/// </summary>
public sealed class BlueGreenDeployTests(DevSite dev, ProdSite prod) : SiteTests(dev, prod)
{
    [Theory, InlineData("dev", 5), InlineData("prod", 10)]
    public void TheServiceDeploysBlueGreenWithTheEnvironmentsBakeTime(string env, int bakeMinutes)
    {
        var service = Service(env);

        // ECS's own controller (the default when none is named) runs blue/green; CODE_DEPLOY or EXTERNAL would not.
        Assert.Equal("ECS", service.Has("DeploymentController") ? service.Str("DeploymentController", "Type") : "ECS");
        Assert.Equal("BLUE_GREEN", service.Str("DeploymentConfiguration", "Strategy"));
        Assert.Equal(bakeMinutes, service.Int("DeploymentConfiguration", "BakeTimeInMinutes"));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheDeploymentAlarmsAndTheCircuitBreakerRollBackAndCanFireWithinTheBakeTime(string env)
    {
        var site = Site(env);
        var deployment = Service(env).At("DeploymentConfiguration");
        var alarms = deployment.At("Alarms");

        Assert.True(alarms.At("Enable").GetBoolean());
        Assert.True(alarms.At("Rollback").GetBoolean());
        Assert.True(deployment.At("DeploymentCircuitBreaker", "Rollback").GetBoolean());
        var names = alarms.Items("AlarmNames").Select(n => n.GetString()!).ToList();
        Assert.Equal([$"site-{env}-target-5xx", $"site-{env}-app-errors"], names);
        foreach (var name in names)
        {
            var alarm = Assert.Single(site.Service.Resources("AWS::CloudWatch::Alarm"), a => a.Properties.Str("AlarmName") == name).Properties;
            var evaluationMinutes = alarm.Int("EvaluationPeriods") * alarm.Int("Period") / 60;
            Assert.True(evaluationMinutes < deployment.Int("BakeTimeInMinutes"),
                $"{name} needs {evaluationMinutes} minutes to fire, the bake time is {deployment.Int("BakeTimeInMinutes")}");
        }
    }

    [Theory, InlineData("dev", 80), InlineData("prod", 443)]
    public void ProductionAndTestTrafficReachTheTasksOnlyThroughRulesThatWeighBothTargetGroups(string env, int productionPort)
    {
        var site = Site(env);
        var loadBalancer = Service(env).Items("LoadBalancers").Single();
        var blue = loadBalancer.At("TargetGroupArn").Target();
        var advanced = loadBalancer.At("AdvancedConfiguration");
        var green = advanced.At("AlternateTargetGroupArn").Target();

        Assert.NotEqual(blue, green);
        foreach (var (rule, port) in new[] { (advanced.At("ProductionListenerRule").Target(), productionPort), (advanced.At("TestListenerRule").Target(), 8443) })
        {
            var properties = site.Service.Resource(rule).At("Properties");
            Assert.Equal(ListenerId(site, port), properties.At("ListenerArn").Target());
            var forward = Assert.Single(properties.Items("Actions"));
            Assert.Equal("forward", forward.Str("Type"));
            Assert.Equal([(blue, 100), (green, 0)],
                forward.Items("ForwardConfig", "TargetGroups").Select(t => (t.At("TargetGroupArn").Target(), t.Int("Weight"))));
        }
    }

    /// <summary>After a deploy the group a default action named may be the empty one: no default action forwards.</summary>
    [Theory, InlineData("dev"), InlineData("prod")]
    public void NoListenerForwardsByDefault(string env)
    {
        var listeners = Site(env).Service.Resources("AWS::ElasticLoadBalancingV2::Listener");

        Assert.Contains(listeners, l => l.Properties.Int("Port") == 8443);
        Assert.All(listeners, l => Assert.Contains(Assert.Single(l.Properties.Items("DefaultActions")).Str("Type"), NonForwarding));
        Assert.All(listeners.Where(l => l.Properties.Str("DefaultActions", 0, "Type") == "fixed-response"),
            l => Assert.Equal("403", l.Properties.Str("DefaultActions", 0, "FixedResponseConfig", "StatusCode")));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheTestListenerIsReachableFromInsideTheVpcOnly(string env)
    {
        var site = Site(env);
        var ingress = site.Data.Resources("AWS::EC2::SecurityGroup")
            .SelectMany(g => g.Properties.Has("SecurityGroupIngress") ? g.Properties.Items("SecurityGroupIngress") : [])
            .Where(r => r.Has("FromPort") && r.Int("FromPort") == 8443);

        var rule = Assert.Single(ingress);
        Assert.Equal(8443, rule.Int("ToPort"));
        Assert.Equal(site.Data.Only("AWS::EC2::VPC").Str("CidrBlock"), rule.Str("CidrIp"));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void EcsShiftsTrafficWithARoleOnlyItMayAssume(string env)
    {
        var site = Site(env);
        var role = site.Service.Resource(Service(env).At("LoadBalancers", 0, "AdvancedConfiguration", "RoleArn").Target()).At("Properties");

        Assert.Equal("ecs.amazonaws.com", role.Str("AssumeRolePolicyDocument", "Statement", 0, "Principal", "Service"));
        var policy = Assert.Single(role.Items("ManagedPolicyArns"));
        Assert.EndsWith(":iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers",
            policy.At("Fn::Join", 1).EnumerateArray().Last().GetString(), StringComparison.Ordinal);
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void WhatWatchesTargetsSeesBothTargetGroups(string env)
    {
        var site = Site(env);
        var groups = site.Service.Resources("AWS::ElasticLoadBalancingV2::TargetGroup").Select(g => g.Id).ToList();
        var unhealthy = Alarm(site, "unhealthy-hosts");
        var target5xx = Alarm(site, "target-5xx");

        site.Service.Template.ResourceCountIs("AWS::ElasticLoadBalancingV2::TargetGroup", 2);
        var watched = unhealthy.Items("Metrics").Where(m => m.Has("MetricStat"))
            .Select(m => m.Items("MetricStat", "Metric", "Dimensions").Single(d => d.Str("Name") == "TargetGroup").At("Value").ToString());
        Assert.All(groups, g => Assert.Single(watched, w => w.Contains(g, StringComparison.Ordinal)));
        Assert.DoesNotContain(target5xx.Items("Dimensions"), d => d.Str("Name") == "TargetGroup");
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void BothTargetGroupsCheckReadinessAlike(string env)
    {
        var groups = Site(env).Service.Resources("AWS::ElasticLoadBalancingV2::TargetGroup").Select(g => g.Properties).ToList();

        // Blue and green: the count is the requirement here.
        Site(env).Service.Template.ResourceCountIs("AWS::ElasticLoadBalancingV2::TargetGroup", 2);
        foreach (var property in new[] { "HealthCheckPath", "HealthCheckIntervalSeconds", "HealthCheckTimeoutSeconds", "HealthyThresholdCount",
            "UnhealthyThresholdCount", "Matcher", "TargetGroupAttributes", "TargetType", "Protocol" })
        {
            Assert.Equal(groups[0].At(property).ToString(), groups[1].At(property).ToString());
        }
    }

    private static readonly string[] NonForwarding = ["fixed-response", "redirect"];

    private JsonElement Service(string env) => Site(env).Service.Only("AWS::ECS::Service");

    private static string ListenerId(SynthesizedSite site, int port) =>
        Assert.Single(site.Service.Resources("AWS::ElasticLoadBalancingV2::Listener"), l => l.Properties.Int("Port") == port).Id;

    private static JsonElement Alarm(SynthesizedSite site, string name) =>
        Assert.Single(site.Service.Resources("AWS::CloudWatch::Alarm"), a => a.Properties.Str("AlarmName") == $"site-{site.Settings.Name}-{name}").Properties;
}
