using System.Globalization;
using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Database;

/// <summary>TLS to the database, verified against the CA that signed the server's certificate, as with the RDS bundle in AWS.</summary>
public sealed class DatabaseTlsTests(TlsDatabase database) : IClassFixture<TlsDatabase>
{
    private async Task<ConfiguredSiteFactory> SiteAsync(string sslMode, string caFile, string? host = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = await database.Server.CreateDatabaseAsync($"tls_{Guid.NewGuid():N}"[..20]),
            ["Database:SslMode"] = sslMode,
            ["Database:SslCa"] = caFile,
        };
        if (host is not null)
        {
            settings["Database:Host"] = host;
            settings["Database:Port"] = database.Server.Port.ToString(CultureInfo.InvariantCulture);
        }

        return new ConfiguredSiteFactory(settings);
    }

    [Theory]
    [InlineData("VerifyCA", null)]
    [InlineData("VerifyFull", "localhost")]
    [InlineData("VerifyFull", "127.0.0.1")]
    public async Task WithTheServersCaTheSiteConnectsOverVerifiedTls(string sslMode, string? host)
    {
        await using var site = await SiteAsync(sslMode, database.CaFile, host);
        await SiteFactory.WaitUntilReadyAsync(site.CreateClient());

        await using var connection = await site.Services.GetRequiredService<MySqlDataSource>().OpenConnectionAsync();
        var cipher = await connection.QuerySingleAsync<(string Name, string Value)>("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
        Assert.NotEmpty(cipher.Value);
        var settings = Assert.Single(site.Logs.Events, e => e.TryGetProperty("EventId", out var id) && id.GetProperty("Name").GetString() == "DatabaseConnectionSettings");
        Assert.Equal(sslMode, settings.GetProperty("DatabaseSslMode").GetString());
        Assert.Equal("Password", settings.GetProperty("DatabaseAuth").GetString());
        Assert.Equal(database.CaFile, settings.GetProperty("DatabaseSslCa").GetString());
    }

    [Fact]
    public async Task AServerSignedByAnotherCaIsRefusedAndVisitorsGet503()
    {
        await using var site = await SiteAsync("VerifyCA", database.OtherCaFile);
        var client = site.CreateClient();

        var failures = await NotReadyEventsAsync(site, count: 3);
        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        using var api = await client.GetAsync(new Uri("/api/guestbook", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.All(failures, e => Assert.Contains("RemoteCertificateChainErrors", e.GetProperty("exception").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutTlsTheServerRefusesTheSameUserItAcceptsOverTls()
    {
        var connectionString = new MySqlConnectionStringBuilder(await database.Server.CreateDatabaseAsync($"tls_{Guid.NewGuid():N}"[..20]));

        connectionString.SslMode = MySqlSslMode.Required;
        await using (var secure = new MySqlConnection(connectionString.ConnectionString))
        {
            await secure.OpenAsync();
        }

        connectionString.SslMode = MySqlSslMode.None;
        await using var plain = new MySqlConnection(connectionString.ConnectionString);

        // MySQL answers 3159 (secure transport required); MariaDB 10.11 answers 1045 (access denied).
        var refused = await Assert.ThrowsAsync<MySqlException>(() => plain.OpenAsync());
        Assert.True(refused.Number is 3159 or 1045, refused.Message);
    }

    /// <summary>Waits until the site has failed to reach its database <paramref name="count"/> times in a row.</summary>
    internal static async Task<IReadOnlyList<JsonElement>> NotReadyEventsAsync(SiteFactory site, int count)
    {
        for (var waited = 0; waited < 30_000; waited += 50)
        {
            var failures = site.Logs.Events.Where(e => e.GetProperty("template").GetString()!.StartsWith("Database not ready", StringComparison.Ordinal)).ToList();
            if (failures.Count >= count)
            {
                Assert.DoesNotContain(site.Logs.Events, e => e.GetProperty("template").GetString()!.StartsWith("Database ready", StringComparison.Ordinal));
                return failures;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The site did not report {count} failed attempts to reach its database.");
    }
}
