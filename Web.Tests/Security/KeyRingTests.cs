using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Security;

/// <summary>A new task reads (on a new database, creates) the data protection key ring beside its start, not on its way to ready.</summary>
public sealed class KeyRingTests(SiteFactory site) : IClassFixture<SiteFactory>
{
    [Fact]
    public async Task ANewTaskHasItsKeyBeforeTheFirstFormIsAskedForAndTheHostDoesNotWaitForIt()
    {
        // Only readiness probes have reached this task: nothing that needs a key.
        Assert.DoesNotContain(site.Services.GetServices<IHostedService>(), s => s.GetType().Name == "DataProtectionHostedService");
        await using var connection = await site.OpenDatabaseAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM data_protection_keys") == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "No key was stored within 30 s of the start.");
            await Task.Delay(50);
        }

        Assert.DoesNotContain(site.Logs.Events, e => e.TryGetProperty("EventId", out var id) && id.TryGetProperty("Name", out var name) && name.GetString() == "KeyRingNotLoaded");
    }
}
