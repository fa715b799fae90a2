using Site.Web.Hosting;
using F = Site.Web.Hosting.LogFields;

namespace Site.Cdk.Service;

/// <summary>
/// The Logs Insights queries whoever is on call starts from, and the conditions the log group's metric filters count.
/// Plain data, no CDK types: the web tests compile this same file and replay each query over the app's real log lines
/// in the situation it is for (Web.Tests/Hosting/SavedQueryTests.cs), so a query that would find nothing fails the
/// build. Field names come from the app's own <see cref="LogFields"/>. Saved queries carry no time range: they run
/// over the range picked in the console (one hour by default).
/// </summary>
public static class LogQueries
{
    /// <summary>Replaced in the console by the id a visitor saw on the page or in X-Trace-Id.</summary>
    public const string TraceIdPlaceholder = "PASTE-TRACE-ID";

    public const string ClientIpPlaceholder = "PASTE-CLIENT-IP";

    /// <summary>The time CloudWatch gives every event; not a field the app writes.</summary>
    public const string Timestamp = "@timestamp";

    /// <summary>
    /// The stream CloudWatch files every event under: the awslogs driver names it prefix/container/task id, so it says
    /// which task wrote a line without the app writing it on each.
    /// </summary>
    public const string LogStream = "@logStream";

    public const string AppErrorsMetric = "AppErrors";
    public const string DatabaseFailuresMetric = "DatabaseFailures";

    private static readonly LogCondition IsRequest = LogCondition.Is(F.Template, F.RequestCompletedTemplate);

    private static readonly LogCondition IsError = LogCondition.Is(F.Level, "Error");

    /// <summary>The one line of a request answered 5xx because a database operation failed (slow ones log lines of their own, without a status).</summary>
    private static readonly LogCondition IsDatabaseFailure = new LogCondition.All([new LogCondition.AtLeast(F.StatusCode, 500), new LogCondition.Present(F.DbOperation)]);

    /// <summary>The dashboard's table of the latest errors.</summary>
    public static LogQuery RecentErrors { get; } = new(IsError)
    {
        Fields = [Timestamp, F.Route, F.StatusCode, F.ExceptionType, F.ExceptionMessage, F.TraceId, F.Message],
        Sort = "@timestamp desc",
        Limit = 50,
    };

    /// <summary>Saved queries by their name in the console (after the environment's folder).</summary>
    public static IReadOnlyDictionary<string, LogQuery> Saved { get; } = new Dictionary<string, LogQuery>
    {
        ["Request by trace id"] = new(LogCondition.Is(F.TraceId, TraceIdPlaceholder))
        {
            Fields = [Timestamp, F.Level, F.Message, F.SourceContext, F.Route, F.StatusCode, F.Elapsed, F.DbOperation, F.DatabaseEndpoint,
                F.ExceptionType, F.ExceptionMessage, F.Exception, F.SpanId],
            Sort = "@timestamp asc",
            Limit = 1000,
        },
        ["Errors by route and exception type"] = new(IsError)
        {
            Stats = [Aggregate.Count("errors"), Aggregate.Of("latest", F.ExceptionMessage, "lastMessage"), Aggregate.Of("latest", F.TraceId, "lastTraceId")],
            By = [F.Route, F.ExceptionType],
            Sort = "errors desc",
        },
        ["Slowest routes"] = new(IsRequest)
        {
            Stats = [Aggregate.Count("requests"), Aggregate.Percentile(F.Elapsed, 50), Aggregate.Percentile(F.Elapsed, 95), Aggregate.Percentile(F.Elapsed, 99),
                Aggregate.Of("max", F.Elapsed, "slowest"), Aggregate.Of("avg", F.DbElapsed, "database")],
            By = [F.Route],
            Sort = "p99 desc",
            Limit = 25,
        },
        ["5xx by route over time"] = new(new LogCondition.All([IsRequest, new LogCondition.AtLeast(F.StatusCode, 500)]))
        {
            Stats = [Aggregate.Count("responses")],
            BinMinutes = 5,
            By = [F.Route, F.StatusCode],
            Sort = "responses desc",
        },
        ["Database failures"] = new(IsDatabaseFailure)
        {
            Stats = [Aggregate.Count("failures"), Aggregate.Of("min", Timestamp, "first"), Aggregate.Of("max", Timestamp, "last"),
                Aggregate.Of("latest", F.ExceptionMessage, "lastMessage"), Aggregate.Of("latest", F.TraceId, "lastTraceId")],
            By = [F.DbOperation, F.ExceptionType, F.DatabaseEndpoint],
            Sort = "failures desc",
        },
        // One pair of lines per outage and task: when it began and why, when it ended and how many requests it cost.
        ["Database outages"] = new(new LogCondition.OneOf(F.EventName, [F.Events.DatabaseOutageStarted, F.Events.DatabaseOutageEnded]))
        {
            Fields = [Timestamp, F.EventName, F.DatabaseEndpoint, F.DatabaseError, F.OutageSeconds, F.RefusedRequests, LogStream],
            Sort = "@timestamp asc",
            Limit = 200,
        },
        // Requests refused because every pooled connection of a task was in use: one task stuck, or all of them busy.
        ["Connection pool exhaustion by task"] = new(LogCondition.Is(F.EventName, F.Events.DatabasePoolExhausted))
        {
            Stats = [Aggregate.Count("refused"), Aggregate.Of("min", Timestamp, "first"), Aggregate.Of("max", Timestamp, "last"),
                Aggregate.Of("latest", F.TraceId, "lastTraceId")],
            By = [LogStream, F.DbOperation],
            Sort = "refused desc",
        },
        ["Slow database operations"] = new(LogCondition.Is(F.EventName, F.Events.SlowDatabaseOperation))
        {
            Stats = [Aggregate.Count("slow"), Aggregate.Of("avg", F.ElapsedMs, "average"), Aggregate.Of("max", F.ElapsedMs, "slowest"),
                Aggregate.Of("latest", F.TraceId, "lastTraceId")],
            By = [F.DbOperation, F.Route],
            Sort = "slowest desc",
        },
        ["Requests of one client IP"] = new(LogCondition.Is(F.ClientIp, ClientIpPlaceholder))
        {
            Fields = [Timestamp, F.RequestMethod, F.RequestPath, F.Route, F.StatusCode, F.Elapsed, F.UserAgentFamily, F.TraceId],
            Sort = "@timestamp desc",
            Limit = 1000,
        },
        // Failed sign-ins and refusals while locked, by the address they came from: one attacker or many.
        ["Admin sign-in failures and lockouts"] = new(new LogCondition.OneOf(F.EventName, [F.Events.AdminSignInFailed, F.Events.AdminSignInLockedOut]))
        {
            Stats = [Aggregate.Count("attempts"), Aggregate.Of("min", Timestamp, "first"), Aggregate.Of("max", Timestamp, "last")],
            By = [F.ClientIp, F.EventName],
            Sort = "attempts desc",
        },
        // Many tasks with one start-up each and no shut-down: a crash loop. All of one version: a bad deploy.
        ["Start-ups and shut-downs by task and version"] = new(new LogCondition.OneOf(F.EventName, [F.Events.AppStarted, F.Events.AppStopping]))
        {
            Stats = [Aggregate.CountOf(F.EventName, F.Events.AppStarted, "startups"), Aggregate.CountOf(F.EventName, F.Events.AppStopping, "shutdowns"),
                Aggregate.Of("min", Timestamp, "first"), Aggregate.Of("max", Timestamp, "last")],
            By = [F.AppVersion, LogStream],
            Sort = "last desc",
        },
    };

    /// <summary>
    /// What the metric filters count, by metric name. Errors count the site failing: one per failed request or
    /// outage, never one per line written about it.
    /// </summary>
    public static IReadOnlyDictionary<string, LogCondition> Counted { get; } = new Dictionary<string, LogCondition>
    {
        [AppErrorsMetric] = IsError,
        [DatabaseFailuresMetric] = IsDatabaseFailure,
    };
}

/// <summary>A condition on one log event that both Logs Insights and metric filter patterns can express.</summary>
public abstract record LogCondition
{
    public static LogCondition Is(string field, string value) => new Equal(field, value);

    /// <summary>The condition as a Logs Insights filter.</summary>
    public abstract string ToInsights();

    public sealed record Equal(string Field, string Value) : LogCondition
    {
        public override string ToInsights() => $"{Field} = \"{Value}\"";
    }

    public sealed record AtLeast(string Field, int Value) : LogCondition
    {
        public override string ToInsights() => $"{Field} >= {Value}";
    }

    public sealed record OneOf(string Field, IReadOnlyList<string> Values) : LogCondition
    {
        public override string ToInsights() => $"{Field} in [{string.Join(", ", Values.Select(v => $"\"{v}\""))}]";
    }

    public sealed record Present(string Field) : LogCondition
    {
        public override string ToInsights() => $"ispresent({Field})";
    }

    public sealed record All(IReadOnlyList<LogCondition> Parts) : LogCondition
    {
        public override string ToInsights() => string.Join(" and ", Parts.Select(p => p.ToInsights()));
    }
}

/// <summary>One aggregate of a stats command, with the field it reads (null for count(*)).</summary>
public sealed record Aggregate(string Text, string? Field)
{
    public static Aggregate Count(string alias) => new($"count(*) as {alias}", null);

    public static Aggregate Of(string function, string field, string alias) => new($"{function}({field}) as {alias}", field);

    public static Aggregate Percentile(string field, int percentile) => new($"pct({field}, {percentile}) as p{percentile}", field);

    /// <summary>How many of the events have <paramref name="value"/> in <paramref name="field"/>.</summary>
    public static Aggregate CountOf(string field, string value, string alias) => new($"sum(strcontains({field}, \"{value}\")) as {alias}", field);
}

/// <summary>A Logs Insights query: a filter, then either the fields to show or stats grouped by fields (and time bins).</summary>
public sealed record LogQuery(LogCondition Filter)
{
    public IReadOnlyList<string> Fields { get; init; } = [];

    public IReadOnlyList<Aggregate> Stats { get; init; } = [];

    public IReadOnlyList<string> By { get; init; } = [];

    public int? BinMinutes { get; init; }

    public string? Sort { get; init; }

    public int? Limit { get; init; }

    /// <summary>The stats command after "stats", or null for a query that lists fields.</summary>
    public string? StatsText => Stats.Count == 0
        ? null
        : $"{string.Join(", ", Stats.Select(s => s.Text))} by {string.Join(", ", (BinMinutes is { } minutes ? [$"bin({minutes}m)"] : Array.Empty<string>()).Concat(By))}";
}
