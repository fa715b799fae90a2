using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Serilog.Core;
using Site.Web.Data;

namespace Site.Web.Tests.Infrastructure;

/// <summary>
/// The site, in process, on a fresh database of its own on a real MySQL-compatible server.
/// Shared by the tests of one class through IClassFixture.
/// </summary>
public class SiteFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string databaseName = $"site_test_{Guid.NewGuid():N}"[..30];
    private SiteFactory? sharedWith;
    private string? existingConnectionString;

    public LogCapture Logs { get; } = new();

    public string ConnectionString { get; private set; } = "";

    public MariaDbServer? DatabaseServer { get; private set; }

    /// <summary>Where the site listens, once a subclass has put it on a real port with UseKestrel.</summary>
    public Uri Address => new(Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

    /// <summary>Settings a test class adds or overrides, as the environment would in a deployment.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>A second instance of the site on the same database and settings, as a second ECS task would be.</summary>
    public static SiteFactory SharingDatabaseWith(SiteFactory first) => new SiteFactory().ShareDatabaseOf(first);

    /// <summary>The site configured for a database that the test manages, which may not even be running yet.</summary>
    public static SiteFactory OnDatabase(string connectionString) => new() { existingConnectionString = connectionString };

    /// <summary>Makes this instance a second task of <paramref name="first"/>'s site: its database and settings.</summary>
    protected SiteFactory ShareDatabaseOf(SiteFactory first)
    {
        sharedWith = first;
        existingConnectionString = first.ConnectionString;
        return this;
    }

    public virtual async Task InitializeAsync()
    {
        if (existingConnectionString is not null)
        {
            ConnectionString = existingConnectionString;
            if (sharedWith is null)
            {
                return;
            }
        }
        else
        {
            DatabaseServer = await ChooseServerAsync();
            ConnectionString = await DatabaseServer.CreateDatabaseAsync(databaseName);
        }

        using var client = CreateClient();
        await WaitUntilReadyAsync(client);
    }

    public new virtual async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (DatabaseServer is not null)
        {
            await DatabaseServer.DropDatabaseAsync(databaseName);
            if (OwnServer)
            {
                await DatabaseServer.DisposeAsync();
            }
        }
    }

    /// <summary>A connection to the test's database, for checking what was really stored.</summary>
    public async Task<MySqlConnection> OpenDatabaseAsync()
    {
        var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public HttpClient CreateBrowserLikeClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public static async Task WaitUntilReadyAsync(HttpClient client, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"/health/ready stayed {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// The site on a database server of its own, started for it and disposed with it, which a test may stop and start
    /// again; otherwise on the server the test run shares.
    /// </summary>
    protected virtual bool OwnServer => false;

    private Task<MariaDbServer> ChooseServerAsync() => OwnServer ? MariaDbServer.StartPrivateAsync() : MariaDbServer.Shared;

    /// <summary>Services a test class replaces, as the environment would provide them in a deployment.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");

        // Outside Development the build's static web assets (the precompressed files in obj/) are off, and a browser
        // asking for gzip gets an empty answer; published output has them beside wwwroot, so serve them as it does.
        builder.UseStaticWebAssets();

        builder.UseSetting("Database:ConnectionString", ConnectionString);
        builder.UseSetting("APP_VERSION", "test-version");

        // Every test request comes from the same (absent) client address; classes that test the limits lower them again.
        builder.UseSetting("RateLimits:RequestsPerMinute", "1000000");
        builder.UseSetting("RateLimits:WritesPerMinute", "1000000");
        builder.UseSetting("RateLimits:LoginsPerMinute", "1000000");

        // Tests write rows with SQL and read the page at once; Guestbook/NewestCacheTests and Content/PagesCacheTests test the cache itself.
        builder.UseSetting($"{ReadCacheOptions.SectionName}:{nameof(ReadCacheOptions.LifetimeMs)}", "0");
        foreach (var (key, value) in sharedWith?.Settings ?? Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<ILogEventSink>(Logs);
            ConfigureServices(services);
        });
    }
}
