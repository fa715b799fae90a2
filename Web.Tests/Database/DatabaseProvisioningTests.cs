using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Site.Web.Data;
using Site.Web.Hosting;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Database;

/// <summary>
/// The provisioning step as the task's init container runs it (<c>Site.Web.dll provision-database</c>, a process of
/// its own), with the master user, against a TLS-only MariaDB that knows AWSAuthenticationPlugin as RDS does.
/// </summary>
public sealed class DatabaseProvisioningTests(TlsDatabase database) : IClassFixture<TlsDatabase>
{
    [Fact]
    public async Task RunTwiceItCreatesOneIamUserWithOnlyTheListedRightsOnTheSitesDatabase()
    {
        var (settings, name, user) = await NewDatabaseAsync();

        foreach (var run in new[] { 1, 2 })
        {
            var result = await SiteProcess.RunAsync([AppCommands.ProvisionDatabase], settings);
            Assert.True(result.ExitCode == 0, $"Run {run} exited {result.ExitCode}: {result.Output}{result.Error}");
            Assert.Contains(Events(result), e => LogsInsights.Text(e, LogFields.EventName) == "IamUserProvisioned" && e.GetProperty("IamUser").GetString() == user);
        }

        await using var admin = await AdminAsync();
        Assert.Equal("AWSAuthenticationPlugin", await admin.ExecuteScalarAsync<string>("SELECT plugin FROM mysql.user WHERE User = @user AND Host = '%'", new { user }));
        var grants = (await admin.QueryAsync<string>($"SHOW GRANTS FOR '{user}'@'%'")).ToList();
        Assert.Equal(2, grants.Count);
        Assert.Contains(grants, g => g.StartsWith("GRANT USAGE ON *.* TO", StringComparison.Ordinal) && g.Contains("REQUIRE SSL", StringComparison.Ordinal));
        var onSite = Assert.Single(grants, g => g.Contains($"ON `{name}`.*", StringComparison.Ordinal));
        Assert.Equal(IamUserProvisioner.Grants.Order(), onSite["GRANT ".Length..onSite.IndexOf(" ON ", StringComparison.Ordinal)].Split(", ").Order());
    }

    [Fact]
    public async Task AUserOfThatNameMadeWithAPasswordIsSwitchedToIamSignIn()
    {
        var (settings, _, user) = await NewDatabaseAsync();
        await using (var admin = await AdminAsync())
        {
            await admin.ExecuteAsync($"CREATE USER '{user}'@'%' IDENTIFIED BY 'made-by-hand'");
        }

        var result = await SiteProcess.RunAsync([AppCommands.ProvisionDatabase], settings);

        Assert.Equal(0, result.ExitCode);
        await using var check = await AdminAsync();
        Assert.Equal("AWSAuthenticationPlugin", await check.ExecuteScalarAsync<string>("SELECT plugin FROM mysql.user WHERE User = @user AND Host = '%'", new { user }));
    }

    [Theory]
    [InlineData("Database__IamUser")]
    [InlineData("Database__Auth")]
    public async Task WithoutTheMasterUserAndTheIamUserItExitsNonZeroAndSaysWhatItNeeds(string missing)
    {
        var (settings, _, _) = await NewDatabaseAsync();
        if (missing == "Database__Auth")
        {
            settings[missing] = nameof(DatabaseAuth.Iam);
            settings["AWS_REGION"] = "test-region-1";
        }
        else
        {
            settings.Remove(missing);
        }

        var result = await SiteProcess.RunAsync([AppCommands.ProvisionDatabase], settings);

        Assert.Equal(1, result.ExitCode);
        var failure = Assert.Single(Events(result), e => e.GetProperty(LogFields.Level).GetString() == "Error");
        Assert.Equal("DatabaseProvisioningMisconfigured", LogsInsights.Text(failure, LogFields.EventName));
    }

    private async Task<(Dictionary<string, string> Settings, string Name, string User)> NewDatabaseAsync()
    {
        var name = $"prov_{Guid.NewGuid():N}"[..20];
        var user = $"app_{Guid.NewGuid():N}"[..16];
        var connectionString = await database.Server.CreateDatabaseAsync(name);
        return (new Dictionary<string, string>
        {
            ["Database__ConnectionString"] = connectionString,
            ["Database__SslMode"] = "VerifyFull",
            ["Database__SslCa"] = database.CaFile,
            ["Database__Auth"] = nameof(DatabaseAuth.Password),
            ["Database__IamUser"] = user,
        }, name, user);
    }

    private async Task<MySqlConnection> AdminAsync()
    {
        var connection = new MySqlConnection(database.Server.AdminConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static List<JsonElement> Events(SiteProcess.Result result) => result.Output
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line => JsonDocument.Parse(line).RootElement)
        .ToList();
}

/// <summary>
/// The provisioning statements on the shared test server: MySQL 8.4 in GitHub Actions (RDS's engine), MariaDB here.
/// Stock MySQL has no AWSAuthenticationPlugin, so a password stands in for its clause; the rest is as on RDS.
/// </summary>
public sealed class IamUserStatementsTests
{
    [Fact]
    public async Task TheServerAcceptsTheStatementsTwiceAndTheUserGetsOnlyTheListedRights()
    {
        var server = await MariaDbServer.Shared;
        var name = $"stmt_{Guid.NewGuid():N}"[..20];
        var user = $"app_{Guid.NewGuid():N}"[..16];
        var settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = await server.CreateDatabaseAsync(name),
            ["Database:Auth"] = nameof(DatabaseAuth.Password),
            ["Database:IamUser"] = user,
        };

        foreach (var start in new[] { 1, 2 })
        {
            await using var site = new ConfiguredSiteFactory(settings,
                services => services.AddSingleton(new IamUserIdentification("IDENTIFIED BY 'stand-in-for-a-token'")));
            await SiteFactory.WaitUntilReadyAsync(site.CreateClient());
            Assert.Contains(site.Logs.Events, e => e.TryGetProperty("IamUser", out var logged) && logged.GetString() == user);
        }

        await using var admin = new MySqlConnection(server.AdminConnectionString);
        await admin.OpenAsync();
        var grants = (await admin.QueryAsync<string>($"SHOW GRANTS FOR '{user}'@'%'")).ToList();
        var onSite = Assert.Single(grants, g => g.Contains($"ON `{name}`.*", StringComparison.Ordinal));
        Assert.Equal(IamUserProvisioner.Grants.Order(), onSite["GRANT ".Length..onSite.IndexOf(" ON ", StringComparison.Ordinal)].Split(", ").Order());
        Assert.Equal(2, grants.Count);
        await admin.ExecuteAsync($"DROP USER '{user}'@'%'");
    }
}
