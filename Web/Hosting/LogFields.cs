namespace Site.Web.Hosting;

/// <summary>
/// The log fields that the CloudWatch saved queries, metric filters and the runbook rely on. The CDK app
/// compiles this same file, so a query can't name a field the app doesn't write; the web tests check that
/// each one really appears, with this JSON type, in the app's output.
/// </summary>
public static class LogFields
{
    public const string Time = "time";
    public const string Level = "level";
    public const string Template = "template";
    public const string Message = "message";
    public const string TraceId = "traceId";
    public const string SpanId = "spanId";
    public const string Exception = "exception";
    public const string RequestMethod = "RequestMethod";
    public const string RequestPath = "RequestPath";
    public const string Route = "Route";
    public const string StatusCode = "StatusCode";
    public const string Elapsed = "Elapsed";
    public const string ClientIp = "ClientIp";
    public const string UserAgentFamily = "UserAgentFamily";
    public const string AppVersion = "AppVersion";
    public const string Environment = "Environment";
    public const string SourceContext = "SourceContext";
    public const string ExceptionType = "ExceptionType";
    public const string ExceptionMessage = "ExceptionMessage";
    public const string DbOperation = "DbOperation";

    /// <summary>The milliseconds of one slow database operation, on its SlowDatabaseOperation line.</summary>
    public const string ElapsedMs = "ElapsedMs";

    /// <summary>Milliseconds the request spent in database operations, on its completion line when it made any.</summary>
    public const string DbElapsed = "DbElapsed";

    /// <summary>The database's host:port, on every line about a failed database operation.</summary>
    public const string DatabaseEndpoint = "DatabaseEndpoint";

    /// <summary>The exception and its inner ones as "Type: message" each, on the line that starts an outage.</summary>
    public const string DatabaseError = "DatabaseError";

    /// <summary>The id of a mail in the outbox (mail_outbox.id), on every line about sending it.</summary>
    public const string OutboxId = "OutboxId";

    /// <summary>Why a mail was not sent: the SMTP server and its answer, or the connection's error.</summary>
    public const string MailError = "MailError";

    public const string OutageSeconds = "OutageSeconds";
    public const string RefusedRequests = "RefusedRequests";

    /// <summary>The trace id of a W3C traceparent the client sent, kept beside the load balancer's, never instead of it.</summary>
    public const string ClientTraceId = "ClientTraceId";

    /// <summary>The CloudWatch embedded metric format's metadata, on each request's completion line (docs/troubleshooting.md).</summary>
    public const string EmbeddedMetrics = "_aws";

    /// <summary>The Route of a request that matched no endpoint (an unknown path).</summary>
    public const string NoRoute = "(none)";

    /// <summary>The template of the one event every request ends with.</summary>
    public const string RequestCompletedTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";

    /// <summary>The event name of events logged through LoggerMessage, as CloudWatch flattens it.</summary>
    public const string EventName = "EventId.Name";

    /// <summary>Named events the queries and filters select.</summary>
    public static class Events
    {
        public const string SlowDatabaseOperation = "SlowDatabaseOperation";
        public const string DatabaseOutageStarted = "DatabaseOutageStarted";
        public const string DatabaseOutageEnded = "DatabaseOutageEnded";
        public const string DatabasePoolExhausted = "DatabasePoolExhausted";
        public const string DatabaseReady = "DatabaseReady";
        public const string DatabaseNotReady = "DatabaseNotReady";
        public const string AppStarted = "AppStarted";
        public const string AppStopping = "AppStopping";
        public const string AdminSignInFailed = "AdminSignInFailed";
        public const string AdminSignInLockedOut = "AdminSignInLockedOut";

        /// <summary>Contact messages older than the owner's retention setting were deleted; DeletedMessages says how many.</summary>
        public const string MessagesDeletedByRetention = "MessagesDeletedByRetention";
        public const string MailSwitchedOff = "MailSwitchedOff";
        public const string MailSent = "MailSent";
        public const string MailSendFailed = "MailSendFailed";
        public const string MailGaveUp = "MailGaveUp";
    }

    /// <summary>The CloudWatch namespace of the metrics the app's lines carry and the log group's filters count, per environment.</summary>
    public static string MetricNamespace(string environment) => $"Site/{environment}";

    /// <summary>Each field with the JSON kind it has in the output ("string" or "number").</summary>
    public static readonly IReadOnlyDictionary<string, string> Kinds = new Dictionary<string, string>
    {
        [Time] = "string", [Level] = "string", [Template] = "string", [Message] = "string", [TraceId] = "string",
        [SpanId] = "string", [Exception] = "string", [RequestMethod] = "string", [RequestPath] = "string", [Route] = "string",
        [StatusCode] = "number", [Elapsed] = "number", [ClientIp] = "string", [UserAgentFamily] = "string",
        [AppVersion] = "string", [Environment] = "string", [SourceContext] = "string",
        [ExceptionType] = "string", [ExceptionMessage] = "string", [DbOperation] = "string", [EventName] = "string",
        [DbElapsed] = "number", [DatabaseEndpoint] = "string", [DatabaseError] = "string", [OutageSeconds] = "number",
        [RefusedRequests] = "number", [ClientTraceId] = "string", [ElapsedMs] = "number",
    };
}
