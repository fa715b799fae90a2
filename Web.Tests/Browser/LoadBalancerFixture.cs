using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Browser;

/// <summary>
/// Runs with no other test class beside it: on a small machine its Chromium and the Browser collection's at once
/// would be slow and flaky.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadBalancerGroup : ICollectionFixture<LoadBalancerFixture>
{
    public const string Name = "Browser behind the load balancer";
}

/// <summary>
/// The site as deployed (Production, on a real port) behind nginx standing in for the load balancer, and a Chromium
/// that reaches it by a host name, www.site.test, mapped to loopback for this browser alone. Browsers exempt
/// loopback addresses from HTTPS upgrades and some mixed-content rules; a name gets the treatment the load balancer's does.
/// </summary>
public sealed class LoadBalancerFixture : IAsyncLifetime
{
    private Chromium? chromium;
    private LoadBalancerProxy? proxy;

    public BrowserSiteFactory Site { get; } = BrowserSiteFactory.AsDeployed();

    public LoadBalancerProxy Proxy => proxy ?? throw new InvalidOperationException("The load balancer has not started.");

    public async Task InitializeAsync()
    {
        using var ca = TestCertificateAuthority.Create("CN=Site test load balancer CA");
        var certificate = ca.Issue(LoadBalancerProxy.HostName, [LoadBalancerProxy.HostName], []);
        chromium = await Chromium.LaunchAsync(
            $"--host-resolver-rules=MAP {LoadBalancerProxy.HostName} 127.0.0.1",
            // Trusts this one key, as if a public CA had issued its certificate; the test CA itself stays untrusted.
            $"--ignore-certificate-errors-spki-list={certificate.PublicKeySha256}");
        await Site.InitializeAsync();
        proxy = await LoadBalancerProxy.StartAsync(Site.Address, certificate);
    }

    public async Task DisposeAsync()
    {
        if (proxy is not null)
        {
            await proxy.DisposeAsync();
        }

        if (chromium is not null)
        {
            await chromium.DisposeAsync();
        }

        await Site.DisposeAsync();
    }

    /// <summary>A fresh browser context on the load balancer's entry point for a scheme, "http" or "https".</summary>
    public Task<BrowserSession> NewSessionAsync(string scheme, bool javaScript = true) =>
        chromium!.NewSessionAsync(Proxy.Address(scheme), javaScript: javaScript);
}
