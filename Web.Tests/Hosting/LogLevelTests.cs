using System.Net;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Hosting;

public sealed class QuietSiteFactory : SiteFactory
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Warning" };
}

public sealed class LogLevelTests(QuietSiteFactory site) : IClassFixture<QuietSiteFactory>
{
    [Fact]
    public async Task TheLogLevelComesFromConfigurationSoAnEnvironmentVariableChangesItWithoutARebuild()
    {
        using var response = await site.CreateClient().GetAsync(new Uri("/about", UriKind.Relative));
        await Task.Delay(200);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Start-up and shut-down lines stay at Information on purpose (appsettings.json): on-call counts them.
        Assert.DoesNotContain(site.Logs.Events, e => e.GetProperty("level").GetString() == "Information"
            && e.GetProperty("SourceContext").GetString() != "Microsoft.Hosting.Lifetime");
    }
}
