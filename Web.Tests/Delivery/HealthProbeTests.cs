using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Site.Web.Hosting;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Delivery;

public sealed class HealthProbeTests(KestrelSiteFactory site) : IClassFixture<KestrelSiteFactory>
{
    [Fact]
    public async Task TheProbeSucceedsWhileTheSiteIsAlive()
    {
        Assert.Equal(0, await HealthProbe.RunAsync(["probe", new Uri(site.Address, "/health/live").ToString()]));
    }

    [Fact]
    public async Task TheProbeFailsWhenTheSiteAnswersAnythingButOk()
    {
        Assert.Equal(1, await HealthProbe.RunAsync(["probe", new Uri(site.Address, "/health/no-such-check").ToString()]));
    }

    [Fact]
    public async Task TheProbeFailsWhenNothingListens()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        Assert.Equal(1, await HealthProbe.RunAsync(["probe", $"http://127.0.0.1:{closedPort}/health/live"]));
    }

    [Fact]
    public async Task TheProbeGivesUpAfterItsTimeoutWhenTheServerNeverAnswers()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = listener.AcceptTcpClientAsync();

        var elapsed = Stopwatch.StartNew();
        var result = await HealthProbe.RunAsync(["probe", $"http://127.0.0.1:{port}/health/live"]);
        elapsed.Stop();
        (await accepted).Dispose();

        Assert.Equal(1, result);
        Assert.InRange(elapsed.Elapsed, HealthProbe.Timeout - TimeSpan.FromMilliseconds(100), HealthProbe.Timeout + TimeSpan.FromSeconds(2));
    }

    [Theory]
    [InlineData(new[] { "probe" }, true)]
    [InlineData(new[] { "probe", "http://127.0.0.1:8080/health/live" }, true)]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "--urls", "probe" }, false)]
    public void OnlyAFirstArgumentOfProbeSelectsProbeMode(string[] args, bool expected)
    {
        Assert.Equal(expected, HealthProbe.IsRequested(args));
    }
}
