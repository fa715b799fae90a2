using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using MySqlConnector;
using Site.Cdk;
using Site.Cdk.Site;
using Site.Cdk.Tests.Synthesis;
using Site.Web.Hosting;
using Site.Web.Tests.Database;
using Site.Web.Tests.Infrastructure;

namespace Site.Deploy.Tests.Rehearsal;

/// <summary>Each environment synthesized with each way the app signs in to the database, as the rehearsal's inputs.</summary>
public sealed class RehearsedSites : IDisposable
{
    private readonly Dictionary<(string, DatabaseAuth), Lazy<SynthesizedSite>> sites = new()
    {
        [("dev", DatabaseAuth.Password)] = new(() => new DevSite()),
        [("prod", DatabaseAuth.Password)] = new(() => new ProdSite()),
        [("dev", DatabaseAuth.Iam)] = new(() => new DevIamSite()),
        [("prod", DatabaseAuth.Iam)] = new(() => new ProdIamSite()),
    };

    public SynthesizedSite this[string environment, DatabaseAuth auth] => sites[(environment, auth)].Value;

    public void Dispose()
    {
        foreach (var site in sites.Values.Where(s => s.IsValueCreated))
        {
            site.Value.Dispose();
        }
    }

    private sealed class DevIamSite() : SynthesizedSite("dev", null, null, s => s with { DatabaseAuth = DatabaseAuth.Iam });

    private sealed class ProdIamSite() : SynthesizedSite(
        "prod", new SiteDomain("example.org", "Z0EXAMPLE12345", null), ProdSite.ProviderArn, s => s with { DatabaseAuth = DatabaseAuth.Iam },
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
    public async Task TheTaskAsDefinedPassesItsHealthChecksServesThePagesAndTakesAGuestbookPost(string environment)
    {
        var site = sites[environment, DatabaseAuth.Password];
        await using var rds = await RdsStandIn.CreateAsync(site);
        await using var task = await Rehearsal.StartAsync(site, image, rds);

        await AssertTheSiteWorksAsync(task);
        Assert.Equal(nameof(DatabaseAuth.Password), (await task.WaitForEventAsync("DatabaseConnectionSettings", StartLimit)).GetProperty("DatabaseAuth").GetString());
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public async Task SwitchedToIamTheTaskSignsInWithTokensAsTheUserThePasswordTaskCreatedAndWorks(string environment)
    {
        // The documented way to IAM authentication: a deploy with the master password creates the IAM user...
        await using var rds = await RdsStandIn.CreateAsync(sites[environment, DatabaseAuth.Password]);
        await using (var before = await Rehearsal.StartAsync(sites[environment, DatabaseAuth.Password], image, rds))
        {
            await before.WaitForEventAsync("IamUserProvisioned", StartLimit);
            await before.StopAndAssertCleanAsync();
        }

        // ...then the next deploy signs in as that user with auth tokens, and holds no database secret at all.
        await using var task = await Rehearsal.StartAsync(sites[environment, DatabaseAuth.Iam], image, rds);

        Assert.DoesNotContain(task.Secrets.Keys, name => name.StartsWith("Database__", StringComparison.Ordinal));
        await AssertTheSiteWorksAsync(task);
        var connection = await task.WaitForEventAsync("DatabaseConnectionSettings", StartLimit);
        Assert.Equal(nameof(DatabaseAuth.Iam), connection.GetProperty("DatabaseAuth").GetString());
        Assert.Equal(task.Environment["Database__User"], connection.GetProperty("DatabaseUser").GetString());
        Assert.NotEqual(rds.MasterUser, connection.GetProperty("DatabaseUser").GetString());
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheContainerListensOnThePortTheTaskMapsAndTheLoadBalancerSendsTo(string environment)
    {
        var site = sites[environment, DatabaseAuth.Password];
        var task = WebTask.Read(site, new DeployTime(site, new StandIns("db.example.internal", 3306, "bucket"), []));

        Assert.Equal(task.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), task.Environment["ASPNETCORE_HTTP_PORTS"]);
        Assert.Equal(task.ContainerPort, task.ServiceContainerPort);
        Assert.Equal(Network.AppPort, task.ContainerPort);
        Assert.Empty(task.Environment.Keys.Intersect(task.Secrets.Keys));
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

/// <summary>One rehearsed task and the stand-ins it runs against; disposing it stops and removes them all.</summary>
public sealed class Rehearsal : IAsyncDisposable
{
    private readonly WebTask task;
    private readonly int port;
    private readonly List<IAsyncDisposable> owned;

    private Rehearsal(WebTask task, Container container, int port, List<IAsyncDisposable> owned)
    {
        this.task = task;
        Container = container;
        this.port = port;
        this.owned = owned;
    }

    public Container Container { get; }

    public IReadOnlyDictionary<string, string> Environment => task.Environment;

    public IReadOnlyDictionary<string, string> Secrets => task.Secrets;

    public string Logs => string.Join('\n', Container.Lines.TakeLast(60));

    /// <summary>The app's log lines as JSON; a line that is not a JSON object fails the rehearsal.</summary>
    public IReadOnlyList<JsonElement> Events => Container.Lines.Select(line =>
    {
        try
        {
            return JsonDocument.Parse(line).RootElement;
        }
        catch (JsonException)
        {
            throw new Xunit.Sdk.XunitException($"The app wrote a line that is not JSON: {line}");
        }
    }).ToList();

    public static async Task<Rehearsal> StartAsync(SynthesizedSite site, PublishedImage image, RdsStandIn rds)
    {
        var owned = new List<IAsyncDisposable>();
        try
        {
            var deployTime = rds.DeployTimeOf(site);
            var task = WebTask.Read(site, deployTime);
            var upload = site.Data.Only("Custom::CDKBucketDeployment");
            var media = await S3Server.StartAsync(deployTime.Resolve(site.Data, upload.At("DestinationBucketName")), RepositoryFiles.PathOf("Web/media"),
                upload.Has("DestinationBucketKeyPrefix") ? upload.Str("DestinationBucketKeyPrefix") : "");
            owned.Add(media);

            Assert.Empty(task.Environment.Keys.Intersect(task.Secrets.Keys));
            var port = LocalMachine.FreePort();
            var settings = task.Environment.Concat(task.Secrets).ToDictionary(s => s.Key, s => s.Value);
            // Where ECS and AWS differ from this machine: the container's own port is shared here, the task
            // role's credentials come from the stand-in's keys, and S3 is the stand-in.
            settings["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["AWS_ACCESS_KEY_ID"] = S3Server.AccessKey;
            settings["AWS_SECRET_ACCESS_KEY"] = S3Server.SecretKey;
            settings["AWS_ENDPOINT_URL_S3"] = media.Endpoint;

            // The stand-in database's certificate comes from a CA of the test's own, as RDS's come from the RDS CAs:
            // it joins the bundle the image ships, where the task definition says the bundle is.
            var container = await Container.StartAsync(image, settings, async root =>
            {
                var bundle = Container.InContainer(root, task.Environment["Database__SslCa"]);
                Assert.True(File.Exists(bundle), $"The image has no CA bundle at {task.Environment["Database__SslCa"]}.");
                // The image's bundle is read-only; this container's copy is replaced, not edited.
                var extended = await File.ReadAllTextAsync(bundle) + "\n" + await File.ReadAllTextAsync(rds.CaFile);
                File.Delete(bundle);
                await File.WriteAllTextAsync(bundle, extended);
            });
            owned.Add(container);
            return new Rehearsal(task, container, port, owned);
        }
        catch
        {
            await DisposeAllAsync(owned);
            throw;
        }
    }

    public HttpClient CreateClient() => new(new HttpClientHandler { AllowAutoRedirect = true, UseCookies = true })
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}"),
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Runs the container health check as ECS does, every second, until it passes or the limit is reached.</summary>
    public async Task<Bash.Result> WaitForHealthCheckAsync(TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var result = await Container.HealthCheckAsync(task.HealthCheckCommand);
            if (result.ExitCode == 0 || DateTime.UtcNow > deadline || Container.HasExited)
            {
                Assert.True(result.ExitCode == 0, $"The container health check failed: {result.Output}\n{Logs}");
                return result;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Probes the target group's health check path until it answers the healthy code, as the load balancer does.</summary>
    public async Task WaitForTargetHealthyAsync(TimeSpan limit)
    {
        using var client = CreateClient();
        var deadline = DateTime.UtcNow + limit;
        var status = 0;
        while (DateTime.UtcNow < deadline && !Container.HasExited)
        {
            try
            {
                using var response = await client.GetAsync(new Uri(task.TargetHealthCheckPath, UriKind.Relative));
                status = (int)response.StatusCode;
                if (task.TargetHealthyCodes.Split(',').Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        Assert.Fail($"{task.TargetHealthCheckPath} never answered {task.TargetHealthyCodes} (last: {status}).\n{Logs}");
    }

    public async Task<JsonElement> WaitForEventAsync(string eventName, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var exited = Container.HasExited;
            foreach (var e in Events)
            {
                // The field is a path into the event (EventId.Name), as Logs Insights reads it.
                var name = LogFields.EventName.Split('.').Aggregate((JsonElement?)e,
                    (node, step) => node is { ValueKind: JsonValueKind.Object } n && n.TryGetProperty(step, out var next) ? next : null);
                if (name?.ValueKind == JsonValueKind.String && name.Value.GetString() == eventName)
                {
                    return e;
                }
            }

            if (exited || DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"No {eventName} event was logged.\n{Logs}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    /// <summary>SIGTERM as ECS sends it: the app exits 0 within the task definition's stop timeout.</summary>
    public async Task StopAndAssertCleanAsync()
    {
        var exitCode = await Container.StopAsync(TimeSpan.FromSeconds(WebService.StopTimeout.ToSeconds()));
        Assert.True(exitCode == 0, $"The app exited with {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing (still running)"} after SIGTERM.\n{Logs}");
    }

    public async ValueTask DisposeAsync() => await DisposeAllAsync(owned);

    private static async Task DisposeAllAsync(List<IAsyncDisposable> owned)
    {
        for (var i = owned.Count - 1; i >= 0; i--)
        {
            await owned[i].DisposeAsync();
        }
    }
}

/// <summary>
/// The environment's RDS instance: a TLS-only MariaDB that knows AWSAuthenticationPlugin, with the database and
/// master user RDS creates from the instance's properties, and the account's secrets as Secrets Manager generated them.
/// </summary>
public sealed class RdsStandIn : IAsyncDisposable
{
    private readonly TlsDatabase database;
    private readonly Dictionary<string, System.Text.Json.Nodes.JsonObject> secrets;

    private RdsStandIn(TlsDatabase database, Dictionary<string, System.Text.Json.Nodes.JsonObject> secrets, string masterUser)
    {
        this.database = database;
        this.secrets = secrets;
        MasterUser = masterUser;
    }

    public string MasterUser { get; }

    public string CaFile => database.CaFile;

    public static async Task<RdsStandIn> CreateAsync(SynthesizedSite site)
    {
        var database = new TlsDatabase();
        try
        {
            await database.InitializeAsync();
            var secrets = new Dictionary<string, System.Text.Json.Nodes.JsonObject>();
            var deployTime = new DeployTime(site, StandInsFor(database), secrets);
            var instance = site.Data.Only("AWS::RDS::DBInstance");
            var user = deployTime.Resolve(site.Data, instance.At("MasterUsername"));
            var password = deployTime.Resolve(site.Data, instance.At("MasterUserPassword"));
            var name = deployTime.Resolve(site.Data, instance.At("DBName"));
            await using var connection = new MySqlConnection(database.Server.AdminConnectionString);
            await connection.OpenAsync();
            foreach (var statement in (string[])[
                         $"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
                         $"CREATE USER '{user}'@'%' IDENTIFIED BY '{MySqlHelper.EscapeString(password)}' REQUIRE SSL",
                         $"GRANT ALL PRIVILEGES ON *.* TO '{user}'@'%' WITH GRANT OPTION"])
            {
                await using var command = new MySqlCommand(statement, connection);
                await command.ExecuteNonQueryAsync();
            }

            return new RdsStandIn(database, secrets, user);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Deploy-time values for a site of this environment: the same instance, the same secrets.</summary>
    public DeployTime DeployTimeOf(SynthesizedSite site) => new(site, StandInsFor(database), secrets);

    public async ValueTask DisposeAsync() => await database.DisposeAsync();

    private static StandIns StandInsFor(TlsDatabase database) => new("localhost", database.Server.Port, "site-media-rehearsal");
}
