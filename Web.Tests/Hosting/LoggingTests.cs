using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Site.Web.Hosting;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Hosting;

public sealed class LoggingTests(SiteFactory site) : IClassFixture<SiteFactory>
{
    private readonly HttpClient client = site.CreateClient();

    private static readonly string[] Levels = ["Debug", "Information", "Warning", "Error", "Fatal"];

    private static string Text(JsonElement e, string field) => e.GetProperty(field).GetString() ?? "";

    [Fact]
    public async Task EveryLogLineIsOneJsonObjectWithTheDocumentedFields()
    {
        using var response = await client.GetAsync(new Uri("/about", UriKind.Relative));
        await site.Logs.ForRequestAsync(response.Headers.GetValues("X-Trace-Id").Single());

        Assert.NotEmpty(site.Logs.Lines);
        foreach (var line in site.Logs.Lines)
        {
            Assert.EndsWith("\n", line, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', line.TrimEnd('\n'));
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            Assert.Equal(JsonValueKind.Object, root.ValueKind);
            Assert.True(DateTimeOffset.TryParse(Text(root, "time"), System.Globalization.CultureInfo.InvariantCulture, out _));
            Assert.Contains(Text(root, "level"), Levels);
            Assert.False(string.IsNullOrEmpty(Text(root, "message")));
            Assert.False(string.IsNullOrEmpty(Text(root, "template")));
            Assert.Equal("test-version", Text(root, "AppVersion"));
            Assert.Equal("Testing", Text(root, "Environment"));
        }
    }

    [Fact]
    public async Task EachRequestLogsOneCompletionEventWithRouteStatusTimingAndTrace()
    {
        using var response = await client.GetAsync(new Uri("/guestbook?before=5", UriKind.Relative));
        var traceId = response.Headers.GetValues("X-Trace-Id").Single();

        var completed = (await site.Logs.ForRequestAsync(traceId)).Where(e => Text(e, "template").StartsWith("HTTP ", StringComparison.Ordinal)).ToList();
        var entry = Assert.Single(completed);
        Assert.Equal("GET", Text(entry, "RequestMethod"));
        Assert.Equal("/guestbook", Text(entry, "RequestPath"));
        Assert.Equal("/guestbook", Text(entry, "Route"));
        Assert.Equal(200, entry.GetProperty("StatusCode").GetInt32());
        var elapsed = entry.GetProperty("Elapsed").GetDouble();
        Assert.True(elapsed > 0);
        Assert.Equal(16, Text(entry, "spanId").Length);
        // A busy machine can make even this request slow, and a slow request is a warning: expect what its own timing says.
        var slowRequestMs = site.Services.GetRequiredService<IOptions<SiteOptions>>().Value.SlowRequestMs;
        Assert.Equal(elapsed > slowRequestMs ? "Warning" : "Information", Text(entry, "level"));
    }

    [Fact]
    public async Task MessageBodiesAndEmailsNeverReachTheLogs()
    {
        var secret = $"private-{Guid.NewGuid():N}";
        var browser = site.CreateBrowserLikeClient();
        var page = await browser.GetDocumentAsync("/contact");
        using var form = await browser.SubmitAsync(page, "main form", new Dictionary<string, string>
        {
            ["Form.Name"] = secret,
            ["Form.Email"] = $"{secret}@example.com",
            ["Form.Message"] = secret,
        });
        using var api = await client.PostAsync(new Uri("/api/guestbook", UriKind.Relative),
            new StringContent($"{{\"name\":\"{secret}\",\"message\":\"{secret}\"}}", System.Text.Encoding.UTF8, "application/json"));
        await site.Logs.ForRequestAsync(api.Headers.GetValues("X-Trace-Id").Single());

        Assert.DoesNotContain(site.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartUpIsLoggedWithWhatTheAppRunsWithButNoSecrets()
    {
        using var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        var started = Assert.Single(site.Logs.Events, e => e.TryGetProperty("EventId", out var id) && id.GetProperty("Name").GetString() == "AppStarted");
        Assert.True(started.GetProperty("StartupMs").GetInt64() > 0);
        Assert.Equal("Disk", Text(started, "MediaProvider"));
        Assert.Equal("Password", Text(started, "DatabaseAuth"));
        Assert.DoesNotContain("Password=", started.ToString(), StringComparison.Ordinal);
        Assert.Contains(site.Logs.Events, e => e.TryGetProperty("EventId", out var id) && id.GetProperty("Name").GetString() == "DatabaseReady");
    }
}
