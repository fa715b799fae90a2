using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Site.Web.Tests.Infrastructure;

/// <summary>
/// The site with the given settings (and, optionally, services) on a database the test manages.
/// It starts on first use and does not wait for readiness: some tests show that it never becomes ready.
/// </summary>
public sealed class ConfiguredSiteFactory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null) : SiteFactory
{
    protected override IReadOnlyDictionary<string, string?> Settings => settings;

    public override Task InitializeAsync() => Task.CompletedTask;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }
}
