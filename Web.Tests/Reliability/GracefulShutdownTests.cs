using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Reliability;

public sealed class GracefulShutdownTests(KestrelSiteFactory site) : IClassFixture<KestrelSiteFactory>
{
    [Fact]
    public async Task OnShutdownARequestInFlightCompletesAndNewConnectionsAreRefused()
    {
        var client = site.CreateClient();
        var message = $"In flight {Guid.NewGuid():N}";

        // Holding the table makes the write wait, like a slow request at the moment ECS stops the task.
        await using var blocker = await site.OpenDatabaseAsync();
        await using (var lockTable = new MySqlConnector.MySqlCommand("LOCK TABLES guestbook_entries WRITE", blocker))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        var inFlight = client.PostAsJsonAsync("/api/guestbook", new { name = "Late", message });
        await Task.Delay(300);

        var clock = Stopwatch.StartNew();
        var stopping = site.Services.GetRequiredService<IServer>().StopAsync(CancellationToken.None);
        await Task.Delay(300);

        using var fresh = new HttpClient { BaseAddress = client.BaseAddress };
        await Assert.ThrowsAsync<HttpRequestException>(() => fresh.GetAsync(new Uri("/health/live", UriKind.Relative)));
        Assert.False(inFlight.IsCompleted);

        await using (var unlock = new MySqlConnector.MySqlCommand("UNLOCK TABLES", blocker))
        {
            await unlock.ExecuteNonQueryAsync();
        }

        using var response = await inFlight;
        await stopping;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, await site.CountAsync("guestbook_entries", "message = @message", new { message }));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {clock.Elapsed}");
    }

    [Fact]
    public void TheShutdownTimeoutFitsInsideTheContainersStopTimeout()
    {
        var timeout = site.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;

        // ECS sends SIGKILL 30 s after SIGTERM (the task definition's stopTimeout); the app must be done before that.
        Assert.Equal(TimeSpan.FromSeconds(20), timeout);
    }
}
