using System.Net;
using Site.Web.Hosting;
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

        // One line explains it, and it is the one error: the request's own, under its own route (not the error
        // page's), with the exception, its type and the database operation that failed.
        var lines = await site.Logs.ForRequestAsync(shown!);
        var failure = Assert.Single(lines, e => e.GetProperty("level").GetString() == "Error");
        Assert.Equal(LogFields.RequestCompletedTemplate, failure.GetProperty("template").GetString());
        Assert.Equal(("/guestbook", 500), (failure.GetProperty("Route").GetString(), failure.GetProperty("StatusCode").GetInt32()));
        Assert.Equal(("MySqlConnector.MySqlException", "guestbook.page"), (failure.GetProperty("ExceptionType").GetString(), failure.GetProperty("DbOperation").GetString()));
        Assert.Contains("guestbook_entries", failure.GetProperty("exception").GetString(), StringComparison.Ordinal);
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

        var failure = Assert.Single(await site.Logs.ForRequestAsync(response.Headers.GetValues("X-Trace-Id").Single()),
            e => e.GetProperty("level").GetString() == "Error");
        Assert.Equal(("/api/guestbook", "MySqlConnector.MySqlException"), (failure.GetProperty("Route").GetString(), failure.GetProperty("ExceptionType").GetString()));
    }
}
