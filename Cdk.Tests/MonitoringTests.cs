using System.Text;
using System.Text.Json;
using Site.Cdk.Tests.Synthesis;

namespace Site.Cdk.Tests;

/// <summary>Saved queries, metric filters, alarms, deployment alarms and the dashboard of the service stack.</summary>
public sealed class MonitoringTests(DevSite dev, ProdSite prod) : SiteTests(dev, prod)
{
    private const string RequestTemplate = "template = \"HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms\"";

    [Theory]
    [InlineData("Request by trace id", "filter traceId = \"PASTE-TRACE-ID\"", "level", "message", "Route", "StatusCode", "Elapsed", "DatabaseEndpoint", "ExceptionType", "exception", "sort @timestamp asc")]
    [InlineData("Errors by route and exception type", "filter level = \"Error\"", "count(*)", "by Route, ExceptionType", "ExceptionMessage", "traceId")]
    [InlineData("Slowest routes", RequestTemplate, "pct(Elapsed, 50)", "pct(Elapsed, 95)", "pct(Elapsed, 99)", "avg(DbElapsed)", "by Route", "sort p99 desc")]
    [InlineData("5xx by route over time", RequestTemplate, "StatusCode >= 500", "by bin(5m), Route, StatusCode")]
    [InlineData("Database failures", "filter StatusCode >= 500 and ispresent(DbOperation)", "by DbOperation, ExceptionType, DatabaseEndpoint", "ExceptionMessage")]
    [InlineData("Database outages", "filter EventId.Name in [\"DatabaseOutageStarted\", \"DatabaseOutageEnded\"]", "DatabaseEndpoint", "DatabaseError", "OutageSeconds", "RefusedRequests")]
    [InlineData("Slow database operations", "filter EventId.Name = \"SlowDatabaseOperation\"", "max(ElapsedMs)", "by DbOperation, Route")]
    [InlineData("Connection pool exhaustion by task", "filter EventId.Name = \"DatabasePoolExhausted\"", "count(*)", "by @logStream, DbOperation", "traceId")]
    [InlineData("Requests of one client IP", "filter ClientIp = \"PASTE-CLIENT-IP\"", "RequestMethod", "RequestPath", "StatusCode", "Elapsed", "UserAgentFamily", "traceId")]
    [InlineData("Admin sign-in failures and lockouts", "filter EventId.Name in [\"AdminSignInFailed\", \"AdminSignInLockedOut\"]", "by ClientIp, EventId.Name")]
    [InlineData("Start-ups and shut-downs by task and version", "EventId.Name in", "strcontains(EventId.Name, \"AppStarted\")", "strcontains(EventId.Name, \"AppStopping\")", "by AppVersion, @logStream")]
    public void SavedQueriesSelectTheAppsLogFieldsInItsLogGroup(string name, params string[] fragments)
    {
        foreach (var site in BothSites)
        {
            var query = Assert.Single(site.Service.Resources("AWS::Logs::QueryDefinition"),
                q => q.Properties.Str("Name") == $"site-{site.Settings.Name}/{name}").Properties;

            Assert.StartsWith(AppLogsExport(site), Assert.Single(query.Items("LogGroupNames")).Target(), StringComparison.Ordinal);
            Assert.All(fragments, f => Assert.Contains(f, query.Str("QueryString"), StringComparison.Ordinal));
        }
    }

    [Fact]
    public void EverySavedQueryIsCoveredAbove() =>
        Assert.All(BothSites, site => Assert.Equal(11, site.Service.Resources("AWS::Logs::QueryDefinition").Count));

    [Theory]
    [InlineData("AppErrors", "{ $.level = \"Error\" }")]
    [InlineData("DatabaseFailures", "{ ($.StatusCode >= 500) && ($.DbOperation = \"*\") }")]
    public void LogEventsAreCountedIntoTheEnvironmentsNamespace(string metric, string pattern)
    {
        foreach (var site in BothSites)
        {
            var filter = Assert.Single(site.Service.Resources("AWS::Logs::MetricFilter"),
                f => f.Properties.Str("MetricTransformations", 0, "MetricName") == metric).Properties;

            Assert.Equal(pattern, filter.Str("FilterPattern"));
            Assert.StartsWith(AppLogsExport(site), filter.At("LogGroupName").Target(), StringComparison.Ordinal);
            Assert.Equal($"Site/{site.Settings.Name}", filter.Str("MetricTransformations", 0, "MetricNamespace"));
            Assert.Equal("1", filter.Str("MetricTransformations", 0, "MetricValue"));
        }
    }

    [Theory]
    [InlineData("target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", 60, "GreaterThanOrEqualToThreshold", 10, 5, "notBreaching")]
    [InlineData("p99-response-time", "AWS/ApplicationELB", "TargetResponseTime", "p99", 300, "GreaterThanThreshold", 3, 2, "notBreaching")]
    [InlineData("task-cpu", "AWS/ECS", "CPUUtilization", "Average", 60, "GreaterThanThreshold", 80, 80, "notBreaching")]
    [InlineData("task-memory", "AWS/ECS", "MemoryUtilization", "Average", 60, "GreaterThanThreshold", 80, 80, "notBreaching")]
    [InlineData("database-cpu", "AWS/RDS", "CPUUtilization", "Average", 300, "GreaterThanThreshold", 80, 80, "notBreaching")]
    [InlineData("database-free-storage", "AWS/RDS", "FreeStorageSpace", "Minimum", 300, "LessThanThreshold", 2147483648.0, 2147483648.0, "breaching")]
    [InlineData("database-connections", "AWS/RDS", "DatabaseConnections", "Maximum", 300, "GreaterThanOrEqualToThreshold", 60, 500, "notBreaching")]
    [InlineData("request-p99", "Site/{env}", "Elapsed", "p99", 300, "GreaterThanThreshold", 3000, 2000, "notBreaching")]
    [InlineData("app-errors", "Site/{env}", "AppErrors", "Sum", 60, "GreaterThanOrEqualToThreshold", 10, 5, "notBreaching")]
    [InlineData("database-failures", "Site/{env}", "DatabaseFailures", "Sum", 60, "GreaterThanOrEqualToThreshold", 5, 3, "notBreaching")]
    public void AlarmsWatchTheirMetricAgainstTheEnvironmentsThreshold(string name, string space, string metric, string statistic,
        int period, string comparison, double devThreshold, double prodThreshold, string missingData)
    {
        foreach (var (site, threshold) in new[] { ((SynthesizedSite)Dev, devThreshold), (Prod, prodThreshold) })
        {
            var alarm = Alarm(site, name);

            Assert.Equal(space.Replace("{env}", site.Settings.Name, StringComparison.Ordinal), alarm.Str("Namespace"));
            Assert.Equal(metric, alarm.Str("MetricName"));
            Assert.Equal(statistic, alarm.Has("Statistic") ? alarm.Str("Statistic") : alarm.Str("ExtendedStatistic"));
            Assert.Equal(period, alarm.Int("Period"));
            Assert.Equal(comparison, alarm.Str("ComparisonOperator"));
            Assert.Equal(threshold, alarm.At("Threshold").GetDouble());
            Assert.Equal(missingData, alarm.Str("TreatMissingData"));
            Assert.InRange(alarm.Int("DatapointsToAlarm"), 1, alarm.Int("EvaluationPeriods"));
        }
    }

    // The app's lines publish Elapsed per route and, through an empty dimension set, for all routes: the alarm needs the latter.
    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheRequestLatencyAlarmWatchesAllRoutesTogether(string env) =>
        Assert.False(Alarm(Site(env), "request-p99").Has("Dimensions"));

    [Theory, InlineData("dev", 5), InlineData("prod", 1)]
    public void TheLoadBalancer5xxRateIsAPercentageOfRequestsOnlyWithEnoughTraffic(string env, double percent)
    {
        var alarm = Alarm(Site(env), "alb-5xx-rate");
        var metrics = MathMetrics(alarm);

        Assert.Equal("IF(requests >= 50, 100 * FILL(errors, 0) / requests, 0)", metrics["expression"]);
        Assert.Equal("AWS/ApplicationELB:RequestCount:Sum", metrics["requests"]);
        Assert.Equal("AWS/ApplicationELB:HTTPCode_ELB_5XX_Count:Sum", metrics["errors"]);
        Assert.Equal(percent, alarm.At("Threshold").GetDouble());
        Assert.Equal("GreaterThanThreshold", alarm.Str("ComparisonOperator"));
        Assert.Equal("notBreaching", alarm.Str("TreatMissingData"));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void FewerRunningTasksThanDesiredForFiveMinutesIsAnAlarmAndSoIsSilence(string env)
    {
        var alarm = Alarm(Site(env), "running-tasks");
        var metrics = MathMetrics(alarm);

        Assert.Equal("desired - FILL(running, 0)", metrics["expression"]);
        Assert.Equal("ECS/ContainerInsights:DesiredTaskCount:Average", metrics["desired"]);
        Assert.Equal("ECS/ContainerInsights:RunningTaskCount:Average", metrics["running"]);
        Assert.Equal(1, alarm.At("Threshold").GetDouble());
        Assert.Equal("GreaterThanOrEqualToThreshold", alarm.Str("ComparisonOperator"));
        Assert.Equal((5, 5), (alarm.Int("EvaluationPeriods"), alarm.Int("DatapointsToAlarm")));
        Assert.Equal("breaching", alarm.Str("TreatMissingData"));
    }

    /// <summary>Prod has one alarm more: the web ACL's blocked requests.</summary>
    [Theory, InlineData("dev", 13), InlineData("prod", 14)]
    public void EveryAlarmNotifiesTheTopicWhenItFiresAndWhenItRecovers(string env, int count)
    {
        var service = Site(env).Service;
        var topic = service.IdOf("AWS::SNS::Topic", _ => true);
        var alarms = service.Resources("AWS::CloudWatch::Alarm");

        Assert.Equal(count, alarms.Count);
        Assert.All(alarms, a =>
        {
            Assert.StartsWith($"site-{env}-", a.Properties.Str("AlarmName"), StringComparison.Ordinal);
            Assert.Equal(topic, Assert.Single(a.Properties.Items("AlarmActions")).Target());
            Assert.Equal(topic, Assert.Single(a.Properties.Items("OKActions")).Target());
        });
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheAlarmTopicIsEncryptedWithARotatedKeyCloudWatchMayPublishWith(string env)
    {
        var service = Site(env).Service;
        var key = service.IdOf("AWS::KMS::Key", _ => true);
        var keyProperties = service.Resource(key).At("Properties");

        Assert.Equal(key, service.Only("AWS::SNS::Topic").At("KmsMasterKeyId").Target());
        Assert.True(keyProperties.At("EnableKeyRotation").GetBoolean());
        var cloudWatch = Assert.Single(keyProperties.Items("KeyPolicy", "Statement"),
            s => s.At("Principal").Has("Service") && s.Str("Principal", "Service") == "cloudwatch.amazonaws.com");
        Assert.Equal(["kms:Decrypt", "kms:GenerateDataKey*"], cloudWatch.At("Action").Strings());
    }

    [Fact]
    public void AlarmMailGoesToTheAddressFromContextOnlyWhenOneIsGiven()
    {
        var subscription = Prod.Service.Only("AWS::SNS::Subscription");

        Assert.Equal("email", subscription.Str("Protocol"));
        Assert.Equal(ProdSite.AlarmEmail, subscription.Str("Endpoint"));
        Assert.Equal(Prod.Service.IdOf("AWS::SNS::Topic", _ => true), subscription.At("TopicArn").Target());
        Assert.Empty(Dev.Service.Resources("AWS::SNS::Subscription"));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void ADeployThatRaisesTheTarget5xxOrAppErrorAlarmRollsBack(string env)
    {
        var service = Site(env).Service;
        var ecs = service.Resource(service.IdOf("AWS::ECS::Service", _ => true));
        var alarms = ecs.At("Properties", "DeploymentConfiguration", "Alarms");
        var names = alarms.Items("AlarmNames").Select(n => n.GetString()!).ToList();

        Assert.True(alarms.At("Enable").GetBoolean());
        Assert.True(alarms.At("Rollback").GetBoolean());
        Assert.Equal([$"site-{env}-target-5xx", $"site-{env}-app-errors"], names);
        // The names are literal, so the service must wait for the alarms to exist (a cycle would fail synthesis).
        var dependsOn = ecs.Items("DependsOn").Select(d => d.GetString()).ToList();
        Assert.All(names, n => Assert.Contains(service.IdOf("AWS::CloudWatch::Alarm", a => a.Str("AlarmName") == n), dependsOn));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheDashboardShowsTrafficLatencyErrorsTasksResourcesAndRecentErrors(string env)
    {
        var dashboard = Site(env).Service.Only("AWS::CloudWatch::Dashboard");
        using var body = JsonDocument.Parse(Rendered(dashboard.At("DashboardBody")));
        var widgets = body.RootElement.Items("widgets").Select(w => w.At("properties")).ToList();
        var metrics = widgets.Where(w => w.Has("metrics")).ToDictionary(w => w.Str("title"),
            w => w.Items("metrics").Select(m => string.Join(' ', m.EnumerateArray().Select(p => p.ToString()))).ToList());

        Assert.Equal($"site-{env}", dashboard.Str("DashboardName"));
        Assert.Contains(metrics["Requests"], m => m.Contains("RequestCount", StringComparison.Ordinal));
        Assert.All(["p50", "p95", "p99"], p => Assert.Contains(metrics["Response time (s)"], m => m.Contains("TargetResponseTime", StringComparison.Ordinal) && m.Contains($"\"stat\":\"{p}\"", StringComparison.Ordinal)));
        Assert.All(["HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count", "AppErrors", "DatabaseFailures"], name => Assert.Contains(metrics["Errors"], m => m.Contains(name, StringComparison.Ordinal)));
        Assert.All(["RunningTaskCount", "DesiredTaskCount"], name => Assert.Contains(metrics["Tasks: running and desired"], m => m.Contains(name, StringComparison.Ordinal)));
        Assert.All(["CPUUtilization", "MemoryUtilization"], name => Assert.Contains(metrics["Task CPU and memory (%)"], m => m.Contains(name, StringComparison.Ordinal)));
        Assert.All(["CPUUtilization", "DatabaseConnections"], name => Assert.Contains(metrics["Database CPU (%) and connections"], m => m.Contains("AWS/RDS", StringComparison.Ordinal) && m.Contains(name, StringComparison.Ordinal)));
        Assert.Contains(metrics["Database free storage (bytes)"], m => m.Contains("FreeStorageSpace", StringComparison.Ordinal));

        Assert.All(["Elapsed", "DbElapsed"], name =>
        {
            var byRoute = widgets.Single(w => w.Has("title") && w.Str("title") == (name == "Elapsed" ? "Request duration p99 by route (ms)" : "Database time p99 by route (ms)"));
            var lines = byRoute.Items("metrics").Select(m => m.ToString()).ToList();
            Assert.Contains(lines, m => m.Contains($"SEARCH('{{Site/{env},Route}} MetricName=\\\"{name}\\\"', 'p99', 60)", StringComparison.Ordinal));
            Assert.Contains(lines, m => m.Contains($"\"Site/{env}\",\"{name}\"", StringComparison.Ordinal) && m.Contains("\"stat\":\"p99\"", StringComparison.Ordinal));
        });

        var scaling = widgets.Single(w => w.Has("title") && w.Str("title") == "Task CPU and memory (%)");
        Assert.Equal(50, Assert.Single(scaling.Items("annotations", "horizontal")).Int("value"));

        var errors = widgets.Single(w => w.Has("query"));
        Assert.Equal("Recent errors", errors.Str("title"));
        Assert.Contains("filter level = \"Error\"", errors.Str("query"), StringComparison.Ordinal);
        Assert.Contains("SOURCE 'TOKEN'", errors.Str("query"), StringComparison.Ordinal);
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheServiceStackOutputsTheDashboardUrl(string env) =>
        Assert.Equal($"https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=site-{env}",
            Site(env).Service.Output("DashboardUrl").Str("Value"));

    [Theory, InlineData("dev", 30), InlineData("prod", 90)]
    public void TheLoadBalancerLogsRequestsToABucketThatExpiresThem(string env, int days)
    {
        var site = Site(env);
        var bucketId = Assert.Single(site.Data.Resources("AWS::S3::Bucket"), b => b.Id.StartsWith("AccessLogs", StringComparison.Ordinal)).Id;
        var bucket = site.Data.Resource(bucketId).At("Properties");
        var attributes = site.Service.Only("AWS::ElasticLoadBalancingV2::LoadBalancer").Items("LoadBalancerAttributes")
            .ToDictionary(a => a.Str("Key"), a => a.At("Value"));
        var policy = Assert.Single(site.Data.Resources("AWS::S3::BucketPolicy"), p => p.Properties.At("Bucket").Target() == bucketId);

        Assert.Equal("true", attributes["access_logs.s3.enabled"].GetString());
        Assert.Contains(bucketId, attributes["access_logs.s3.bucket"].Target(), StringComparison.Ordinal);
        Assert.Equal("AES256", bucket.Str("BucketEncryption", "ServerSideEncryptionConfiguration", 0, "ServerSideEncryptionByDefault", "SSEAlgorithm"));
        Assert.Equal(days, Assert.Single(bucket.Items("LifecycleConfiguration", "Rules")).Int("ExpirationInDays"));
        Assert.Contains(policy.Properties.Items("PolicyDocument", "Statement"), s => s.Str("Effect") == "Allow"
            && s.At("Action").Strings().SequenceEqual(["s3:PutObject"])
            && s.At("Resource").ToString().Contains("/alb/AWSLogs/", StringComparison.Ordinal));
    }

    private static JsonElement Alarm(SynthesizedSite site, string name) =>
        Assert.Single(site.Service.Resources("AWS::CloudWatch::Alarm"), a => a.Properties.Str("AlarmName") == $"site-{site.Settings.Name}-{name}").Properties;

    /// <summary>The start of the export name through which the service stack reads the app's log group.</summary>
    private static string AppLogsExport(SynthesizedSite site) =>
        $"{site.Data.Name}:ExportsOutputRef{site.Data.IdOf("AWS::Logs::LogGroup", g => g.Has("LogGroupName") && g.Str("LogGroupName") == $"/site/{site.Settings.Name}/web")}";

    /// <summary>A metric-math alarm as "expression" plus "namespace:metric:stat" per id.</summary>
    private static Dictionary<string, string> MathMetrics(JsonElement alarm) => alarm.Items("Metrics").ToDictionary(
        m => m.Has("Expression") ? "expression" : m.Str("Id"),
        m => m.Has("Expression") ? m.Str("Expression")
            : $"{m.Str("MetricStat", "Metric", "Namespace")}:{m.Str("MetricStat", "Metric", "MetricName")}:{m.Str("MetricStat", "Stat")}");

    /// <summary>The dashboard JSON with every CloudFormation reference in it replaced by TOKEN.</summary>
    private static string Rendered(JsonElement body)
    {
        if (body.ValueKind == JsonValueKind.String)
        {
            return body.GetString()!;
        }
        var text = new StringBuilder();
        foreach (var part in body.Items("Fn::Join", 1))
        {
            text.Append(part.ValueKind == JsonValueKind.String ? part.GetString() : "TOKEN");
        }
        return text.ToString();
    }
}
