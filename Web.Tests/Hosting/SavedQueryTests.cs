using System.Text.Json;
using Site.Cdk.Service;
using Site.Web.Hosting;
using Site.Web.Tests.Infrastructure;
using static Site.Web.Tests.Infrastructure.LogsInsights;

namespace Site.Web.Tests.Hosting;

/// <summary>
/// Every saved query and metric filter the CDK creates, replayed over the lines the app really wrote in the situation
/// it is for: a query that would return nothing there, or a column that would stay empty, fails the build.
/// </summary>
public sealed class SavedQueryTests(IncidentSiteFactory site) : IClassFixture<IncidentSiteFactory>
{
    private const string RecentErrors = "Recent errors (dashboard)";
    private const string MySqlException = "MySqlConnector.MySqlException";

    public static TheoryData<string> Queries => new([.. LogQueries.Saved.Keys, RecentErrors]);

    public static TheoryData<string> MetricFilters => new([.. LogQueries.Counted.Keys]);

    [Theory]
    [MemberData(nameof(Queries))]
    public void EachQueryFindsItsSituationInTheAppsRealLines(string name)
    {
        var query = name == RecentErrors ? LogQueries.RecentErrors : LogQueries.Saved[name];
        var placeholders = new Dictionary<string, string>
        {
            [LogQueries.TraceIdPlaceholder] = site.CrashPageTraceId,
            [LogQueries.ClientIpPlaceholder] = IncidentSiteFactory.ClientIp,
        };
        var rows = Run(query, site.Events, placeholders);

        Assert.True(rows.Count > 0, $"{name} returns nothing");
        Assert.Empty(EmptyColumns(query, rows));
        switch (name)
        {
            case "Request by trace id":
                var crash = Assert.Single(rows, r => Text(r.Events[0], LogFields.Template) == LogFields.RequestCompletedTemplate).Events[0];
                Assert.Equal(("/guestbook", "500", MySqlException, "guestbook.page"),
                    (Text(crash, LogFields.Route), Text(crash, LogFields.StatusCode), Text(crash, LogFields.ExceptionType), Text(crash, LogFields.DbOperation)));
                Assert.Contains("guestbook_entries", Text(crash, LogFields.Exception), StringComparison.Ordinal);
                break;
            case "Errors by route and exception type":
                AssertRows(rows, (LogFields.Route, "/guestbook", LogFields.ExceptionType, MySqlException), (LogFields.Route, "/api/guestbook", LogFields.ExceptionType, MySqlException));
                AssertNoErrorPageRoute(rows);
                break;
            case "Slowest routes":
                AssertRows(rows, (LogFields.Route, "/guestbook", null, null), (LogFields.Route, "/api/guestbook", null, null));
                AssertNoErrorPageRoute(rows);
                break;
            case "5xx by route over time":
                AssertRows(rows, (LogFields.Route, "/guestbook", LogFields.StatusCode, "500"), (LogFields.Route, "/api/guestbook", LogFields.StatusCode, "500"),
                    (LogFields.Route, "/guestbook", LogFields.StatusCode, "503"), (LogFields.Route, "/api/guestbook", LogFields.StatusCode, "503"));
                AssertNoErrorPageRoute(rows);
                break;
            case "Database failures":
                AssertRows(rows, (LogFields.DbOperation, "guestbook.page", LogFields.ExceptionType, MySqlException),
                    (LogFields.DbOperation, "guestbook.add", LogFields.DatabaseEndpoint, site.DatabaseEndpoint));
                break;
            case "Database outages":
                var (started, ended) = (Assert.Single(rows, r => IsEvent(r.Events[0], LogFields.Events.DatabaseOutageStarted)).Events[0],
                    Assert.Single(rows, r => IsEvent(r.Events[0], LogFields.Events.DatabaseOutageEnded)).Events[0]);
                Assert.Equal(site.DatabaseEndpoint, Text(started, LogFields.DatabaseEndpoint));
                Assert.StartsWith("MySqlException: ", Text(started, LogFields.DatabaseError), StringComparison.Ordinal);
                Assert.Equal(site.DatabaseEndpoint, Text(ended, LogFields.DatabaseEndpoint));
                Assert.Equal(site.Refused, Field(ended, LogFields.RefusedRequests)!.Value.GetInt32());
                Assert.True(Field(ended, LogFields.OutageSeconds)!.Value.GetDouble() > 0);
                break;
            case "Slow database operations":
                var slow = AssertRows(rows, (LogFields.DbOperation, "guestbook.page", LogFields.Route, "/guestbook"));
                Assert.Contains(slow.Events, e => Text(e, LogFields.TraceId) == site.SlowTraceId
                    && Field(e, LogFields.ElapsedMs)!.Value.GetDouble() > IncidentSiteFactory.SlowOperationMs);
                break;
            case "Connection pool exhaustion by task":
                var exhausted = AssertRows(rows, (LogQueries.LogStream, IncidentSiteFactory.LogStream, LogFields.DbOperation, "guestbook.page"));
                Assert.Contains(exhausted.Events, e => Text(e, LogFields.TraceId) == site.PoolExhaustedTraceId);
                break;
            case "Requests of one client IP":
                Assert.Contains(rows, r => Text(r.Events[0], LogFields.TraceId) == site.OrdinaryTraceId
                    && Text(r.Events[0], LogFields.Route) == "/guestbook" && Text(r.Events[0], LogFields.UserAgentFamily) == "Chrome");
                break;
            case "Admin sign-in failures and lockouts":
                var failed = AssertRows(rows, (LogFields.ClientIp, IncidentSiteFactory.ClientIp, LogFields.EventName, LogFields.Events.AdminSignInFailed));
                Assert.Equal(Site.Web.Admin.AdminSignIn.MaxFailures, failed.Events.Count);
                AssertRows(rows, (LogFields.ClientIp, IncidentSiteFactory.ClientIp, LogFields.EventName, LogFields.Events.AdminSignInLockedOut));
                break;
            case "Start-ups and shut-downs by task and version":
                var task = AssertRows(rows, (LogFields.AppVersion, "test-version", LogQueries.LogStream, IncidentSiteFactory.LogStream));
                Assert.Equal((2, 1), (task.Events.Count(e => IsEvent(e, LogFields.Events.AppStarted)), task.Events.Count(e => IsEvent(e, LogFields.Events.AppStopping))));
                break;
            case RecentErrors:
                Assert.Contains(rows, r => Text(r.Events[0], LogFields.TraceId) == site.CrashApiTraceId && Text(r.Events[0], LogFields.Route) == "/api/guestbook");
                break;
            default:
                Assert.Fail($"No situation is played for the saved query {name}: add it to {nameof(IncidentSiteFactory)} and here.");
                break;
        }
    }

    [Theory]
    [MemberData(nameof(MetricFilters))]
    public void EachMetricFilterCountsEveryFailedRequestOnceAndAnOutageOnce(string metric)
    {
        var condition = LogQueries.Counted[metric];
        int Counted(string traceId) => site.Events.Count(e => Text(e, LogFields.TraceId) == traceId && Matches(condition, e, new Dictionary<string, string>()));

        Assert.Equal(1, Counted(site.CrashPageTraceId));
        Assert.Equal(1, Counted(site.CrashApiTraceId));
        switch (metric)
        {
            case LogQueries.AppErrorsMetric:
                // However many requests it refused, the outage is one error: the one that says it began.
                var duringOutage = site.OutageTraceIds.SelectMany(t => site.Events.Where(e => Text(e, LogFields.TraceId) == t))
                    .Where(e => Matches(condition, e, new Dictionary<string, string>())).ToList();
                Assert.True(site.Refused >= 3);
                Assert.True(IsEvent(Assert.Single(duringOutage), LogFields.Events.DatabaseOutageStarted), string.Join('\n', duringOutage));
                Assert.Equal(0, Counted(site.OrdinaryTraceId));
                break;
            case LogQueries.DatabaseFailuresMetric:
                Assert.All(site.OutageTraceIds, t => Assert.Equal(1, Counted(t)));
                Assert.Equal(0, Counted(site.SlowTraceId));
                break;
            default:
                Assert.Fail($"No situation is played for the metric filter {metric}.");
                break;
        }
    }

    [Fact]
    public void EveryFieldTheQueriesUseAppearsWithItsTypeInRealOutput()
    {
        foreach (var (field, kind) in LogFields.Kinds)
        {
            var values = site.Events.Select(e => Field(e, field)).OfType<JsonElement>().ToList();
            Assert.True(values.Count > 0, $"no log line has the field {field}");
            var expected = kind == "number" ? JsonValueKind.Number : JsonValueKind.String;
            Assert.All(values, v => Assert.Equal(expected, v.ValueKind));
        }
    }

    [Fact]
    public void EveryRequestLineIsAnEmbeddedMetricDocumentOfElapsedAndDatabaseTimeByRoute()
    {
        var requests = site.Events.Where(e => Text(e, LogFields.Template) == LogFields.RequestCompletedTemplate).ToList();

        Assert.NotEmpty(requests);
        Assert.All(requests, line => Assert.Empty(EmbeddedMetricFormat.Violations(line)));
        var ordinary = requests.Single(e => Text(e, LogFields.TraceId) == site.OrdinaryTraceId);
        var directive = ordinary.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];
        Assert.Equal(LogFields.MetricNamespace("dev"), directive.GetProperty("Namespace").GetString());
        Assert.Equal([[LogFields.Route], []], directive.GetProperty("Dimensions").EnumerateArray().Select(d => d.EnumerateArray().Select(n => n.GetString()!).ToArray()));
        Assert.Equal([LogFields.Elapsed, LogFields.DbElapsed], directive.GetProperty("Metrics").EnumerateArray().Select(m => m.GetProperty("Name").GetString()));
        Assert.True(Field(ordinary, LogFields.DbElapsed)!.Value.GetDouble() > 0);
    }

    private static bool IsEvent(JsonElement e, string name) => Text(e, LogFields.EventName) == name;

    /// <summary>Each expected group is among the rows (a null field means "any"); returns the first.</summary>
    private static Row AssertRows(IReadOnlyList<Row> rows, params (string Field, string Value, string? OtherField, string? OtherValue)[] expected)
    {
        var found = expected.Select(x => rows.FirstOrDefault(r => r.Key[x.Field] == x.Value && (x.OtherField is null || r.Key[x.OtherField] == x.OtherValue))).ToList();
        Assert.True(found.All(r => r is not null), $"expected {string.Join("; ", expected)} among:\n{Describe(rows)}");
        return found[0]!;
    }

    private static void AssertNoErrorPageRoute(IReadOnlyList<Row> rows) =>
        Assert.DoesNotContain(rows, r => r.Key.GetValueOrDefault(LogFields.Route)?.StartsWith("/error", StringComparison.Ordinal) == true);
}
