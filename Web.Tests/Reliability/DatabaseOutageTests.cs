using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Site.Web.Admin;
using Site.Web.Hosting;
using Site.Web.Tests.Admin;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Reliability;

/// <summary>The database server dies in the middle of traffic and comes back: nothing hangs, nothing is lost or doubled.</summary>
public sealed class DatabaseOutageTests(PrivateServerSiteFactory site) : IClassFixture<PrivateServerSiteFactory>
{
    private sealed record Outcome(HttpStatusCode Status, long? Id, string Message, TimeSpan Took, string? RetryAfter, DateTime At);

    [Fact]
    public async Task DuringAnOutageVisitorsGet503AndAfterItEverySavedWriteIsStoredOnce()
    {
        var server = site.DatabaseServer!;
        var client = site.CreateClient();
        var outcomes = new ConcurrentQueue<Outcome>();
        using var stop = new CancellationTokenSource();

        async Task WriterAsync(int writer)
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var message = $"w{writer}-{i}-{Guid.NewGuid():N}";
                var clock = Stopwatch.StartNew();
                using var response = await client.PostAsJsonAsync("/api/guestbook", new { name = "Outage", message });
                long? id = response.StatusCode == HttpStatusCode.Created
                    ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64()
                    : null;
                outcomes.Enqueue(new Outcome(response.StatusCode, id, message, clock.Elapsed,
                    response.Headers.RetryAfter?.ToString(), DateTime.UtcNow));
                await Task.Delay(15);
            }
        }

        var writers = Enumerable.Range(0, 3).Select(WriterAsync).ToList();
        await Task.Delay(600);

        await server.StopAsync();
        var down = DateTime.UtcNow;
        await Task.Delay(1500);

        using (var page = await client.GetAsync(new Uri("/guestbook", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.NotNull(page.Headers.RetryAfter);
            Assert.Contains("database isn", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative)))
        using (var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        var up = DateTime.UtcNow;
        await server.StartAsync();
        var recovered = Stopwatch.StartNew();
        while (!outcomes.Any(o => o.At > up && o.Status == HttpStatusCode.Created))
        {
            Assert.True(recovered.Elapsed < TimeSpan.FromSeconds(15), "the site did not recover within 15 s of the database returning");
            await Task.Delay(50);
        }

        await Task.Delay(500);
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        var all = outcomes.ToList();
        var duringOutage = all.Where(o => o.At > down.AddMilliseconds(200) && o.At < up).ToList();
        Assert.NotEmpty(duringOutage);
        Assert.All(duringOutage, o =>
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, o.Status);
            Assert.NotNull(o.RetryAfter);
        });
        Assert.All(all, o => Assert.Contains(o.Status, new[] { HttpStatusCode.Created, HttpStatusCode.ServiceUnavailable }));
        Assert.All(all, o => Assert.True(o.Took < TimeSpan.FromSeconds(6), $"a request took {o.Took}"));

        var saved = all.Where(o => o.Status == HttpStatusCode.Created).ToList();
        await using var connection = await site.OpenDatabaseAsync();
        var stored = (await connection.QueryAsync<(long Id, string Message)>("SELECT id, message FROM guestbook_entries WHERE name = 'Outage'")).ToList();
        foreach (var write in saved)
        {
            Assert.Equal(write.Id, Assert.Single(stored, s => s.Message == write.Message).Id);
        }

        Assert.Equal(stored.Count, stored.Select(s => s.Message).Distinct().Count());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/guestbook", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task APostDuringAnOutageRedisplaysTheFormWithWhatWasTyped()
    {
        var browser = site.CreateBrowserLikeClient();
        var form = await browser.GetDocumentAsync("/guestbook");
        await site.DatabaseServer!.StopAsync();
        try
        {
            using var response = await browser.SubmitAsync(form, "#guestbook-form",
                new Dictionary<string, string> { ["Form.Name"] = "Patient", ["Form.Message"] = "Typed while the database was away" });

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var page = await Html.ParseAsync(response);
            Assert.Equal("Patient", page.QuerySelector("#Form_Name")?.GetAttribute("value"));
            Assert.Equal("Typed while the database was away", page.QuerySelector("#Form_Message")?.TextContent);
            Assert.Contains("Your text is still here", page.QuerySelector(".form-error")?.TextContent, StringComparison.Ordinal);
        }
        finally
        {
            await site.DatabaseServer.StartAsync();
        }
    }

    [Fact]
    public async Task EachRefusedVisitorSeesTheIdOfTheOneLineThatNamesTheDatabaseThatFailed()
    {
        var browser = site.CreateBrowserLikeClient();
        var form = await browser.GetDocumentAsync("/guestbook");
        await site.DatabaseServer!.StopAsync();
        try
        {
            using var page = await browser.GetAsync(new Uri("/guestbook", UriKind.Relative));
            using var api = await browser.PostAsJsonAsync("/api/guestbook", new { name = "Outage", message = "Sent while it was away" });
            using var post = await browser.SubmitAsync(form, "#guestbook-form",
                new Dictionary<string, string> { ["Form.Name"] = "Patient", ["Form.Message"] = "Typed while it was away" });

            var shown = new[]
            {
                (await Html.ParseAsync(page)).QuerySelector(".notice")?.TextContent,
                (await api.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(),
                (await Html.ParseAsync(post)).QuerySelector(".form-error")?.TextContent,
            };
            foreach (var (response, text) in new[] { page, api, post }.Zip(shown))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                var traceId = response.Headers.GetValues(WebExtensions.TraceIdHeader).Single();
                Assert.Contains($"please quote this id: {traceId}", text, StringComparison.Ordinal);

                // The id leads to one line for the request: a warning (the outage is one error of its own), naming the
                // database's host and port and the error, without a stack.
                var line = Assert.Single(await site.Logs.ForRequestAsync(traceId), e => e.GetProperty("template").GetString() == LogFields.RequestCompletedTemplate);
                Assert.Equal("Warning", line.GetProperty("level").GetString());
                Assert.Equal($"127.0.0.1:{site.DatabaseServer.Port}", line.GetProperty(LogFields.DatabaseEndpoint).GetString());
                Assert.Equal("MySqlConnector.MySqlException", line.GetProperty(LogFields.ExceptionType).GetString());
                Assert.False(line.TryGetProperty(LogFields.Exception, out _));
            }
        }
        finally
        {
            await site.DatabaseServer.StartAsync();
        }
    }

    [Fact]
    public async Task SigningInDuringAnOutageAnswers503AndKeepsTheUserName()
    {
        await using var withOwner = site.WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in AdminSiteFactory.OwnerSettings)
            {
                builder.UseSetting(key, value);
            }
        });
        var browser = withOwner.CreateClient(AdminSiteFactory.OwnerClientOptions);
        var form = await browser.GetDocumentAsync("/admin/login");
        await site.DatabaseServer!.StopAsync();
        try
        {
            using var response = await browser.SubmitAsync(form, "#login-form",
                new Dictionary<string, string> { ["Form.User"] = AdminSiteFactory.User, ["Form.Password"] = AdminSiteFactory.Password });

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(response.Headers.Contains("Retry-After"));
            var page = await Html.ParseAsync(response);
            Assert.Equal(AdminSiteFactory.User, page.QuerySelector("#Form_User")?.GetAttribute("value"));
            Assert.StartsWith(LoginModel.DatabaseUnavailable, page.QuerySelector(".form-error li")?.TextContent, StringComparison.Ordinal);
        }
        finally
        {
            await site.DatabaseServer.StartAsync();
        }
    }
}
