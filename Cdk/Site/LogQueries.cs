using Amazon.CDK.AWS.Logs;
using Site.Web.Hosting;
using F = Site.Web.Hosting.LogFields;

namespace Site.Cdk.Site;

/// <summary>
/// The Logs Insights queries whoever is on call starts from. Field names come from the app's own
/// <see cref="LogFields"/> (compiled into this project too), so the queries name only fields the app writes.
/// Saved queries carry no time range: they run over the range picked in the console (one hour by default).
/// </summary>
public static class LogQueries
{
    /// <summary>The template of the one event every request ends with.</summary>
    public const string RequestCompleted = F.RequestCompletedTemplate;

    /// <summary>Replaced in the console by the id a visitor saw on the error page or in X-Trace-Id.</summary>
    public const string TraceIdPlaceholder = "PASTE-TRACE-ID";

    public const string ClientIpPlaceholder = "PASTE-CLIENT-IP";

    private const string IsRequest = $"{F.Template} = \"{RequestCompleted}\"";

    private const string IsError = $"{F.Level} = \"Error\"";

    public static QueryString RecentErrors { get; } = new(new QueryStringProps
    {
        Fields = ["@timestamp", F.Route, F.StatusCode, F.ExceptionType, F.ExceptionMessage, F.TraceId, F.Message],
        FilterStatements = [IsError],
        Sort = "@timestamp desc",
        Limit = 50,
    });

    /// <summary>Saved queries by their name in the console (after the environment's folder).</summary>
    public static IReadOnlyDictionary<string, QueryString> Saved { get; } = new Dictionary<string, QueryString>
    {
        ["Request by trace id"] = new(new QueryStringProps
        {
            Fields = ["@timestamp", F.Level, F.Message, F.SourceContext, F.Route, F.StatusCode, F.Elapsed, F.DbOperation, F.ExceptionType, F.Exception, F.SpanId],
            FilterStatements = [$"{F.TraceId} = \"{TraceIdPlaceholder}\""],
            Sort = "@timestamp asc",
            Limit = 1000,
        }),
        ["Errors by route and exception type"] = new(new QueryStringProps
        {
            FilterStatements = [IsError],
            Stats = $"count(*) as errors, latest({F.ExceptionMessage}) as lastMessage, latest({F.TraceId}) as lastTraceId by {F.Route}, {F.ExceptionType}",
            Sort = "errors desc",
        }),
        ["Slowest routes"] = new(new QueryStringProps
        {
            FilterStatements = [IsRequest],
            Stats = $"count(*) as requests, pct({F.Elapsed}, 50) as p50, pct({F.Elapsed}, 95) as p95, pct({F.Elapsed}, 99) as p99, max({F.Elapsed}) as slowest by {F.Route}",
            Sort = "p99 desc",
            Limit = 25,
        }),
        ["5xx by route over time"] = new(new QueryStringProps
        {
            FilterStatements = [$"{IsRequest} and {F.StatusCode} >= 500"],
            Stats = $"count(*) as responses by bin(5m), {F.Route}",
            Sort = "responses desc",
        }),
        ["Database failures"] = new(new QueryStringProps
        {
            FilterStatements = [$"{F.EventName} = \"{F.Events.DatabaseFailure}\""],
            Stats = $"count(*) as failures, min(@timestamp) as first, max(@timestamp) as last, latest({F.ExceptionMessage}) as lastMessage by {F.DbOperation}, {F.ExceptionType}",
            Sort = "failures desc",
        }),
        ["Requests of one client IP"] = new(new QueryStringProps
        {
            Fields = ["@timestamp", F.RequestMethod, F.RequestPath, F.Route, F.StatusCode, F.Elapsed, F.UserAgentFamily, F.TraceId],
            FilterStatements = [$"{F.ClientIp} = \"{ClientIpPlaceholder}\""],
            Sort = "@timestamp desc",
            Limit = 1000,
        }),
        // Many tasks with one start-up each and no shut-down: a crash loop. All of one version: a bad deploy.
        ["Start-ups and shut-downs by task and version"] = new(new QueryStringProps
        {
            FilterStatements = [$"{F.EventName} in [\"{F.Events.AppStarted}\", \"{F.Events.AppStopping}\"]"],
            Stats = $"sum(strcontains({F.EventName}, \"{F.Events.AppStarted}\")) as startups, sum(strcontains({F.EventName}, \"{F.Events.AppStopping}\")) as shutdowns, min(@timestamp) as first, max(@timestamp) as last by {F.AppVersion}, {F.TaskId}",
            Sort = "last desc",
        }),
    };
}
