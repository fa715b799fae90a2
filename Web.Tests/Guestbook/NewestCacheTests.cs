using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Site.Web.Data;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Guestbook;

/// <summary>Two tasks of the site on one database, each keeping the newest screen of entries for the longest lifetime allowed.</summary>
public sealed class NewestCacheTests(TwoTasks<CachingSite> tasks) : IClassFixture<TwoTasks<CachingSite>>
{
    private readonly HttpClient a = tasks.A.CreateBrowserLikeClient();
    private readonly HttpClient b = tasks.B.CreateBrowserLikeClient();

    private static async Task<bool> ShownAsync(HttpClient client, long id, string path = "/guestbook")
    {
        var page = await client.GetDocumentAsync(path);
        var listed = await client.GetFromJsonAsync<JsonElement>("/api/guestbook");
        var inList = listed.GetProperty("entries").EnumerateArray().Any(e => e.GetProperty("id").GetInt64() == id);
        Assert.Equal(page.QuerySelector($"#entry-{id}") is not null, inList);
        return inList;
    }

    private async Task<long> PostOnAAsync(string message)
    {
        using var response = await a.PostAsJsonAsync("/api/guestbook", new { name = "Cache", message });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task AnotherTaskShowsANewEntryOnceItsScreenIsALifetimeOldAndNotBefore()
    {
        await tasks.FreshReadOnBAsync(b, "/guestbook");
        var id = await PostOnAAsync($"New {Guid.NewGuid():N}");

        Assert.True(await ShownAsync(a, id), "the task that stored it shows it at once");
        Assert.False(await ShownAsync(b, id), "B serves the screen it read, not the database: the cache is in use");
        tasks.B.Clock.Advance(CachingSite.Lifetime - TimeSpan.FromMilliseconds(1));
        Assert.False(await ShownAsync(b, id));
        tasks.B.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await ShownAsync(b, id), "a lifetime after its read, B reads again");
    }

    [Fact]
    public async Task TheAuthorSeesTheirEntryAtOnceWhenTheRedirectLandsOnAnotherTask()
    {
        await tasks.FreshReadOnBAsync(b, "/guestbook");
        var form = await a.GetDocumentAsync("/guestbook");
        var name = $"Author {Guid.NewGuid():N}"[..14];
        using var posted = await a.SubmitAsync(form, "#guestbook-form", new Dictionary<string, string> { ["Form.Name"] = name, ["Form.Message"] = "Mine." });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);

        // The load balancer sends the redirected view to B, whose screen predates the entry and whose clock has not moved.
        var page = await b.GetDocumentAsync(posted.Headers.Location!.OriginalString);
        var first = page.QuerySelector("#entries .entry");
        Assert.Equal(name, first?.QuerySelector(".entry-name")?.TextContent);
        Assert.Contains("posted", first!.ClassList);
    }

    [Fact]
    public async Task AHiddenEntryLeavesAnotherTaskOnceItsScreenIsALifetimeOld()
    {
        var id = await PostOnAAsync($"To hide {Guid.NewGuid():N}");
        await tasks.FreshReadOnBAsync(b, "/guestbook");
        Assert.True(await ShownAsync(b, id));

        // What the owner's Hide does (AdminStore), from any task.
        await using (var connection = await tasks.A.OpenDatabaseAsync())
        {
            await connection.ExecuteAsync("UPDATE guestbook_entries SET hidden = 1 WHERE id = @id", new { id });
        }

        Assert.True(await ShownAsync(b, id), "within its lifetime B still serves the screen it read");
        tasks.B.Clock.Advance(CachingSite.Lifetime);
        Assert.False(await ShownAsync(b, id));
        // A's clock is the machine's: polled, with room for a slow machine; its promise is the same code as B's.
        for (var deadline = DateTime.UtcNow.AddSeconds(30); await ShownAsync(a, id); await Task.Delay(100))
        {
            Assert.True(DateTime.UtcNow < deadline, "A still shows the hidden entry");
        }
    }

    [Fact]
    public void NoLifetimeLongerThanTheOneSecondPromiseIsAccepted()
    {
        static bool Valid(int ms)
        {
            var options = new ReadCacheOptions { LifetimeMs = ms };
            return Validator.TryValidateObject(options, new ValidationContext(options), null, validateAllProperties: true);
        }

        Assert.True(Valid((int)CachingSite.Lifetime.TotalMilliseconds));
        Assert.True(Valid(new ReadCacheOptions().LifetimeMs));
        Assert.False(Valid(1001));
    }
}

/// <summary>With the database away, a task serves what it read for the rest of its lifetime, then answers 503.</summary>
public sealed class CachedReadOutageTests(TwoTasks<PrivateCachingSite> tasks) : IClassFixture<TwoTasks<PrivateCachingSite>>
{
    private static readonly string[] Paths = ["/guestbook", "/about", "/gallery", "/api/guestbook"];

    [Fact]
    public async Task OnceWhatItReadIsALifetimeOldADatabaseOutageAnswers503()
    {
        var b = tasks.B.CreateClient();
        tasks.B.Clock.Advance(CachingSite.Lifetime);
        foreach (var path in Paths)
        {
            using var fresh = await b.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        var server = tasks.A.DatabaseServer!;
        await server.StopAsync();
        try
        {
            foreach (var path in Paths)
            {
                using var held = await b.GetAsync(new Uri(path, UriKind.Relative));
                Assert.True(held.StatusCode == HttpStatusCode.OK, $"{path} is held for the rest of its lifetime");
            }

            var about = await b.GetDocumentAsync("/about");
            Assert.NotNull(about.QuerySelector("nav[aria-label=Main] a[href='/visit']"));

            tasks.B.Clock.Advance(CachingSite.Lifetime);
            foreach (var path in Paths)
            {
                using var response = await b.GetAsync(new Uri(path, UriKind.Relative));
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{path} answers 503 once its read is a lifetime old");
                Assert.NotNull(response.Headers.RetryAfter);
            }

            using var page = await b.GetAsync(new Uri("/guestbook", UriKind.Relative));
            Assert.Contains("database isn", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await server.StartAsync();
        }
    }
}
