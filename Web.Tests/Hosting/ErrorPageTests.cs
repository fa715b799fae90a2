using System.Net;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Hosting;

/// <summary>A real failure: the guestbook table disappears under the running site.</summary>
public sealed class ErrorPageTests(SiteFactory site) : IClassFixture<SiteFactory>, IAsyncLifetime
{
    private readonly HttpClient client = site.CreateClient();

    public async Task InitializeAsync()
    {
        await using var connection = await site.OpenDatabaseAsync();
        await using var command = new MySqlConnector.MySqlCommand("DROP TABLE IF EXISTS guestbook_entries", connection);
        await command.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AnErrorPageShowsTheTraceIdThatLeadsToTheExceptionInTheLogs()
    {
        using var response = await client.GetAsync(new Uri("/guestbook", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Equal("Something went wrong on our side", page.QuerySelector("main h1")?.TextContent);
        var shown = page.QuerySelector("#trace-id")?.TextContent;
        Assert.Equal(response.Headers.GetValues("X-Trace-Id").Single(), shown);

        var lines = await site.Logs.ForRequestAsync(shown!);
        // Logged once by the framework's exception handler; the app adds the type and message as fields.
        var failure = Assert.Single(lines, e => e.TryGetProperty("exception", out _)
            && e.TryGetProperty("EventId", out var id) && id.GetProperty("Name").GetString() == "UnhandledException");
        Assert.Equal("MySqlConnector.MySqlException", failure.GetProperty("ExceptionType").GetString());
        Assert.Contains("guestbook_entries", failure.GetProperty("exception").GetString(), StringComparison.Ordinal);
        Assert.Contains(lines, e => e.TryGetProperty("StatusCode", out var s) && s.GetInt32() == 500);
    }

    [Fact]
    public async Task TheApiAnswersProblemDetailsCarryingTheTraceId()
    {
        using var response = await client.GetAsync(new Uri("/api/guestbook", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(response.Headers.GetValues("X-Trace-Id").Single(), body.RootElement.GetProperty("traceId").GetString());
        Assert.DoesNotContain("guestbook_entries", body.RootElement.ToString(), StringComparison.Ordinal);
    }
}
