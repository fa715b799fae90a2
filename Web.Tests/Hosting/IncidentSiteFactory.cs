using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Site.Cdk.Service;
using Site.Web.Admin;
using Site.Web.Hosting;
using Site.Web.Tests.Admin;
using Site.Web.Tests.Infrastructure;
using static Site.Web.Tests.Infrastructure.LogsInsights;

namespace Site.Web.Tests.Hosting;

/// <summary>
/// One site taken once through what whoever is on call meets: ordinary traffic, a slow query, an admin lockout, every
/// pooled connection in use, a database outage, a crash, and a second start of the task that then stops. It runs as in ECS (environment
/// dev), on a database server of its own that it stops and starts. What it logged is what the saved queries read.
/// </summary>
public sealed class IncidentSiteFactory : SiteFactory
{
    public const string ClientIp = "203.0.113.50";
    public const string ClientTraceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    public const int SlowOperationMs = 100;
    public const int PoolSize = 4;
    private const string Chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

    /// <summary>
    /// The stream the awslogs driver files the task's lines under (prefix/container/task id); the task's container
    /// started again writes to it too.
    /// </summary>
    public const string LogStream = "web/web/0f1e2d3c4b5a69788796a5b4c3d2e1f0";

    private SiteFactory? secondTask;

    public string OrdinaryTraceId { get; private set; } = "";

    public string SlowTraceId { get; private set; } = "";

    public string PoolExhaustedTraceId { get; private set; } = "";

    public IReadOnlyList<string> OutageTraceIds { get; private set; } = [];

    /// <summary>How many visitors' requests were answered 503 while the database was away.</summary>
    public int Refused => OutageTraceIds.Count;

    public string CrashPageTraceId { get; private set; } = "";

    public string CrashApiTraceId { get; private set; } = "";

    public string DatabaseEndpoint => $"127.0.0.1:{DatabaseServer!.Port}";

    /// <summary>Every line of both tasks, in the order each wrote them.</summary>
    public IReadOnlyList<JsonElement> Events { get; private set; } = [];

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(AdminSiteFactory.OwnerSettings)
    {
        ["Database:SlowOperationMs"] = $"{SlowOperationMs}",
        ["Database:MaxPoolSize"] = $"{PoolSize}",
        ["Site:Environment"] = "dev",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var client = CreateClient(AdminSiteFactory.OwnerClientOptions);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", ClientIp);
        client.DefaultRequestHeaders.UserAgent.ParseAdd(Chrome);

        using (var ordinary = new HttpRequestMessage(HttpMethod.Get, "/guestbook"))
        {
            ordinary.Headers.Add(AmazonTraceIdPropagator.TraceparentHeader, ClientTraceparent);
            OrdinaryTraceId = await TraceOfAsync(client, ordinary, HttpStatusCode.OK);
        }

        SlowTraceId = await SlowQueryAsync(client);
        await LockOutAsync(client);
        await ExhaustThePoolAsync(client);
        await OutageAsync(client);
        await CrashAsync(client);
        await StartAndStopASecondTaskAsync();
        Events = [.. InStream(Logs.Events), .. InStream(secondTask!.Logs.Events)];
    }

    protected override bool OwnServer => true;

    /// <summary>Each line as CloudWatch holds it: with the stream it was filed under.</summary>
    private static IEnumerable<JsonElement> InStream(IEnumerable<JsonElement> events) => events.Select(e =>
    {
        var line = JsonNode.Parse(e.GetRawText())!.AsObject();
        line[LogQueries.LogStream] = LogStream;
        return JsonSerializer.SerializeToElement(line);
    });

    private async Task<string> TraceOfAsync(HttpClient client, HttpRequestMessage request, HttpStatusCode expected)
    {
        using var response = await client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        var traceId = response.Headers.GetValues(WebExtensions.TraceIdHeader).Single();
        await Logs.ForRequestAsync(traceId);
        return traceId;
    }

    private Task<string> GetAsync(HttpClient client, string path, HttpStatusCode expected) =>
        TraceOfAsync(client, new HttpRequestMessage(HttpMethod.Get, path), expected);

    /// <summary>The page's query waits on a table lock held until the server shows it waiting, and longer than the threshold.</summary>
    private async Task<string> SlowQueryAsync(HttpClient client)
    {
        await using var locker = await OpenDatabaseAsync();
        await using var watcher = await OpenDatabaseAsync();
        await locker.ExecuteAsync("LOCK TABLES guestbook_entries WRITE");
        var page = GetAsync(client, "/guestbook", HttpStatusCode.OK);
        for (var waited = 0; await watcher.ExecuteScalarAsync<int>(
                 "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE STATE LIKE 'Waiting for table%'") == 0; waited += 20)
        {
            Assert.True(waited < 30_000, "the page's query never waited on the lock");
            await Task.Delay(20);
        }

        await Task.Delay(3 * SlowOperationMs);
        await locker.ExecuteAsync("UNLOCK TABLES");
        return await page;
    }

    private static async Task LockOutAsync(HttpClient client)
    {
        for (var attempt = 1; attempt <= AdminSignIn.MaxFailures + 1; attempt++)
        {
            using var response = await AdminSiteFactory.SignInAsync(client, AdminSiteFactory.User, "not the password");
            Assert.Equal(attempt > AdminSignIn.MaxFailures ? HttpStatusCode.TooManyRequests : HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    /// <summary>Every connection of the site's pool is taken, as by slow queries; a page is refused, then served again.</summary>
    private async Task ExhaustThePoolAsync(HttpClient client)
    {
        var dataSource = Services.GetRequiredService<MySqlDataSource>();
        var held = new List<MySqlConnection>();
        for (var i = 0; i < PoolSize; i++)
        {
            held.Add(await dataSource.OpenConnectionAsync());
        }

        PoolExhaustedTraceId = await GetAsync(client, "/guestbook", HttpStatusCode.ServiceUnavailable);
        foreach (var connection in held)
        {
            await connection.DisposeAsync();
        }

        await GetAsync(client, "/guestbook", HttpStatusCode.OK);
    }

    /// <summary>The database server dies; a page, an API write and a form post are refused; it comes back and the site recovers.</summary>
    private async Task OutageAsync(HttpClient client)
    {
        var form = await client.GetDocumentAsync("/guestbook");
        var refused = new List<string>();
        await DatabaseServer!.StopAsync();
        refused.Add(await GetAsync(client, "/guestbook", HttpStatusCode.ServiceUnavailable));
        refused.Add(await TraceOfAsync(client, new HttpRequestMessage(HttpMethod.Post, "/api/guestbook")
        {
            Content = JsonContent.Create(new { name = "Outage", message = "Sent while the database was away" }),
        }, HttpStatusCode.ServiceUnavailable));
        using (var posted = await client.SubmitAsync(form, "#guestbook-form",
                   new Dictionary<string, string> { ["Form.Name"] = "Patient", ["Form.Message"] = "Typed while the database was away" }))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, posted.StatusCode);
            var traceId = posted.Headers.GetValues(WebExtensions.TraceIdHeader).Single();
            await Logs.ForRequestAsync(traceId);
            refused.Add(traceId);
        }

        await DatabaseServer.StartAsync();

        // Connections pooled before the outage are found dead on first use: those requests are refused too.
        for (var attempt = 0; ; attempt++)
        {
            using var response = await client.GetAsync(new Uri("/guestbook", UriKind.Relative));
            var traceId = response.Headers.GetValues(WebExtensions.TraceIdHeader).Single();
            await Logs.ForRequestAsync(traceId);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                break;
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(attempt < 300, "the site did not recover after the database came back");
            refused.Add(traceId);
            await Task.Delay(100);
        }

        OutageTraceIds = refused;
        await Logs.WaitForAsync(e => Text(e, LogFields.EventName) == LogFields.Events.DatabaseOutageEnded, "DatabaseOutageEnded event");
    }

    /// <summary>The guestbook's table disappears under the running site, as after a migration gone wrong.</summary>
    private async Task CrashAsync(HttpClient client)
    {
        await using (var connection = await OpenDatabaseAsync())
        {
            await connection.ExecuteAsync("DROP TABLE guestbook_entries");
        }

        CrashPageTraceId = await GetAsync(client, "/guestbook", HttpStatusCode.InternalServerError);
        CrashApiTraceId = await GetAsync(client, "/api/guestbook", HttpStatusCode.InternalServerError);
    }

    /// <summary>Another start of the task (as ECS restarts a crashed container) that then stops.</summary>
    private async Task StartAndStopASecondTaskAsync()
    {
        secondTask = SharingDatabaseWith(this);
        await secondTask.InitializeAsync();
        await secondTask.DisposeAsync();
        await secondTask.Logs.WaitForAsync(e => Text(e, LogFields.EventName) == LogFields.Events.AppStopping, "AppStopping event");
    }
}
