using System.Net;
using System.Net.Http.Json;
using Amazon.Runtime;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Site.Web.Data;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Database;

/// <summary>
/// IAM database authentication, on a TLS-only server. Only RDS accepts auth tokens, so against MariaDB a stand-in
/// provider hands out a real password through the same path the token takes.
/// </summary>
public sealed class IamAuthenticationTests(TlsDatabase database) : IClassFixture<TlsDatabase>
{
    private const string Region = "test-region-1";

    private sealed class StandInPasswords(string password) : IDatabasePasswordProvider
    {
        private int calls;

        public int Calls => calls;

        /// <summary>While set, every request fails, as when the credentials endpoint does not answer.</summary>
        public bool Failing { get; set; }

        public ValueTask<string> GetPasswordAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref calls);
            return Failing ? throw new AmazonClientException("No credentials from the container credentials endpoint.") : ValueTask.FromResult(password);
        }
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private async Task<(string ConnectionString, string Password)> CreateDatabaseAsync()
    {
        var connectionString = await database.Server.CreateDatabaseAsync($"iam_{Guid.NewGuid():N}"[..20]);
        return (connectionString, new MySqlConnectionStringBuilder(connectionString).Password);
    }

    private Dictionary<string, string?> Settings(string connectionString, string auth) => new()
    {
        ["Database:ConnectionString"] = connectionString,
        ["Database:Auth"] = auth,
        ["Database:SslMode"] = "VerifyFull",
        ["Database:SslCa"] = database.CaFile,
        ["AWS_REGION"] = Region,
    };

    [Fact]
    public async Task InIamModeConnectionsLogInWithTheProvidersPasswordNotAConfiguredOne()
    {
        var (connectionString, password) = await CreateDatabaseAsync();
        var passwords = new StandInPasswords(password);
        var settings = Settings(connectionString, "Iam");

        // ECS may still inject the master password; in IAM mode it must not be used.
        settings["Database:Password"] = "not-the-password";
        await using var site = new ConfiguredSiteFactory(settings, services => services.AddSingleton<IDatabasePasswordProvider>(passwords));
        await SiteFactory.WaitUntilReadyAsync(site.CreateClient());

        Assert.True(passwords.Calls >= 1);
        var logged = Assert.Single(site.Logs.Events, e => e.TryGetProperty("EventId", out var id) && id.GetProperty("Name").GetString() == "DatabaseConnectionSettings");
        Assert.Equal("Iam", logged.GetProperty("DatabaseAuth").GetString());
        Assert.Equal("VerifyFull", logged.GetProperty("DatabaseSslMode").GetString());
        Assert.DoesNotContain(site.Logs.Lines, line => line.Contains(password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WhileNoTokenCanBeMadeVisitorsGet503AndTheSiteRecoversWithinSeconds()
    {
        var (connectionString, password) = await CreateDatabaseAsync();
        var passwords = new StandInPasswords(password) { Failing = true };
        await using var site = new ConfiguredSiteFactory(Settings(connectionString, "Iam"),
            services => services.AddSingleton<IDatabasePasswordProvider>(passwords));
        var client = site.CreateClient();

        var failures = await DatabaseTlsTests.NotReadyEventsAsync(site, count: 2);
        using (var api = await client.GetAsync(new Uri("/api/guestbook", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
        }

        Assert.Contains("container credentials endpoint", failures[0].GetProperty("exception").GetString(), StringComparison.Ordinal);

        passwords.Failing = false;
        var recovery = System.Diagnostics.Stopwatch.StartNew();
        await SiteFactory.WaitUntilReadyAsync(client, TimeSpan.FromSeconds(30));
        Assert.True(recovery.Elapsed < DatabaseExtensions.TokenRetryInterval + DatabaseInitializer.MaxDelay, $"ready {recovery.Elapsed} after tokens could be made again");
    }

    [Fact]
    public async Task ATokenTheServerRejectsLeavesTheSiteUnreadyWith503s()
    {
        var (connectionString, _) = await CreateDatabaseAsync();
        await using var site = new ConfiguredSiteFactory(Settings(connectionString, "Iam"),
            services => services.AddSingleton<IDatabasePasswordProvider>(new StandInPasswords("a-token-for-a-role-without-rds-db-connect")));
        var client = site.CreateClient();

        var failures = await DatabaseTlsTests.NotReadyEventsAsync(site, count: 2);
        using var api = await client.GetAsync(new Uri("/api/guestbook", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
        Assert.Contains("Access denied", failures[0].GetProperty("exception").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTokenProviderSignsForTheConfiguredEndpointUserAndRegionWithTheDefaultChainsCredentials()
    {
        var keys = RdsAuthTokenTests.SessionKeys;
        await using var site = new ConfiguredSiteFactory(
            new Dictionary<string, string?>
            {
                ["Database:Host"] = "site.cluster-abc.eu-west-1.rds.amazonaws.com",
                ["Database:Port"] = "3306",
                ["Database:Name"] = "site",
                ["Database:User"] = "site_iam",
                ["Database:Auth"] = "Iam",
                ["Database:SslMode"] = "VerifyFull",
                ["AWS_REGION"] = "eu-west-1",
            },
            services => services.AddSingleton<AWSCredentials>(new SessionAWSCredentials(keys.AccessKey, keys.SecretKey, keys.Token)));

        Assert.IsType<RdsAuthTokenProvider>(site.Services.GetRequiredService<IDatabasePasswordProvider>());
        var provider = ActivatorUtilities.CreateInstance<RdsAuthTokenProvider>(site.Services, new FixedTime(RdsAuthTokenTests.SignedAt));

        RdsAuthTokenTests.AssertSameToken(RdsAuthTokenTests.BotocoreEuWest1Token, await provider.GetPasswordAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("Iam", "None", Region, null, "Database__Auth=Iam needs TLS")]
    [InlineData("Iam", "Preferred", Region, null, "Database__Auth=Iam needs TLS")]
    [InlineData("Iam", "VerifyFull", null, null, "set AWS_REGION or Database__Region")]
    [InlineData("Password", "VerifyFull", null, "site_iam'@'%'; DROP USER root; --", "Database__IamUser must be")]
    public async Task UnsafeOrIncompleteSettingsAreRefusedAtStartUp(string auth, string sslMode, string? region, string? iamUser, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = "Server=db.example.internal;Database=site;User ID=site;Password=secret",
            ["Database:Auth"] = auth,
            ["Database:SslMode"] = sslMode,
            ["Database:IamUser"] = iamUser,
            ["AWS_REGION"] = region,
        };
        await using var site = new ConfiguredSiteFactory(settings.Where(s => s.Value is not null).ToDictionary());

        var refused = Assert.ThrowsAny<Exception>(() => site.Services);

        Assert.Contains(expected, refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheIamUserIsCreatedAtStartUpWithTheMasterPasswordAndTheSiteThenRunsAsIt()
    {
        var (connectionString, _) = await CreateDatabaseAsync();
        var user = $"iam_{Guid.NewGuid():N}"[..16];
        const string token = "stand-in-for-a-token";
        var master = Settings(connectionString, "Password");
        master["Database:IamUser"] = user;
        void StandInIdentification(IServiceCollection services) => services.AddSingleton(new IamUserIdentification($"IDENTIFIED BY '{token}'"));

        // Every deploy starts tasks anew, so provisioning must be harmless the second time.
        foreach (var start in new[] { 1, 2 })
        {
            await using var withMaster = new ConfiguredSiteFactory(master, StandInIdentification);
            await SiteFactory.WaitUntilReadyAsync(withMaster.CreateClient());
            Assert.Contains(withMaster.Logs.Events, e => e.TryGetProperty("IamUser", out var logged) && logged.GetString() == user);
        }

        var iam = Settings(connectionString, "Iam");
        iam["Database:User"] = user;
        await using var asIamUser = new ConfiguredSiteFactory(iam,
            services => services.AddSingleton<IDatabasePasswordProvider>(new StandInPasswords(token)));
        var client = asIamUser.CreateClient();
        await SiteFactory.WaitUntilReadyAsync(client);
        using (var posted = await client.PostAsJsonAsync("/api/guestbook", new { name = "Iam", message = "Written as the IAM user" }))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }

        var direct = new MySqlConnectionStringBuilder(connectionString)
        {
            UserID = user,
            Password = token,
            SslMode = MySqlSslMode.VerifyCA,
            SslCa = database.CaFile,
            Pooling = false,
        };
        await using var connection = new MySqlConnection(direct.ConnectionString);
        await connection.OpenAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM guestbook_entries WHERE name = 'Iam'"));
        var outside = await Assert.ThrowsAsync<MySqlException>(() => connection.ExecuteAsync("CREATE DATABASE iam_user_may_not"));
        Assert.Equal(MySqlErrorCode.DatabaseAccessDenied, outside.ErrorCode);
    }
}
