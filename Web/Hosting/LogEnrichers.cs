using System.Collections.Concurrent;
using System.Text.Json;
using Serilog.Core;
using Serilog.Events;

namespace Site.Web.Hosting;

/// <summary>The exception's type and message as fields of their own, so queries can group by them without parsing stacks.</summary>
public sealed class ExceptionFieldsEnricher : ILogEventEnricher
{
    /// <summary>
    /// The fields that say what failed: type, message, and what the database layer tagged the exception with. A request's
    /// completion line carries them for every failure, the whole exception (its stack) only for a fault of the app's own.
    /// </summary>
    public static IEnumerable<(string Name, string Value)> Fields(Exception exception)
    {
        yield return (LogFields.ExceptionType, exception.GetType().FullName ?? exception.GetType().Name);
        yield return (LogFields.ExceptionMessage, exception.Message);
        foreach (var key in (string[])[LogFields.DbOperation, LogFields.DatabaseEndpoint])
        {
            if (exception.Data[key] is string value)
            {
                yield return (key, value);
            }
        }
    }

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (logEvent.Exception is not { } exception)
        {
            return;
        }

        foreach (var (name, value) in Fields(exception))
        {
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty(name, value));
        }
    }
}

/// <summary>
/// Names the request's route on every line logged while it runs. Read from the request when a line is written, rather
/// than pushed onto the log context for every request: most requests log nothing but their completion line.
/// </summary>
public sealed class RouteEnricher(IHttpContextAccessor requests) : ILogEventEnricher
{
    // Routes are the app's templates, a few dozen: one property each, made once.
    private readonly ConcurrentDictionary<string, LogEventProperty> properties = new();

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (requests.HttpContext?.Features.Get<RequestRecord>()?.Route is { } route)
        {
            logEvent.AddPropertyIfAbsent(properties.GetOrAdd(route, static r => new LogEventProperty(LogFields.Route, new ScalarValue(r))));
        }
    }
}

/// <summary>
/// Makes each request's completion line a CloudWatch embedded metric format document
/// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
/// CloudWatch Logs extracts <see cref="LogFields.Elapsed"/> and, when the request used the database,
/// <see cref="LogFields.DbElapsed"/> as metrics per <see cref="LogFields.Route"/> and for all routes together, with no
/// agent and no PutMetricData call. Route is a template, never a path, so the metrics stay few.
/// </summary>
public sealed class EmbeddedMetricsEnricher(string metricNamespace) : ILogEventEnricher
{
    // One dimension set per route, and an empty one: the same values for all routes together, which an alarm can watch.
    private static readonly SequenceValue DimensionSets = new([
        new SequenceValue([new ScalarValue(LogFields.Route)]),
        new SequenceValue([]),
    ]);

    // Only the timestamp differs from line to line: the rest is made once, for lines with and without database time.
    private readonly LogEventProperty withoutDatabase = Directives(metricNamespace, [Milliseconds(LogFields.Elapsed)]);
    private readonly LogEventProperty withDatabase = Directives(metricNamespace, [Milliseconds(LogFields.Elapsed), Milliseconds(LogFields.DbElapsed)]);

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (logEvent.MessageTemplate.Text != LogFields.RequestCompletedTemplate || !logEvent.Properties.ContainsKey(LogFields.Route))
        {
            return;
        }

        logEvent.AddPropertyIfAbsent(new LogEventProperty(LogFields.EmbeddedMetrics, new StructureValue([
            new LogEventProperty("Timestamp", new ScalarValue(logEvent.Timestamp.ToUnixTimeMilliseconds())),
            logEvent.Properties.ContainsKey(LogFields.DbElapsed) ? withDatabase : withoutDatabase,
        ])));
    }

    private static LogEventProperty Directives(string metricNamespace, LogEventPropertyValue[] metrics) =>
        new("CloudWatchMetrics", new SequenceValue([
            new StructureValue([
                new LogEventProperty("Namespace", new ScalarValue(metricNamespace)),
                new LogEventProperty("Dimensions", DimensionSets),
                new LogEventProperty("Metrics", new SequenceValue(metrics)),
            ]),
        ]));

    private static StructureValue Milliseconds(string field) => new([
        new LogEventProperty("Name", new ScalarValue(field)),
        new LogEventProperty("Unit", new ScalarValue("Milliseconds")),
    ]);
}
