using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Serilog.Events;
using Serilog.Parsing;
using Site.Web.Hosting;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Hosting;

/// <summary>The hand-written log line is, byte for byte, the line the Serilog.Expressions template wrote.</summary>
public sealed class LogLineFormatterTests(SiteFactory site) : IClassFixture<SiteFactory>
{
    [Fact]
    public async Task EveryLineTheSiteWritesWhileServingIsTheReferenceTemplatesLine()
    {
        var client = site.CreateClient();
        foreach (var path in (string[])["/", "/guestbook", "/about", "/api/guestbook", "/api/guestbook?page=0", "/no-such-page", "/api/guestbook/999999"])
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        }

        using (var invalid = await client.PostAsJsonAsync("/api/guestbook", new { name = "", message = "\"quoted\" <b>\u00e9\u2028" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        }

        using (var malformed = await client.PostAsync(new Uri("/api/guestbook", UriKind.Relative), new StringContent("{", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        }

        await site.Logs.WaitForAsync(e => e.TryGetProperty("RequestPath", out var p) && p.GetString() == "/api/guestbook" && e.GetProperty("StatusCode").GetInt32() == 400, "the malformed post's line");
        Assert.True(site.Logs.Lines.Count > 10);
        Assert.Empty(site.Logs.Differences);
    }

    [Fact]
    public void EventsWithExceptionsTracesAlignmentAndEveryKindOfValueAreWrittenAsTheReferenceTemplateWrites()
    {
        Exception thrown;
        try
        {
            throw new InvalidOperationException("Broke \"here\"\nand\tthere \u0001");
        }
        catch (InvalidOperationException exception)
        {
            thrown = exception;
        }

        var template = new MessageTemplateParser().Parse("Plain {Text} {Number:0.0} {Padded,8} {Missing} {@Shape} {List} {When} {Nothing} {Flag}");
        var logEvent = new LogEvent(
            new DateTimeOffset(2026, 12, 2, 3, 4, 5, 678, TimeSpan.FromHours(2)).AddTicks(9), LogEventLevel.Error, thrown, template,
            [
                new LogEventProperty("Text", new ScalarValue("ünïcode \"q\" </script>")),
                new LogEventProperty("Number", new ScalarValue(1.25)),
                new LogEventProperty("Padded", new ScalarValue("pad")),
                new LogEventProperty("Shape", new StructureValue([new LogEventProperty("Id", new ScalarValue(7L)), new LogEventProperty("Name", new ScalarValue("x"))], "Tagged")),
                new LogEventProperty("List", new SequenceValue([new ScalarValue(1), new ScalarValue("two"), new ScalarValue(null)])),
                new LogEventProperty("When", new ScalarValue(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc))),
                new LogEventProperty("Nothing", new ScalarValue(null)),
                new LogEventProperty("Flag", new ScalarValue(true)),
                new LogEventProperty("Map", new DictionaryValue([new(new ScalarValue("k"), new ScalarValue(0.1m))])),
            ],
            ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom());
        var plain = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Information, null, new MessageTemplateParser().Parse("Nothing to fill"), [], default, default);
        var scalars = new LogEvent(logEvent.Timestamp, LogEventLevel.Warning, thrown, new MessageTemplateParser().Parse("{Text} {Number:0.0} {Missing} {Count} {Flag} {Level} {Port}"),
            [.. logEvent.Properties.Select(p => new LogEventProperty(p.Key, p.Value)), new LogEventProperty("Count", new ScalarValue(12L)), new LogEventProperty("Level", new ScalarValue(LogEventLevel.Warning)),
                new LogEventProperty("Port", new ScalarValue(3306u))], logEvent.TraceId!.Value, logEvent.SpanId!.Value);

        foreach (var each in (LogEvent[])[logEvent, plain, scalars])
        {
            Assert.Equal(LogCapture.Write(new Serilog.Templates.ExpressionTemplate(LogLineFormatter.Template), each), LogCapture.Write(new LogLineFormatter(), each));
        }
    }
}
