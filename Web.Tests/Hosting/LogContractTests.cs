using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Site.Web.Data;
using Site.Web.Hosting;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Hosting;

/// <summary>
/// The site as it runs in ECS: with a task metadata endpoint (a local stand-in serving the documented
/// response shape) and a low slow-operation threshold, so that with one query made slow on purpose every kind of
/// event the on-call queries use is produced.
/// </summary>
public sealed class EcsLikeSiteFactory : SiteFactory
{
    public const string TaskArn = "arn:aws:ecs:us-east-1:123456789012:task/site-dev/0f1e2d3c4b5a69788796a5b4c3d2e1f0";

    // A plain listener rather than a second ASP.NET host: hosts built in a test process are watched by
    // WebApplicationFactory, and an extra one there can be mistaken for the site.
    private readonly HttpListener metadata = new();
    private string metadataUri = "";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        [EcsTaskMetadataReader.MetadataVariable] = metadataUri,
        ["Database:SlowOperationMs"] = "1",
        ["Site:Environment"] = "dev",
    };

    public override async Task InitializeAsync()
    {
        var port = LocalMachine.FreePort();
        metadataUri = $"http://127.0.0.1:{port}/v4/abc";
        metadata.Prefixes.Add($"http://127.0.0.1:{port}/");
        metadata.Start();
        _ = ServeAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        metadata.Close();
    }

    private async Task ServeAsync()
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { Cluster = "site-dev", TaskARN = TaskArn, Family = "site-dev-web" });
        while (metadata.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await metadata.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            context.Response.StatusCode = context.Request.Url?.AbsolutePath == "/v4/abc/task" ? 200 : 404;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }
}

public sealed class LogContractTests(EcsLikeSiteFactory site) : IClassFixture<EcsLikeSiteFactory>
{
    private static JsonElement? Find(JsonElement root, string path)
    {
        var current = root;
        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }

        return current;
    }

    [Fact]
    public async Task EveryFieldTheQueriesUseAppearsWithItsTypeInRealOutput()
    {
        const string slowOperation = "test.sleep";

        // The task id is read in the background at start-up; once it is logged, every later event carries it.
        await site.Logs.WaitForAsync(e => Find(e, LogFields.EventName)?.GetString() == LogFields.Events.EcsTask, "EcsTask event");
        var client = site.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/guestbook");
        request.Headers.Add("X-Forwarded-For", "203.0.113.50");
        request.Headers.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36");
        using (var ok = await client.SendAsync(request))
        {
            await site.Logs.ForRequestAsync(ok.Headers.GetValues("X-Trace-Id").Single());
        }

        await using (var connection = await site.OpenDatabaseAsync())
        await using (var drop = new MySqlConnector.MySqlCommand("DROP TABLE guestbook_entries", connection))
        {
            await drop.ExecuteNonQueryAsync();
        }

        using var failed = await client.GetAsync(new Uri("/guestbook", UriKind.Relative));
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        var failedEvents = await site.Logs.ForRequestAsync(failed.Headers.GetValues("X-Trace-Id").Single());

        // The server sleeps 50 ms: past the 1 ms threshold however fast the machine, through the app's own timed path.
        await site.Services.GetRequiredService<Db>().RunAsync(slowOperation, c => c.ExecuteScalarAsync<int>("SELECT SLEEP(0.05)"), CancellationToken.None);

        var events = site.Logs.Events.ToList();
        foreach (var (field, kind) in LogFields.Kinds)
        {
            var values = events.Select(e => Find(e, field)).Where(v => v is not null).Select(v => v!.Value).ToList();
            Assert.True(values.Count > 0, $"no log event has the field {field}");
            var expected = kind == "number" ? JsonValueKind.Number : JsonValueKind.String;
            Assert.All(values, v => Assert.Equal(expected, v.ValueKind));
        }

        var matching = events.Where(e => Find(e, LogFields.ClientIp)?.GetString() == "203.0.113.50" && Find(e, LogFields.Template)?.GetString() == LogFields.RequestCompletedTemplate).ToList();
        Assert.True(matching.Count == 1, string.Join("\n", matching));
        var completed = matching[0];
        Assert.Equal("Chrome", Find(completed, LogFields.UserAgentFamily)?.GetString());
        Assert.Equal("0f1e2d3c4b5a69788796a5b4c3d2e1f0", Find(completed, LogFields.TaskId)?.GetString());
        Assert.Equal("dev", Find(completed, LogFields.Environment)?.GetString());

        var failures = failedEvents.Where(e => Find(e, LogFields.EventName)?.GetString() == LogFields.Events.DatabaseFailure).ToList();
        Assert.True(failures.Count == 1, string.Join("\n", failures.Select(f => f.GetProperty("message").GetString())));
        var failure = failures[0];
        Assert.Equal("guestbook.page", Find(failure, LogFields.DbOperation)?.GetString());
        Assert.Equal("MySqlConnector.MySqlException", Find(failure, LogFields.ExceptionType)?.GetString());
        var unhandled = failedEvents.Single(e => Find(e, LogFields.EventName)?.GetString() == LogFields.Events.UnhandledException);
        Assert.Equal("guestbook.page", Find(unhandled, LogFields.DbOperation)?.GetString());
        Assert.Contains(events, e => Find(e, LogFields.EventName)?.GetString() == LogFields.Events.SlowDatabaseOperation
            && Find(e, LogFields.DbOperation)?.GetString() == slowOperation);
    }
}

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
