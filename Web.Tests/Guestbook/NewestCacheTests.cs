using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Site.Web.Guestbook;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Guestbook;

/// <summary>
/// Two tasks of the site on one database, each keeping the newest screen of entries for the longest lifetime allowed
/// (1 s, the promise). The second task's clock moves only when a test moves it, so what it serves at each instant is
/// exactly what the code guarantees, however slow the machine.
/// </summary>
public sealed class NewestCacheTests(NewestCacheTests.Tasks<NewestCacheTests.CachingSite> tasks) : IClassFixture<NewestCacheTests.Tasks<NewestCacheTests.CachingSite>>
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMilliseconds(1000);

    /// <summary>A clock that stands still until told to move, wall clock and timestamps alike.</summary>
    public sealed class StoppedClock : TimeProvider
    {
        private long ticks = DateTimeOffset.UtcNow.UtcTicks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref ticks);

        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

        public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
    }

    public class CachingSite : SiteFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings =>
            new Dictionary<string, string?> { ["Guestbook:NewestCacheMs"] = $"{Lifetime.TotalMilliseconds}" };
    }

    public sealed class ClockedSite : CachingSite
    {
        public StoppedClock Clock { get; } = new();

        public ClockedSite Beside(SiteFactory first)
        {
            ShareDatabaseOf(first);
            return this;
        }

        protected override void ConfigureServices(IServiceCollection services) => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
    }

    /// <summary>On a database server of its own, which a test may stop.</summary>
    public sealed class PrivateCachingSite : CachingSite
    {
        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            if (DatabaseServer is not null)
            {
                await DatabaseServer.DisposeAsync();
            }
        }

        protected override Task<MariaDbServer> ChooseServerAsync() => MariaDbServer.StartPrivateAsync();
    }

    /// <summary>A on a real clock, B on a stopped one, sharing A's database and settings.</summary>
    public sealed class Tasks<TFirst> : IAsyncLifetime
        where TFirst : CachingSite, new()
    {
        public TFirst A { get; } = new();

        public ClockedSite B { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await A.InitializeAsync();
            B = new ClockedSite().Beside(A);
            await B.InitializeAsync();
        }

        public async Task DisposeAsync()
        {
            await B.DisposeAsync();
            await A.DisposeAsync();
        }
    }

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

    /// <summary>B reads now, so that its screen is exactly as old as the clock moves from here.</summary>
    private async Task FreshReadOnBAsync()
    {
        tasks.B.Clock.Advance(Lifetime);
        await b.GetDocumentAsync("/guestbook");
    }

    [Fact]
    public async Task AnotherTaskShowsANewEntryOnceItsScreenIsALifetimeOldAndNotBefore()
    {
        await FreshReadOnBAsync();
        var id = await PostOnAAsync($"New {Guid.NewGuid():N}");

        Assert.True(await ShownAsync(a, id), "the task that stored it shows it at once");
        Assert.False(await ShownAsync(b, id), "B serves the screen it read, not the database: the cache is in use");
        tasks.B.Clock.Advance(Lifetime - TimeSpan.FromMilliseconds(1));
        Assert.False(await ShownAsync(b, id));
        tasks.B.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await ShownAsync(b, id), "a lifetime after its read, B reads again");
    }

    [Fact]
    public async Task TheAuthorSeesTheirEntryAtOnceWhenTheRedirectLandsOnAnotherTask()
    {
        await FreshReadOnBAsync();
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
        await FreshReadOnBAsync();
        Assert.True(await ShownAsync(b, id));

        // What the owner's Hide does (AdminStore), from any task.
        await using (var connection = await tasks.A.OpenDatabaseAsync())
        {
            await connection.ExecuteAsync("UPDATE guestbook_entries SET hidden = 1 WHERE id = @id", new { id });
        }

        Assert.True(await ShownAsync(b, id), "within its lifetime B still serves the screen it read");
        tasks.B.Clock.Advance(Lifetime);
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
            var options = new GuestbookOptions { NewestCacheMs = ms };
            return Validator.TryValidateObject(options, new ValidationContext(options), null, validateAllProperties: true);
        }

        Assert.True(Valid((int)Lifetime.TotalMilliseconds));
        Assert.True(Valid(new GuestbookOptions().NewestCacheMs));
        Assert.False(Valid(1001));
    }
}

/// <summary>With the database away, a task serves the screen it read for the rest of its lifetime, then answers 503.</summary>
public sealed class NewestCacheOutageTests(NewestCacheTests.Tasks<NewestCacheTests.PrivateCachingSite> tasks)
    : IClassFixture<NewestCacheTests.Tasks<NewestCacheTests.PrivateCachingSite>>
{
    [Fact]
    public async Task OnceTheScreenIsALifetimeOldADatabaseOutageAnswers503()
    {
        var b = tasks.B.CreateClient();
        tasks.B.Clock.Advance(NewestCacheTests.Lifetime);
        using (var fresh = await b.GetAsync(new Uri("/guestbook", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        var server = tasks.A.DatabaseServer!;
        await server.StopAsync();
        try
        {
            using (var held = await b.GetAsync(new Uri("/guestbook", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.OK, held.StatusCode);
            }

            tasks.B.Clock.Advance(NewestCacheTests.Lifetime);
            using var page = await b.GetAsync(new Uri("/guestbook", UriKind.Relative));
            using var api = await b.GetAsync(new Uri("/api/guestbook", UriKind.Relative));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.Contains("database isn", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.NotNull(page.Headers.RetryAfter);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
        }
        finally
        {
            await server.StartAsync();
        }
    }
}
