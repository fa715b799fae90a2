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
    public const string TaskId = "TaskId";
    public const string Environment = "Environment";
    public const string SourceContext = "SourceContext";
    public const string ExceptionType = "ExceptionType";
    public const string ExceptionMessage = "ExceptionMessage";
    public const string DbOperation = "DbOperation";

    /// <summary>The template of the one event every request ends with.</summary>
    public const string RequestCompletedTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";

    /// <summary>The event name of events logged through LoggerMessage, as CloudWatch flattens it.</summary>
    public const string EventName = "EventId.Name";

    /// <summary>Named events the queries and filters select.</summary>
    public static class Events
    {
        public const string DatabaseFailure = "DatabaseFailure";
        public const string SlowDatabaseOperation = "SlowDatabaseOperation";
        public const string UnhandledException = "UnhandledException";
        public const string DatabaseReady = "DatabaseReady";
        public const string DatabaseNotReady = "DatabaseNotReady";
        public const string EcsTask = "EcsTask";
        public const string AppStarted = "AppStarted";
        public const string AppStopping = "AppStopping";
    }

    /// <summary>Each field with the JSON kind it has in the output ("string" or "number").</summary>
    public static readonly IReadOnlyDictionary<string, string> Kinds = new Dictionary<string, string>
    {
        [Time] = "string", [Level] = "string", [Template] = "string", [Message] = "string", [TraceId] = "string",
        [SpanId] = "string", [Exception] = "string", [RequestMethod] = "string", [RequestPath] = "string", [Route] = "string",
        [StatusCode] = "number", [Elapsed] = "number", [ClientIp] = "string", [UserAgentFamily] = "string",
        [AppVersion] = "string", [TaskId] = "string", [Environment] = "string", [SourceContext] = "string",
        [ExceptionType] = "string", [ExceptionMessage] = "string", [DbOperation] = "string", [EventName] = "string",
    };
}
