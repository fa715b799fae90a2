using System.Text.Json.Nodes;
using MySqlConnector;
using Site.Cdk.Tests.Synthesis;
using Site.Web.Tests.Database;

namespace Site.Deploy.Tests.Rehearsal;

/// <summary>
/// The environment's RDS instance: a TLS-only MariaDB that knows AWSAuthenticationPlugin, with the database and
/// master user RDS creates from the instance's properties, and the account's secrets as Secrets Manager generated them.
/// Its RDS Proxy, where there is one, is the same server under another name (its certificate names both): what the
/// proxy adds, TLS and IAM sign-in in front of the database, is what the server itself asks.
/// </summary>
public sealed class RdsStandIn : IAsyncDisposable
{
    public const string InstanceHost = "localhost";
    public const string ProxyHost = "127.0.0.1";

    private readonly TlsDatabase database;
    private readonly Dictionary<string, JsonObject> secrets;

    private RdsStandIn(TlsDatabase database, Dictionary<string, JsonObject> secrets, string masterUser)
    {
        this.database = database;
        this.secrets = secrets;
        MasterUser = masterUser;
    }

    public string MasterUser { get; }

    public string CaFile => database.CaFile;

    /// <summary>The server's port: the proxy's stand-in listens there too, not on the 3306 RDS Proxy listens on.</summary>
    public int Port => database.Server.Port;

    public static async Task<RdsStandIn> CreateAsync(SynthesizedSite site)
    {
        var database = new TlsDatabase();
        try
        {
            await database.InitializeAsync();
            var secrets = new Dictionary<string, JsonObject>();
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

    /// <summary>A statement as the master user would run it, for what a person may have done by hand.</summary>
    public async Task ExecuteAsync(string statement)
    {
        await using var connection = new MySqlConnection(database.Server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(statement, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static StandIns StandInsFor(TlsDatabase database) => new(InstanceHost, database.Server.Port, "site-media-rehearsal", ProxyHost);
}
