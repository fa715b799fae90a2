using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Site.Web.Data;

/// <summary>How CREATE USER makes the IAM user log in. Only RDS has the plugin, so tests use a password instead.</summary>
public sealed record IamUserIdentification(string Clause)
{
    public static IamUserIdentification Rds { get; } = new("IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'");
}

/// <summary>
/// Creates the database user that IAM authentication logs in as, so that no one has to create it by hand.
/// It runs while the app still connects with the master password: an IAM-authenticated app can't create users.
/// </summary>
public sealed partial class IamUserProvisioner(
    MySqlDataSource dataSource, IOptions<DatabaseOptions> options, IamUserIdentification identification, ILogger<IamUserProvisioner> logger)
{
    /// <summary>Everything the site's queries and migrations need on its own database, and nothing else.</summary>
    public static IReadOnlyList<string> Grants { get; } = ["SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "INDEX", "DROP", "REFERENCES"];

    public async Task ProvisionAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.IamUser) || settings.Auth != DatabaseAuth.Password)
        {
            return;
        }

        // Names can't be parameters: the user name is checked against a strict pattern at start-up, the database name is quoted.
        var database = settings.ToConnectionStringBuilder().Database;
        var quotedDatabase = $"`{database.Replace("`", "``", StringComparison.Ordinal)}`";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // ALTER after CREATE IF NOT EXISTS: a user of that name made earlier another way (with a password, say) is
        // switched to IAM sign-in rather than left as it was, where the site's tokens would never be accepted.
        // The app migrates its own schema at start-up, so the user needs DDL on the site's database, but nothing beyond it.
        foreach (var statement in (string[])[
                     $"CREATE USER IF NOT EXISTS '{settings.IamUser}'@'%' {identification.Clause} REQUIRE SSL",
                     $"ALTER USER '{settings.IamUser}'@'%' {identification.Clause} REQUIRE SSL",
                     $"GRANT {string.Join(", ", Grants)} ON {quotedDatabase}.* TO '{settings.IamUser}'@'%'"])
        {
            await connection.ExecuteAsync(new CommandDefinition(statement, cancellationToken: cancellationToken));
        }

        LogProvisioned(logger, settings.IamUser, database);
    }

    [LoggerMessage(Level = LogLevel.Information, EventName = "IamUserProvisioned",
        Message = "Database user {IamUser} for IAM authentication is in place, with rights on database {DatabaseName} only")]
    private static partial void LogProvisioned(ILogger logger, string iamUser, string databaseName);
}
