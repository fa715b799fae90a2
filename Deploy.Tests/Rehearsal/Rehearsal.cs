using System.Text.Json;
using Site.Cdk.Service;
using Site.Cdk.Tests.Synthesis;
using Site.Web.Hosting;
using Site.Web.Tests.Infrastructure;

namespace Site.Deploy.Tests.Rehearsal;

/// <summary>One rehearsed task and the stand-ins it runs against; disposing it stops and removes them all.</summary>
public sealed class Rehearsal : IAsyncDisposable
{
    private readonly WebTask task;
    private readonly int port;
    private readonly List<IAsyncDisposable> owned;

    private Rehearsal(WebTask task, Container container, int port, IReadOnlyList<string> initLines, List<IAsyncDisposable> owned)
    {
        this.task = task;
        Container = container;
        this.port = port;
        InitLines = initLines;
        this.owned = owned;
    }

    private static readonly TimeSpan InitLimit = TimeSpan.FromMinutes(4);

    /// <summary>What the init containers wrote before the web container started.</summary>
    public IReadOnlyList<string> InitLines { get; }

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

    /// <summary>
    /// Starts the task as ECS does: the containers the web container depends on first, each to its condition, then
    /// the web container.
    /// </summary>
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

            var initLogs = new List<string>();
            foreach (var (name, condition) in task.Web.DependsOn)
            {
                Assert.True(condition == "SUCCESS", $"The rehearsal runs init containers to SUCCESS only; {name} is {condition}.");
                await using var init = await StartContainerAsync(image, rds, media, task.Containers.Single(c => c.Name == name), []);
                var exitCode = await init.WaitForExitAsync(InitLimit);
                initLogs.AddRange(init.Lines);
                Assert.True(exitCode == 0, $"{name} exited with {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing (still running)"}; the web container would never start.\n{string.Join('\n', init.Lines.TakeLast(40))}");
            }

            var port = LocalMachine.FreePort();
            // The container's own port is shared here: it listens on a free one (the test checks they agree).
            var container = await StartContainerAsync(image, rds, media, task.Web,
                [("ASPNETCORE_HTTP_PORTS", port.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
            owned.Add(container);
            return new Rehearsal(task, container, port, initLogs, owned);
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
    public async Task<(int ExitCode, string Output)> WaitForHealthCheckAsync(TimeSpan limit)
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
                if (LogsInsights.Text(e, LogFields.EventName) == eventName)
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

    /// <summary>
    /// One container of the task: its settings, plus where ECS and AWS differ from this machine (the task role's
    /// credentials are the stand-in's keys, S3 is the stand-in, the proxy's stand-in listens on the database's port),
    /// and the stand-in database's CA in its copy of the CA bundle it verifies with, as RDS's certificates come from the
    /// RDS CAs and the proxy's from Amazon's roots.
    /// </summary>
    private static async Task<Container> StartContainerAsync(
        PublishedImage image, RdsStandIn rds, S3Server media, ContainerSpec spec, IEnumerable<(string Name, string Value)> overrides)
    {
        var settings = spec.Settings();
        if (settings.GetValueOrDefault("Database__Host") == RdsStandIn.ProxyHost)
        {
            settings["Database__Port"] = rds.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        settings["AWS_ACCESS_KEY_ID"] = S3Server.AccessKey;
        settings["AWS_SECRET_ACCESS_KEY"] = S3Server.SecretKey;
        settings["AWS_ENDPOINT_URL_S3"] = media.Endpoint;
        foreach (var (name, value) in overrides)
        {
            settings[name] = value;
        }

        return await Container.StartAsync(image, settings, spec.Command, async root =>
        {
            var bundle = Container.InContainer(root, spec.Environment["Database__SslCa"]);
            Assert.True(File.Exists(bundle), $"The image has no CA bundle at {spec.Environment["Database__SslCa"]}.");
            // The image's bundle is read-only; this container's copy is replaced, not edited.
            var extended = await File.ReadAllTextAsync(bundle) + "\n" + await File.ReadAllTextAsync(rds.CaFile);
            File.Delete(bundle);
            await File.WriteAllTextAsync(bundle, extended);
        });
    }

    private static async Task DisposeAllAsync(List<IAsyncDisposable> owned)
    {
        for (var i = owned.Count - 1; i >= 0; i--)
        {
            await owned[i].DisposeAsync();
        }
    }
}
