using System.Collections.Concurrent;
using System.Text.Json;
using Serilog.Core;
using Serilog.Events;
using Serilog.Templates;
using Site.Web.Hosting;

namespace Site.Web.Tests.Infrastructure;

/// <summary>Every log event the app writes, formatted exactly as it goes to stdout, one JSON line each.</summary>
public sealed class LogCapture : ILogEventSink
{
    // Every captured event is written both ways, and any difference recorded.
    private static readonly ExpressionTemplate Reference = new(LogLineFormatter.Template);
    private readonly LogLineFormatter format = new();
    private readonly ConcurrentQueue<string> lines = new();
    private readonly ConcurrentQueue<(string Written, string Reference)> differences = new();

    public IReadOnlyList<string> Lines => [.. lines];

    /// <summary>Lines that <see cref="LogLineFormatter"/> wrote otherwise than its template would have.</summary>
    public IReadOnlyList<(string Written, string Reference)> Differences => [.. differences];

    public void Emit(LogEvent logEvent)
    {
        var (written, reference) = (Write(format, logEvent), Write(Reference, logEvent));
        lines.Enqueue(written);
        if (written != reference)
        {
            differences.Enqueue((written, reference));
        }
    }

    public static string Write(Serilog.Formatting.ITextFormatter formatter, LogEvent logEvent)
    {
        using var writer = new StringWriter();
        formatter.Format(logEvent, writer);
        return writer.ToString();
    }

    public IEnumerable<JsonElement> Events => Lines.Select(line => JsonDocument.Parse(line).RootElement);

    public IReadOnlyList<JsonElement> ForTrace(string traceId) =>
        [.. Events.Where(e => e.TryGetProperty("traceId", out var t) && t.GetString() == traceId)];

    /// <summary>
    /// The events of one request, once its completion event is in: the test client may see the response
    /// a moment before the server has finished logging it.
    /// </summary>
    public async Task<IReadOnlyList<JsonElement>> ForRequestAsync(string traceId)
    {
        await WaitForAsync(
            e => e.TryGetProperty("traceId", out var t) && t.GetString() == traceId
                && e.TryGetProperty("RequestMethod", out _) && e.TryGetProperty("StatusCode", out _) && e.TryGetProperty("Elapsed", out _),
            $"request-completed event for trace {traceId}");
        return ForTrace(traceId);
    }

    /// <summary>The first event that matches, once it is logged: work in the background logs when it gets to it.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, string description)
    {
        for (var waited = 0; waited < 10_000; waited += 20)
        {
            if (Events.Where(match).Select(e => (JsonElement?)e).FirstOrDefault() is { } found)
            {
                return found;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"No {description} was logged.");
    }
}
