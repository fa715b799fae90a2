using System.Diagnostics;
using System.Net;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Reliability;

public sealed class LateDatabaseTests
{
    [Fact]
    public async Task TheSiteStartsWithoutItsDatabaseAndBecomesReadyWhenItArrives()
    {
        await using var server = await MariaDbServer.StartPrivateAsync();
        var connectionString = await server.CreateDatabaseAsync("late_arrival");
        await server.StopAsync();

        await using var site = SiteFactory.OnDatabase(connectionString);
        await site.InitializeAsync();
        var client = site.CreateClient();

        using (var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative)))
        using (var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative)))
        using (var api = await client.GetAsync(new Uri("/api/guestbook", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
            Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        }

        await Task.Delay(1500);
        await server.StartAsync();
        var clock = Stopwatch.StartNew();
        await SiteFactory.WaitUntilReadyAsync(client, TimeSpan.FromSeconds(20));

        // The retry delay is capped, so the wait after the database returns is bounded too.
        Assert.True(clock.Elapsed < Data.DatabaseInitializer.MaxDelay + TimeSpan.FromSeconds(2), $"ready {clock.Elapsed} after the database came back");
        Assert.Contains(site.Logs.Events, e => e.GetProperty("template").GetString()!.StartsWith("Database not ready", StringComparison.Ordinal));
        using var page = await client.GetAsync(new Uri("/guestbook", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }
}
