using System.Net;
using Microsoft.Extensions.Configuration;
using Site.Web.Hosting;
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

public sealed class LogLevelsTests
{
    private sealed class Collected : Serilog.Core.ILogEventSink
    {
        public List<Serilog.Events.LogEvent> Events { get; } = [];

        public void Emit(Serilog.Events.LogEvent logEvent) => Events.Add(logEvent);
    }

    private static List<string> Written(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var sink = new Collected();
        using var logger = LogLevels.Apply(new Serilog.LoggerConfiguration(), configuration).WriteTo.Sink(sink).CreateLogger();
        foreach (var source in (string[])["Site.Web.Guestbook", "Microsoft.AspNetCore.Routing", "Other"])
        {
            logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, source).Debug("debug");
            logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, source).Information("information");
            logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, source).Warning("warning");
        }

        return [.. sink.Events.Select(e => $"{((Serilog.Events.ScalarValue)e.Properties["SourceContext"]).Value} {e.MessageTemplate.Text}")];
    }

    [Fact]
    public void WithoutSettingsTheSiteLogsInformationAndTheFrameworksRequestInternalsOnlyFromWarning() =>
        Assert.Equal(["Site.Web.Guestbook information", "Site.Web.Guestbook warning", "Microsoft.AspNetCore.Routing warning", "Other information", "Other warning"],
            Written([]));

    [Fact]
    public void AnOverrideForOneSourceLowersOrRaisesItsLevelAloneUnderTheKeysTheDocsGive() =>
        Assert.Equal(["Site.Web.Guestbook debug", "Site.Web.Guestbook information", "Site.Web.Guestbook warning", "Microsoft.AspNetCore.Routing information",
                "Microsoft.AspNetCore.Routing warning", "Other warning"],
            Written(new()
            {
                ["Serilog:MinimumLevel:Default"] = "Warning",
                ["Serilog:MinimumLevel:Override:Site.Web"] = "Debug",
                ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "information",
            }));

    [Fact]
    public void TheLevelMayAlsoBeGivenAsTheSectionsOwnValue() =>
        Assert.Equal(["Site.Web.Guestbook warning", "Microsoft.AspNetCore.Routing warning", "Other warning"],
            Written(new() { ["Serilog:MinimumLevel"] = "Warning" }));

    [Fact]
    public void AMistypedLevelStopsTheStartWithTheKeyAndTheLevelsThereAre()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => Written(new() { ["Serilog:MinimumLevel:Override:Site.Web"] = "Verbos" }));
        Assert.Equal("Serilog:MinimumLevel:Override:Site.Web is 'Verbos': a log level is one of Verbose, Debug, Information, Warning, Error, Fatal.", failure.Message);
    }
}
