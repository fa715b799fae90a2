using System.Text;
using System.Text.Json;
using Amazon.CDK.Assertions;
using Site.Cdk.Tests.Synthesis;

namespace Site.Cdk.Tests;

/// <summary>Saved queries, metric filters, alarms, deployment alarms and the dashboard of the service stack.</summary>
public sealed class MonitoringTests(DevSite dev, ProdSite prod) : SiteTests(dev, prod)
{
    private const string RequestTemplate = "template = \"HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms\"";

    /// <summary>Each saved query by its name, with what its text must contain.</summary>
    private static readonly Dictionary<string, string[]> SavedQueries = new()
    {
        ["Request by trace id"] = ["filter traceId = \"PASTE-TRACE-ID\"", "level", "message", "Route", "StatusCode", "Elapsed", "DatabaseEndpoint", "ExceptionType", "exception", "sort @timestamp asc"],
        ["Errors by route and exception type"] = ["filter level = \"Error\"", "count(*)", "by Route, ExceptionType", "ExceptionMessage", "traceId"],
        ["Slowest routes"] = [RequestTemplate, "pct(Elapsed, 50)", "pct(Elapsed, 95)", "pct(Elapsed, 99)", "avg(DbElapsed)", "by Route", "sort p99 desc"],
        ["5xx by route over time"] = [RequestTemplate, "StatusCode >= 500", "by bin(5m), Route, StatusCode"],
        ["Database failures"] = ["filter StatusCode >= 500 and ispresent(DbOperation)", "by DbOperation, ExceptionType, DatabaseEndpoint", "ExceptionMessage"],
        ["Database outages"] = ["filter EventId.Name in [\"DatabaseOutageStarted\", \"DatabaseOutageEnded\"]", "DatabaseEndpoint", "DatabaseError", "OutageSeconds", "RefusedRequests"],
        ["Slow database operations"] = ["filter EventId.Name = \"SlowDatabaseOperation\"", "max(ElapsedMs)", "by DbOperation, Route"],
        ["Connection pool exhaustion by task"] = ["filter EventId.Name = \"DatabasePoolExhausted\"", "count(*)", "by @logStream, DbOperation", "traceId"],
        ["Requests of one client IP"] = ["filter ClientIp = \"PASTE-CLIENT-IP\"", "RequestMethod", "RequestPath", "StatusCode", "Elapsed", "UserAgentFamily", "traceId"],
        ["Admin sign-in failures and lockouts"] = ["filter EventId.Name in [\"AdminSignInFailed\", \"AdminSignInLockedOut\"]", "by ClientIp, EventId.Name"],
        ["Start-ups and shut-downs by task and version"] = ["EventId.Name in", "strcontains(EventId.Name, \"AppStarted\")", "strcontains(EventId.Name, \"AppStopping\")", "by AppVersion, @logStream"],
    };

    public static TheoryData<string> SavedQueryNames => new(SavedQueries.Keys);

    [Theory, MemberData(nameof(SavedQueryNames))]
    public void SavedQueriesSelectTheAppsLogFieldsInItsLogGroup(string name)
    {
        var fragments = SavedQueries[name];
        foreach (var site in BothSites)
        {
            var query = Assert.Single(site.Service.Resources("AWS::Logs::QueryDefinition"),
                q => q.Properties.Str("Name") == $"site-{site.Settings.Name}/{name}").Properties;

            Assert.StartsWith(AppLogsExport(site), Assert.Single(query.Items("LogGroupNames")).Target(), StringComparison.Ordinal);
            Assert.All(fragments, f => Assert.Contains(f, query.Str("QueryString"), StringComparison.Ordinal));
        }
    }

    [Fact]
    public void EverySavedQueryIsCoveredAbove() => Assert.All(BothSites, site => Assert.Equal(
        SavedQueries.Keys.Select(name => $"site-{site.Settings.Name}/{name}").Order(),
        site.Service.Resources("AWS::Logs::QueryDefinition").Select(q => q.Properties.Str("Name")).Order()));

    [Theory]
    [InlineData("AppErrors", "{ $.level = \"Error\" }")]
    [InlineData("DatabaseFailures", "{ ($.StatusCode >= 500) && ($.DbOperation = \"*\") }")]
    public void LogEventsAreCountedIntoTheEnvironmentsNamespace(string metric, string pattern)
    {
        foreach (var site in BothSites)
        {
            site.Service.Template.HasResourceProperties("AWS::Logs::MetricFilter", Like.Object(
                ("FilterPattern", pattern),
                ("LogGroupName", Like.Dictionary(("Fn::ImportValue", FromAppLogs(site)))),
                ("MetricTransformations", new object[]
                {
                    Like.Dictionary(("MetricName", metric), ("MetricNamespace", $"Site/{site.Settings.Name}"), ("MetricValue", "1")),
                })));
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
            site.Service.Template.HasResourceProperties("AWS::CloudWatch::Alarm", Like.Object(
                ("AlarmName", $"site-{site.Settings.Name}-{name}"),
                ("Namespace", space.Replace("{env}", site.Settings.Name, StringComparison.Ordinal)),
                ("MetricName", metric),
                // Percentiles are extended statistics in CloudWatch's API.
                (statistic.StartsWith('p') ? "ExtendedStatistic" : "Statistic", statistic),
                ("Period", period),
                ("ComparisonOperator", comparison),
                ("Threshold", threshold),
                ("TreatMissingData", missingData)));
            var alarm = Alarm(site, name);
            Assert.InRange(alarm.Int("DatapointsToAlarm"), 1, alarm.Int("EvaluationPeriods"));
        }
    }

    // The app's lines publish Elapsed per route and, through an empty dimension set, for all routes: the alarm needs the latter.
    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheRequestLatencyAlarmWatchesAllRoutesTogether(string env) =>
        Site(env).Service.Template.HasResourceProperties("AWS::CloudWatch::Alarm", Like.Object(
            ("AlarmName", $"site-{env}-request-p99"), ("Dimensions", Match.Absent())));

    [Theory, InlineData("dev", 5), InlineData("prod", 1)]
    public void TheLoadBalancer5xxRateIsAPercentageOfRequestsOnlyWithEnoughTraffic(string env, double percent)
    {
        Site(env).Service.Template.HasResourceProperties("AWS::CloudWatch::Alarm", Like.Object(
            ("AlarmName", $"site-{env}-alb-5xx-rate"),
            ("Metrics", Match.ArrayWith([
                Like.Object(("Expression", "IF(requests >= 50, 100 * FILL(errors, 0) / requests, 0)")),
                MathInput("requests", "AWS/ApplicationELB", "RequestCount", "Sum"),
                MathInput("errors", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Sum"),
            ])),
            ("Threshold", percent),
            ("ComparisonOperator", "GreaterThanThreshold"),
            ("TreatMissingData", "notBreaching")));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void FewerRunningTasksThanDesiredForFiveMinutesIsAnAlarmAndSoIsSilence(string env)
    {
        Site(env).Service.Template.HasResourceProperties("AWS::CloudWatch::Alarm", Like.Object(
            ("AlarmName", $"site-{env}-running-tasks"),
            ("Metrics", Match.ArrayWith([
                Like.Object(("Expression", "desired - FILL(running, 0)")),
                MathInput("desired", "ECS/ContainerInsights", "DesiredTaskCount", "Average"),
                MathInput("running", "ECS/ContainerInsights", "RunningTaskCount", "Average"),
            ])),
            ("Threshold", 1),
            ("ComparisonOperator", "GreaterThanOrEqualToThreshold"),
            ("EvaluationPeriods", 5),
            ("DatapointsToAlarm", 5),
            ("TreatMissingData", "breaching")));
    }

    /// <summary>
    /// Prod's database proxy, watched by its name where only it sees trouble: statements waiting for a connection (at
    /// 2 s it refuses them), refused IAM sign-ins, and the proxy losing the database.
    /// </summary>
    [Theory]
    [InlineData("proxy-borrow-latency", "DatabaseConnectionsBorrowLatency", "Maximum", 60, "GreaterThanThreshold", 1_000_000, 3)]
    [InlineData("proxy-sign-in-failures", "ClientConnectionsSetupFailedAuth", "Sum", 300, "GreaterThanOrEqualToThreshold", 1, 1)]
    [InlineData("proxy-availability", "AvailabilityPercentage", "Average", 60, "LessThanThreshold", 100, 3)]
    public void ProdWatchesItsDatabaseProxyByName(string name, string metric, string statistic, int period, string comparison,
        double threshold, int periods)
    {
        Prod.Service.Template.HasResourceProperties("AWS::CloudWatch::Alarm", Like.Object(
            ("AlarmName", $"site-prod-{name}"),
            ("Namespace", "AWS/RDS"),
            ("MetricName", metric),
            ("Statistic", statistic),
            ("Period", period),
            ("ComparisonOperator", comparison),
            ("Threshold", threshold),
            ("EvaluationPeriods", periods),
            ("DatapointsToAlarm", periods),
            ("Dimensions", Match.ArrayWith([Like.Dictionary(("Name", "ProxyName"), ("Value", "site-prod"))]))));
        Dev.Service.Template.ResourcePropertiesCountIs("AWS::CloudWatch::Alarm", Like.Object(("Namespace", "AWS/RDS"), ("MetricName", metric)), 0);
    }

    /// <summary>
    /// The alarms of each environment, each checked for what it watches here, in BlueGreenDeployTests (unhealthy
    /// hosts) or in FirewallTests (the web ACL's blocked requests, prod only): none goes unchecked.
    /// </summary>
    [Theory]
    [InlineData("dev", "")]
    [InlineData("prod", "waf-blocked proxy-borrow-latency proxy-sign-in-failures proxy-availability")]
    public void EveryAlarmNotifiesTheTopicWhenItFiresAndWhenItRecovers(string env, string environmentOnly)
    {
        var service = Site(env).Service;
        var topic = Like.Ref(service.IdOf("AWS::SNS::Topic", _ => true));
        string[] alarms =
        [
            "alb-5xx-rate", "target-5xx", "unhealthy-hosts", "p99-response-time", "request-p99", "task-cpu", "task-memory",
            "running-tasks", "database-cpu", "database-free-storage", "database-connections", "app-errors", "database-failures",
            .. environmentOnly.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        ];

        Assert.Equal(alarms.Select(a => $"site-{env}-{a}").Order(),
            service.Resources("AWS::CloudWatch::Alarm").Select(a => a.Properties.Str("AlarmName")).Order());
        service.Template.AllResourcesProperties("AWS::CloudWatch::Alarm", Like.Object(
            ("AlarmActions", new object[] { topic }), ("OKActions", new object[] { topic })));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheAlarmTopicIsEncryptedWithARotatedKeyCloudWatchMayPublishWith(string env)
    {
        var service = Site(env).Service;
        var key = service.IdOf("AWS::KMS::Key", _ => true);

        service.Template.HasResourceProperties("AWS::SNS::Topic", Like.Object(
            ("KmsMasterKeyId", Like.Dictionary(("Fn::GetAtt", new object[] { key, "Arn" })))));
        service.Template.HasResourceProperties("AWS::KMS::Key", Like.Object(
            ("EnableKeyRotation", true),
            ("KeyPolicy", Like.Object(("Statement", Match.ArrayWith([
                Like.Object(
                    ("Principal", Like.Dictionary(("Service", "cloudwatch.amazonaws.com"))),
                    ("Action", new object[] { "kms:Decrypt", "kms:GenerateDataKey*" })),
            ]))))));
    }

    [Fact]
    public void AlarmMailGoesToTheAddressFromContextOnlyWhenOneIsGiven()
    {
        Prod.Service.Template.HasResourceProperties("AWS::SNS::Subscription", Like.Object(
            ("Protocol", "email"),
            ("Endpoint", ProdSite.AlarmEmail),
            ("TopicArn", Like.Ref(Prod.Service.IdOf("AWS::SNS::Topic", _ => true)))));
        Dev.Service.Template.ResourceCountIs("AWS::SNS::Subscription", 0);
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
        Site(env).Service.Template.HasOutput("DashboardUrl", Like.Object(
            ("Value", $"https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=site-{env}")));

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

    /// <summary>An import of the app's log group from the data stack.</summary>
    private static Matcher FromAppLogs(SynthesizedSite site) => Match.StringLikeRegexp($"^{System.Text.RegularExpressions.Regex.Escape(AppLogsExport(site))}");

    /// <summary>One metric a metric-math alarm's expression reads, by its id in the expression.</summary>
    private static Matcher MathInput(string id, string space, string metric, string statistic) => Like.Object(
        ("Id", id),
        ("MetricStat", Like.Dictionary(("Metric", Like.Dictionary(("Namespace", space), ("MetricName", metric))), ("Stat", statistic))));

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
