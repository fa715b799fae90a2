using System.Net;
using Dapper;
using Microsoft.Extensions.Configuration;
using MySqlConnector;
using Site.Web.Data;
using Site.Web.Hosting;
using Site.Web.Tests.Infrastructure;
using static Site.Web.Tests.Infrastructure.LogsInsights;

namespace Site.Web.Tests.Reliability;

/// <summary>
/// The site with a pool of two connections, set by the variable the deployment sets, and a command timeout long enough
/// that a slow query keeps its connection until the test lets it go, however slow the machine.
/// </summary>
public sealed class TwoConnectionSiteFactory : SiteFactory
{
    public const int PoolSize = 2;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        [DatabaseVariables.MaxPoolSize.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] = $"{PoolSize}",
        ["Database:CommandTimeoutSeconds"] = "120",
    };
}

/// <summary>Every pooled connection is held by a slow query: the next visitor is refused quickly and plainly, and the site recovers.</summary>
public sealed class PoolExhaustionTests(TwoConnectionSiteFactory site) : IClassFixture<TwoConnectionSiteFactory>
{
    // The load balancer's idle timeout (its default, 60 s): a refusal must come well before it cuts the request off.
    private static readonly TimeSpan LoadBalancerIdleTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task WithEveryConnectionHeldBySlowQueriesVisitorsGet503WithRetryAfterAndTheLogSaysThePoolWasExhausted()
    {
        var client = site.CreateClient();
        client.Timeout = LoadBalancerIdleTimeout / 2;
        await using var locker = await site.OpenDatabaseAsync();
        await using var watcher = await site.OpenDatabaseAsync();

        // The guestbook's query waits on the lock, holding its pooled connection, as a slow query does.
        await locker.ExecuteAsync("LOCK TABLES guestbook_entries WRITE");
        var slow = Enumerable.Range(0, TwoConnectionSiteFactory.PoolSize)
            .Select(_ => client.GetAsync(new Uri("/guestbook", UriKind.Relative)))
            .ToList();
        await WaitUntilQueriesWaitAsync(watcher, TwoConnectionSiteFactory.PoolSize);

        using (var page = await client.GetAsync(new Uri("/guestbook", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.NotNull(page.Headers.RetryAfter);
            var events = await site.Logs.ForRequestAsync(page.Headers.GetValues(WebExtensions.TraceIdHeader).Single());
            var exhausted = Assert.Single(events, e => Text(e, LogFields.EventName) == LogFields.Events.DatabasePoolExhausted);
            Assert.Equal("Warning", Text(exhausted, LogFields.Level));
            Assert.Contains($"all {TwoConnectionSiteFactory.PoolSize} connections", Text(exhausted, LogFields.Message), StringComparison.Ordinal);
        }

        using (var api = await client.GetAsync(new Uri("/api/guestbook", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
            Assert.NotNull(api.Headers.RetryAfter);
        }

        // Busy is not down: the load balancer must keep the task in service, and no outage is reported.
        using (var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        Assert.DoesNotContain(site.Logs.Events, e => Text(e, LogFields.EventName) == LogFields.Events.DatabaseOutageStarted);

        await locker.ExecuteAsync("UNLOCK TABLES");
        foreach (var response in await Task.WhenAll(slow))
        {
            using (response)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        using var after = await client.GetAsync(new Uri("/guestbook", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    private static async Task WaitUntilQueriesWaitAsync(MySqlConnection watcher, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await watcher.ExecuteScalarAsync<int>(
                   "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE STATE LIKE 'Waiting for table%'") < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"fewer than {count} of the page's queries ever waited on the lock");
            await Task.Delay(20);
        }
    }
}
