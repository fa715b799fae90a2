using Amazon.CDK.AWS.Logs;

namespace Site.Cdk.Site;

/// <summary>
/// The Logs Insights queries whoever is on call starts from. Field names are the app's JSON log fields
/// (top-level time, level, template, message, traceId, exception; the event's properties beside them), so
/// renaming a log field breaks these. Saved queries carry no time range: they run over the range picked in
/// the console (one hour by default).
/// </summary>
public static class LogQueries
{
    /// <summary>The template of the one event every request ends with.</summary>
    public const string RequestCompleted = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";

    /// <summary>Replaced in the console by the id a visitor saw on the error page or in X-Trace-Id.</summary>
    public const string TraceIdPlaceholder = "PASTE-TRACE-ID";

    public const string ClientIpPlaceholder = "PASTE-CLIENT-IP";

    private const string IsRequest = $"template = \"{RequestCompleted}\"";

    public static QueryString RecentErrors { get; } = new(new QueryStringProps
    {
        Fields = ["@timestamp", "Route", "StatusCode", "ExceptionType", "ExceptionMessage", "traceId", "message"],
        FilterStatements = ["level = \"Error\""],
        Sort = "@timestamp desc",
        Limit = 50,
    });

    /// <summary>Saved queries by their name in the console (after the environment's folder).</summary>
    public static IReadOnlyDictionary<string, QueryString> Saved { get; } = new Dictionary<string, QueryString>
    {
        ["Request by trace id"] = new(new QueryStringProps
        {
            Fields = ["@timestamp", "level", "message", "SourceContext", "Route", "StatusCode", "Elapsed", "DbOperation", "ExceptionType", "exception", "spanId"],
            FilterStatements = [$"traceId = \"{TraceIdPlaceholder}\""],
            Sort = "@timestamp asc",
            Limit = 1000,
        }),
        ["Errors by route and exception type"] = new(new QueryStringProps
        {
            FilterStatements = ["level = \"Error\""],
            Stats = "count(*) as errors, latest(ExceptionMessage) as lastMessage, latest(traceId) as lastTraceId by Route, ExceptionType",
            Sort = "errors desc",
        }),
        ["Slowest routes"] = new(new QueryStringProps
        {
            FilterStatements = [IsRequest],
            Stats = "count(*) as requests, pct(Elapsed, 50) as p50, pct(Elapsed, 95) as p95, pct(Elapsed, 99) as p99, max(Elapsed) as slowest by Route",
            Sort = "p99 desc",
            Limit = 25,
        }),
        ["5xx by route over time"] = new(new QueryStringProps
        {
            FilterStatements = [$"{IsRequest} and StatusCode >= 500"],
            Stats = "count(*) as responses by bin(5m), Route",
            Sort = "responses desc",
        }),
        ["Database failures"] = new(new QueryStringProps
        {
            FilterStatements = ["EventId.Name = \"DatabaseFailure\""],
            Stats = "count(*) as failures, min(@timestamp) as first, max(@timestamp) as last, latest(ExceptionMessage) as lastMessage by DbOperation, ExceptionType",
            Sort = "failures desc",
        }),
        ["Requests of one client IP"] = new(new QueryStringProps
        {
            Fields = ["@timestamp", "RequestMethod", "RequestPath", "Route", "StatusCode", "Elapsed", "UserAgentFamily", "traceId"],
            FilterStatements = [$"ClientIp = \"{ClientIpPlaceholder}\""],
            Sort = "@timestamp desc",
            Limit = 1000,
        }),
        // Many tasks with one start-up each and no shut-down: a crash loop. All of one version: a bad deploy.
        ["Start-ups and shut-downs by task and version"] = new(new QueryStringProps
        {
            FilterStatements = ["SourceContext = \"Microsoft.Hosting.Lifetime\" and (message like \"Application started\" or message like \"Application is shutting down\")"],
            Stats = "sum(strcontains(message, \"Application started\")) as startups, sum(strcontains(message, \"shutting down\")) as shutdowns, min(@timestamp) as first, max(@timestamp) as last by AppVersion, TaskId",
            Sort = "last desc",
        }),
    };
}
