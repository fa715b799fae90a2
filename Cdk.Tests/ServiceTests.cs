using System.Text.Json;
using Amazon.CDK.Assertions;
using Site.Cdk.Tests.Synthesis;
using static Site.Cdk.Tests.Synthesis.TaskContainers;
using Site.Web.Admin;

namespace Site.Cdk.Tests;

public sealed class ServiceTests(DevSite dev, ProdSite prod) : SiteTests(dev, prod)
{
    [Theory, InlineData("dev", "256", "512"), InlineData("prod", "512", "1024")]
    public void TasksRunOnArm64WithTheEnvironmentsCpuAndMemory(string env, string cpu, string memory)
    {
        Site(env).Service.Template.HasResourceProperties("AWS::ECS::TaskDefinition", Like.Object(
            ("RuntimePlatform", Like.Dictionary(("CpuArchitecture", "ARM64"), ("OperatingSystemFamily", "LINUX"))),
            ("RequiresCompatibilities", new object[] { "FARGATE" }),
            ("Cpu", cpu),
            ("Memory", memory)));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheContainerServesPort8080(string env)
    {
        var container = Container(env);

        Assert.Equal(8080, container.Int("PortMappings", 0, "ContainerPort"));
        Assert.Equal("8080", EnvironmentOf(container)["ASPNETCORE_HTTP_PORTS"].GetString());
    }

    [Theory, InlineData("dev", ":" + SynthesizedSite.ImageTag), InlineData("prod", "@" + SynthesizedSite.ImageDigest)]
    public void TheImageIsNamedByTheContextDigestOrElseTagAndTheVersionIsTheCommit(string env, string reference)
    {
        var image = Container(env).At("Image", "Fn::Join", 1);

        Assert.EndsWith($"/site-{env}{reference}", image.EnumerateArray().Last().GetString(), StringComparison.Ordinal);
        Assert.Equal(SynthesizedSite.ImageTag, EnvironmentOf(Container(env))["APP_VERSION"].GetString());
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheTaskMayPullFromTheEnvironmentsRepositoryOnly(string env)
    {
        var site = Site(env);
        var executionRole = site.Service.Only("AWS::ECS::TaskDefinition").At("ExecutionRoleArn").Target();
        var pulls = site.Service.Resources("AWS::IAM::Policy")
            .Where(p => p.Properties.Items("Roles").Any(r => r.Target() == executionRole))
            .SelectMany(p => p.Properties.Items("PolicyDocument", "Statement"))
            .Where(s => s.At("Action").Strings().Contains("ecr:BatchGetImage"));

        var pull = Assert.Single(pulls);
        Assert.EndsWith($":repository/site-{env}", pull.At("Resource", "Fn::Join", 1).EnumerateArray().Last().GetString(), StringComparison.Ordinal);
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheAppIsToldItsEnvironmentAndRegion(string env)
    {
        var environment = EnvironmentOf(Container(env));

        Assert.Equal(env, environment["Site__Environment"].GetString());
        Assert.Equal(SynthesizedSite.Region, environment["AWS_REGION"].GetString());
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheDatabaseLocationIsPlainEnvironmentWithVerifiedTls(string env)
    {
        var site = Site(env);
        var environment = EnvironmentOf(Container(env));
        var instance = site.Data.IdOf("AWS::RDS::DBInstance", _ => true);

        // Through RDS Proxy (prod) the web container names the proxy instead (DatabaseProxyTests).
        if (!site.Settings.DatabaseProxy)
        {
            Assert.Contains($"{instance}EndpointAddress", environment["Database__Host"].Target(), StringComparison.Ordinal);
            Assert.Contains($"{instance}EndpointPort", environment["Database__Port"].Target(), StringComparison.Ordinal);
            Assert.Equal("/app/certs/rds-global-bundle.pem", environment["Database__SslCa"].GetString());
        }

        Assert.Equal("site", environment["Database__Name"].GetString());
        Assert.Equal("VerifyFull", environment["Database__SslMode"].GetString());
        Assert.Equal("Iam", environment["Database__Auth"].GetString());
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheOwnersSignInComesFromTheAdminSecret(string env)
    {
        var secrets = SecretsOf(Container(env));
        var admin = Site(env).Data.IdOf("AWS::SecretsManager::Secret",
            s => s.Has("SecretString") && s.Str("SecretString").Contains(AdminSecret.PasswordHashField, StringComparison.Ordinal));

        AssertSecretField(secrets["Admin__User"], admin, AdminSecret.UserField);
        AssertSecretField(secrets["Admin__PasswordHash"], admin, AdminSecret.PasswordHashField);
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheDataProtectionKeyIsAGeneratedSecretReadAtStartNeverPlainEnvironment(string env)
    {
        var container = Container(env);
        var key = Site(env).Data.Resources("AWS::SecretsManager::Secret").Single(s => s.Id.StartsWith("DataProtectionKey", StringComparison.Ordinal));
        var generator = key.Properties.At("GenerateSecretString");

        AssertSecretField(SecretsOf(container)["DataProtection__KeyEncryptionKey"], key.Id, "key");
        Assert.DoesNotContain("DataProtection__KeyEncryptionKey", EnvironmentOf(container).Keys);
        Assert.Equal("key", generator.Str("GenerateStringKey"));
        Assert.True(generator.Int("PasswordLength") >= 32);
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheContainerProbesItsOwnLivenessWithTheApp(string env)
    {
        var check = Container(env).At("HealthCheck");

        Assert.Equal(["CMD", "dotnet", "/app/Site.Web.dll", "probe"], check.Items("Command").Select(c => c.GetString()));
        Assert.Equal(15, check.Int("Interval"));
        Assert.Equal(5, check.Int("Timeout"));
        Assert.Equal(3, check.Int("Retries"));
        Assert.Equal(30, check.Int("StartPeriod"));
        // The probe gives up after 2 s; the rest of the timeout is the runtime's start on a fraction of a vCPU.
        Assert.InRange(check.Int("Timeout"), 3, check.Int("Interval") - 1);
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheClusterCollectsContainerInsights(string env) =>
        Site(env).Service.Template.HasResourceProperties("AWS::ECS::Cluster", Like.Object(
            ("ClusterSettings", Like.ArrayWith(Like.Dictionary(("Name", "containerInsights"), ("Value", "enabled"))))));

    [Theory, InlineData("dev"), InlineData("prod")]
    public void MediaIsServedFromTheMediaBucket(string env)
    {
        var environment = EnvironmentOf(Container(env));
        var bucket = Site(env).MediaBucketId;

        Assert.Equal("S3", environment["Media__Provider"].GetString());
        Assert.Contains($"Ref{bucket}", environment["Media__Bucket"].Target(), StringComparison.Ordinal);
    }

    [Theory, InlineData("dev", 30), InlineData("prod", 90)]
    public void LogsGoNonBlockingToANamedGroupWithTheEnvironmentsRetention(string env, int days)
    {
        var site = Site(env);
        var options = Container(env).At("LogConfiguration");
        var group = site.Data.IdOf("AWS::Logs::LogGroup", g => g.Has("LogGroupName") && g.Str("LogGroupName") == $"/site/{env}/web");

        Assert.Equal("awslogs", options.Str("LogDriver"));
        Assert.Equal("non-blocking", options.Str("Options", "mode"));
        Assert.Contains($"Ref{group}", options.At("Options", "awslogs-group").Target(), StringComparison.Ordinal);
        Assert.Equal(days, site.Data.Resource(group).Int("Properties", "RetentionInDays"));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TasksRunInThePrivateSubnetsWithoutPublicAddresses(string env)
    {
        var site = Site(env);
        var network = site.Service.Only("AWS::ECS::Service").At("NetworkConfiguration", "AwsvpcConfiguration");
        var privateSubnets = site.Data.Subnets(isPublic: false).Select(s => s.Id).ToList();

        Assert.Equal("DISABLED", network.Str("AssignPublicIp"));
        Assert.Equal(2, network.Items("Subnets").Count());
        Assert.All(network.Items("Subnets"), s => Assert.Contains(privateSubnets, p => s.Target().Contains(p, StringComparison.Ordinal)));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void DeploysKeepFullCapacity(string env) =>
        Site(env).Service.Template.HasResourceProperties("AWS::ECS::Service", Like.Object(
            ("LaunchType", "FARGATE"),
            ("DeploymentConfiguration", Like.Dictionary(("MinimumHealthyPercent", 100), ("MaximumPercent", 200)))));

    [Theory, InlineData("dev"), InlineData("prod")]
    public void AFailingDeployRollsBackByItself(string env) =>
        Site(env).Service.Template.HasResourceProperties("AWS::ECS::Service", Like.Object(
            ("DeploymentConfiguration", Like.Dictionary(("DeploymentCircuitBreaker", Like.Dictionary(("Enable", true), ("Rollback", true)))))));

    [Theory, InlineData("dev"), InlineData("prod")]
    public void NewTasksGetAGracePeriodBeforeHealthChecksCount(string env) =>
        Site(env).Service.Template.HasResourceProperties("AWS::ECS::Service", Like.Object(("HealthCheckGracePeriodSeconds", 60)));

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheLoadBalancerChecksReadinessOftenEnoughToRecoverFast(string env)
    {
        var group = PrimaryTargetGroup(env);

        Assert.Equal("/health/ready", group.Str("HealthCheckPath"));
        Assert.Equal("200", group.Str("Matcher", "HttpCode"));
        Assert.Equal(10, group.Int("HealthCheckIntervalSeconds"));
        Assert.Equal(5, group.Int("HealthCheckTimeoutSeconds"));
        Assert.Equal(2, group.Int("HealthyThresholdCount"));
        Assert.Equal(3, group.Int("UnhealthyThresholdCount"));
        Assert.Equal("ip", group.Str("TargetType"));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void DrainingOutlastsTheLongestRequestAndEndsBeforeTheContainerIsKilled(string env)
    {
        var deregistration = DeregistrationDelay(env);
        var stopTimeout = Container(env).Int("StopTimeout");

        // The longest request is bounded at about 10 s (3 s connect + 5 s command + rendering).
        Assert.Equal(20, deregistration);
        Assert.Equal(30, stopTimeout);
        Assert.InRange(deregistration, 11, stopTimeout - 1);
    }

    [Theory, InlineData("dev", 4), InlineData("prod", 10)]
    public void TaskCountScalesFromTwoToTheEnvironmentsMaximum(string env, int max)
    {
        Site(env).Service.Template.HasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", Like.Object(
            ("MinCapacity", 2), ("MaxCapacity", max), ("ScalableDimension", "ecs:service:DesiredCount")));
    }

    /// <summary>
    /// A count in the template would be applied by every deploy, scaling a busy service back in. Without one ECS keeps
    /// the current count on update, and on create the scalable target (registered once the service exists) raises the
    /// first task to the minimum.
    /// </summary>
    [Theory, InlineData("dev"), InlineData("prod")]
    public void AutoScalingAloneSetsTheTaskCount(string env)
    {
        var service = Site(env).Service;
        var serviceId = service.IdOf("AWS::ECS::Service", _ => true);
        var resourceId = service.Only("AWS::ApplicationAutoScaling::ScalableTarget").At("ResourceId", "Fn::Join", 1);

        service.Template.HasResourceProperties("AWS::ECS::Service", Like.Object(("DesiredCount", Match.Absent())));
        Assert.Contains(resourceId.EnumerateArray(), p => p.ValueKind == JsonValueKind.Object && p.Target() == serviceId);
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void ScalingTracksHalfTheCpuAndScalesInMoreSlowlyThanOut(string env)
    {
        var service = Site(env).Service;
        service.Template.HasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", Like.Object(
            ("PolicyType", "TargetTrackingScaling"),
            ("TargetTrackingScalingPolicyConfiguration", Like.Dictionary(
                ("PredefinedMetricSpecification", Like.Dictionary(("PredefinedMetricType", "ECSServiceAverageCPUUtilization"))),
                ("TargetValue", 50)))));

        var tracking = service.Only("AWS::ApplicationAutoScaling::ScalingPolicy").At("TargetTrackingScalingPolicyConfiguration");
        Assert.True(tracking.Int("ScaleInCooldown") > tracking.Int("ScaleOutCooldown"));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheTaskRoleMayOnlyReadMediaWriteUploadsAndConnectAsTheIamDatabaseUser(string env)
    {
        var site = Site(env);
        var statements = site.TaskRoleStatements;
        var bucket = site.MediaBucketId;
        var instance = site.Data.IdOf("AWS::RDS::DBInstance", _ => true);

        Assert.Equal(4, statements.Count);
        var media = statements.Where(s => s.At("Action").Strings().All(a => a.StartsWith("s3:", StringComparison.Ordinal))).ToList();
        // Which objects each may touch: MediaTests.
        Assert.Equal(["s3:DeleteObject", "s3:GetObject", "s3:ListBucket", "s3:PutObject"], media.SelectMany(s => s.At("Action").Strings()).Order());
        Assert.All(media, s => Assert.Contains(bucket, s.At("Resource").ToString(), StringComparison.Ordinal));

        var connect = Assert.Single(statements, s => s.At("Action").Strings().SequenceEqual(["rds-db:connect"]));
        var arn = connect.At("Resource", "Fn::Join", 1).EnumerateArray().ToList();
        Assert.StartsWith("arn:aws:rds-db:", arn[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(":dbuser:", arn[^3].GetString());
        // Through RDS Proxy (prod) the resource is the proxy's id instead (DatabaseProxyTests).
        if (!site.Settings.DatabaseProxy)
        {
            Assert.Contains($"{instance}DbiResourceId", arn[^2].Target(), StringComparison.Ordinal);
        }

        Assert.Equal("/site_app", arn[^1].GetString());
    }

    private JsonElement Container(string env) => WebContainer(Site(env));

    /// <summary>The group the service names; the alternate one is checked alike (BlueGreenDeployTests).</summary>
    private JsonElement PrimaryTargetGroup(string env) =>
        Site(env).Service.Resource(Site(env).Service.Only("AWS::ECS::Service").At("LoadBalancers", 0, "TargetGroupArn").Target()).At("Properties");

    private int DeregistrationDelay(string env) => PrimaryTargetGroup(env)
        .Items("TargetGroupAttributes").Single(a => a.Str("Key") == "deregistration_delay.timeout_seconds").Int("Value");
}
