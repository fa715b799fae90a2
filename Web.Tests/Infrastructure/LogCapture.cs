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
    private readonly ExpressionTemplate format = new(LoggingExtensions.JsonTemplate);
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyList<string> Lines => [.. lines];

    public void Emit(LogEvent logEvent)
    {
        using var writer = new StringWriter();
        format.Format(logEvent, writer);
        lines.Enqueue(writer.ToString());
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
