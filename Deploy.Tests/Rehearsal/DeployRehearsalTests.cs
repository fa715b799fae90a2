using System.Net;
using System.Text.RegularExpressions;
using Site.Cdk.Data;
using Site.Cdk.Service;
using Site.Cdk.Tests.Synthesis;
using Site.Cdk;
using Site.Web.Data;
using Site.Web.Hosting;
using Site.Web.Tests.Infrastructure;

namespace Site.Deploy.Tests.Rehearsal;

/// <summary>Each environment synthesized with each way the app signs in to the database, as the rehearsal's inputs.</summary>
public sealed class RehearsedSites : IDisposable
{
    private readonly Dictionary<(string, DatabaseAuth), Lazy<SynthesizedSite>> sites = new()
    {
        [("dev", DatabaseAuth.Iam)] = new(() => new DevSite()),
        [("prod", DatabaseAuth.Iam)] = new(() => new ProdSite()),
        [("dev", DatabaseAuth.Password)] = new(() => new DevPasswordSite()),
        [("prod", DatabaseAuth.Password)] = new(() => new ProdPasswordSite()),
    };

    public SynthesizedSite this[string environment, DatabaseAuth auth] => sites[(environment, auth)].Value;

    public void Dispose()
    {
        foreach (var site in sites.Values.Where(s => s.IsValueCreated))
        {
            site.Value.Dispose();
        }
    }

    /// <summary>As an environment deployed before the switch to IAM sign-in was.</summary>
    private sealed class DevPasswordSite() : SynthesizedSite("dev", null, null, s => s with { DatabaseAuth = DatabaseAuth.Password });

    private sealed class ProdPasswordSite() : SynthesizedSite(
        "prod", new SiteDomain("example.org", "Z0EXAMPLE12345", null), ProdSite.ProviderArn, s => s with { DatabaseAuth = DatabaseAuth.Password },
        ProdSite.AlarmEmail, ImageDigest);
}

[CollectionDefinition(Name)]
public sealed class RehearsalFixtures : ICollectionFixture<RehearsedSites>, ICollectionFixture<PublishedImage>
{
    public const string Name = "Deploy rehearsal";
}

/// <summary>
/// A deploy rehearsed here: the web container as the synthesized service template defines it, with its secrets as
/// Secrets Manager generates them from the data stack's specs, started from the published app against a TLS-only
/// MariaDB standing in for RDS and an S3 stand-in holding what the deploy uploads. A setting or secret the app
/// needs and the CDK does not give fails here, not in the first deploy.
/// </summary>
[Collection(RehearsalFixtures.Name)]
public sealed class DeployRehearsalTests(RehearsedSites sites, PublishedImage image)
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);

    [Theory, InlineData("dev"), InlineData("prod")]
    public async Task TheTaskAsDefinedCreatesItsDatabaseUserThenPassesItsHealthChecksServesThePagesAndTakesAGuestbookPost(string environment)
    {
        var site = sites[environment, DatabaseAuth.Iam];
        await using var rds = await RdsStandIn.CreateAsync(site);
        await using var task = await Rehearsal.StartAsync(site, image, rds);

        Assert.Contains(task.InitLines, line => line.Contains("\"IamUserProvisioned\"", StringComparison.Ordinal));
        await AssertSignedInAsTheIamUserAsync(task, rds, site);
        await AssertTheSiteWorksAsync(task);
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public async Task AnEnvironmentSwitchedFromThePasswordToIamSignInNeedsNoManualStep(string environment)
    {
        await using var rds = await RdsStandIn.CreateAsync(sites[environment, DatabaseAuth.Password]);
        await using (var before = await Rehearsal.StartAsync(sites[environment, DatabaseAuth.Password], image, rds))
        {
            await AssertTheSiteWorksAsync(before);
        }

        await using var task = await Rehearsal.StartAsync(sites[environment, DatabaseAuth.Iam], image, rds);

        await AssertSignedInAsTheIamUserAsync(task, rds, sites[environment, DatabaseAuth.Iam]);
        await AssertTheSiteWorksAsync(task);
    }

    [Fact]
    public async Task AUserOfThatNameMadeWithAPasswordIsSwitchedToIamSignInRatherThanLeftBroken()
    {
        var site = sites["prod", DatabaseAuth.Iam];
        await using var rds = await RdsStandIn.CreateAsync(site);
        await rds.ExecuteAsync($"CREATE USER '{site.Settings.IamDatabaseUser}'@'%' IDENTIFIED BY 'made-by-hand' REQUIRE SSL");

        await using var task = await Rehearsal.StartAsync(site, image, rds);

        await AssertSignedInAsTheIamUserAsync(task, rds, site);
        await AssertTheSiteWorksAsync(task);
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheContainerListensOnThePortTheTaskMapsAndTheLoadBalancerSendsTo(string environment)
    {
        var site = sites[environment, DatabaseAuth.Iam];
        var task = WebTask.Read(site, new DeployTime(site, new StandIns("db.example.internal", 3306, "bucket", "proxy.example.internal"), []));

        Assert.Equal(task.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), task.Environment["ASPNETCORE_HTTP_PORTS"]);
        Assert.Equal(task.ContainerPort, task.ServiceContainerPort);
        Assert.Equal(Network.AppPort, task.ContainerPort);
        Assert.Empty(task.Environment.Keys.Intersect(task.Secrets.Keys));
    }

    private static async Task AssertSignedInAsTheIamUserAsync(Rehearsal task, RdsStandIn rds, SynthesizedSite site)
    {
        Assert.DoesNotContain(task.Secrets.Keys, name => name.StartsWith("Database__", StringComparison.Ordinal));
        var connection = await task.WaitForEventAsync("DatabaseConnectionSettings", StartLimit);
        // Through the proxy where there is one: its endpoint, and the roots its certificate chains to.
        var proxy = site.Settings.DatabaseProxy;
        Assert.Equal(proxy ? RdsStandIn.ProxyHost : RdsStandIn.InstanceHost, connection.GetProperty("DatabaseHost").GetString());
        // The container's /app is a folder of its own here.
        Assert.EndsWith(proxy ? WebService.RdsProxyCaBundle : WebService.RdsCaBundle, connection.GetProperty("DatabaseSslCa").GetString(), StringComparison.Ordinal);
        Assert.Equal(nameof(DatabaseAuth.Iam), connection.GetProperty("DatabaseAuth").GetString());
        Assert.Equal(task.Environment["Database__User"], connection.GetProperty("DatabaseUser").GetString());
        Assert.NotEqual(rds.MasterUser, connection.GetProperty("DatabaseUser").GetString());
    }

    private static async Task AssertTheSiteWorksAsync(Rehearsal task)
    {
        Assert.Equal(0, (await task.WaitForHealthCheckAsync(StartLimit)).ExitCode);
        await task.WaitForTargetHealthyAsync(StartLimit);
        using var client = task.CreateClient();
        foreach (var path in (string[])["/", "/about", "/gallery", "/guestbook", "/contact"])
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}\n{task.Logs}");
        }

        await AssertMediaComeFromTheBucketAsync(client, task);
        await AssertAGuestbookPostIsShownAsync(client);
        await AssertAdminIsSwitchedOffAsync(client);
        // The mail secret's placeholder: e-mail switched off, the task up as usual.
        Assert.Contains(task.Events, e => LogsInsights.Text(e, LogFields.EventName) == LogFields.Events.MailSwitchedOff);
        await task.StopAndAssertCleanAsync();
        Assert.DoesNotContain(task.Events, e => e.GetProperty(LogFields.Level).GetString() is "Error" or "Fatal");
    }

    private static async Task AssertMediaComeFromTheBucketAsync(HttpClient client, Rehearsal task)
    {
        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        var sources = Regex.Matches(home, "src=\"(/media/[^\"]+)\"").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(sources);
        foreach (var source in sources)
        {
            using var response = await client.GetAsync(new Uri(source, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {source} answered {(int)response.StatusCode}\n{task.Logs}");
            var uploaded = await File.ReadAllBytesAsync(Path.Combine(RepositoryFiles.PathOf("Web/media"), source["/media/".Length..]));
            Assert.Equal(uploaded, await response.Content.ReadAsByteArrayAsync());
        }
    }

    private static async Task AssertAGuestbookPostIsShownAsync(HttpClient client)
    {
        var page = await client.GetStringAsync(new Uri("/guestbook", UriKind.Relative));
        var form = Regex.Match(page, "<form[^>]*id=\"guestbook-form\"[^>]*>(.*?)</form>", RegexOptions.Singleline).Groups[1].Value;
        var fields = Regex.Matches(form, "<input[^>]*type=\"hidden\"[^>]*>").Select(m => m.Value)
            .ToDictionary(i => Regex.Match(i, "name=\"([^\"]+)\"").Groups[1].Value, i => WebUtility.HtmlDecode(Regex.Match(i, "value=\"([^\"]*)\"").Groups[1].Value));
        var message = $"Rehearsed deploy {Guid.NewGuid():N}";
        fields["Form.Name"] = "Rehearsal";
        fields["Form.Message"] = message;
        fields["Form.Website"] = "";

        using var post = await client.PostAsync(new Uri("/guestbook", UriKind.Relative), new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Contains(message, await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task AssertAdminIsSwitchedOffAsync(HttpClient client)
    {
        var login = await client.GetStringAsync(new Uri("/admin/login", UriKind.Relative));
        Assert.Contains("id=\"admin-disabled\"", login, StringComparison.Ordinal);
    }
}
