using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;
using MySqlConnector;

namespace Site.Web.Data;

/// <summary>Applies the versioned SQL files in Data/Migrations (embedded) that the database has not seen yet.</summary>
public sealed partial class Migrator(MySqlDataSource dataSource, ILogger<Migrator> logger)
{
    private const string LockName = "site.schema_migrations";

    /// <summary>One file; its statements are read only when it is applied (most starts apply none).</summary>
    public sealed record Migration(int Version, string Name, string Resource)
    {
        public IReadOnlyList<string> Statements => ReadStatements(Resource);
    }

    public static IReadOnlyList<Migration> All { get; } = Load();

    /// <returns>The migrations this call applied.</returns>
    public async Task<IReadOnlyList<Migration>> ApplyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // Every start but a deploy's first finds nothing to do: one read says so, without the lock or any DDL.
        if (await AppliedAsync(connection, cancellationToken) is { } seen && All.All(m => seen.Contains(m.Version)))
        {
            return [];
        }

        // Several tasks start together on every deploy: one migrates while the others wait, then find nothing to do.
        var locked = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT GET_LOCK(@name, 60)", new { name = LockName }, commandTimeout: 90, cancellationToken: cancellationToken));
        if (locked != 1)
        {
            throw new TimeoutException("Another instance held the migration lock for 60 seconds.");
        }

        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INT NOT NULL PRIMARY KEY,
                    name VARCHAR(200) NOT NULL,
                    applied_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
                """, cancellationToken: cancellationToken));
            var applied = await AppliedAsync(connection, cancellationToken) ?? [];

            var done = new List<Migration>();
            foreach (var migration in All.Where(m => !applied.Contains(m.Version)))
            {
                // MySQL commits DDL implicitly, so a migration is not atomic: each file must be safe to re-run
                // up to its last statement (IF NOT EXISTS), and it is recorded only once all of it succeeded.
                foreach (var statement in migration.Statements)
                {
                    await connection.ExecuteAsync(new CommandDefinition(statement, commandTimeout: 600, cancellationToken: cancellationToken));
                }

                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO schema_migrations (version, name) VALUES (@Version, @Name)", migration, cancellationToken: cancellationToken));
                LogApplied(logger, migration.Version, migration.Name);
                done.Add(migration);
            }

            return done;
        }
        finally
        {
            await connection.ExecuteAsync("DO RELEASE_LOCK(@name)", new { name = LockName });
        }
    }

    /// <returns>The versions recorded as applied, or null on a database that has no migrations table yet.</returns>
    private static async Task<HashSet<int>?> AppliedAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            return (await connection.QueryAsync<int>(new CommandDefinition("SELECT version FROM schema_migrations", cancellationToken: cancellationToken))).ToHashSet();
        }
        catch (MySqlException exception) when (exception.ErrorCode == MySqlErrorCode.NoSuchTable)
        {
            return null;
        }
    }

    private static List<Migration> Load() =>
        Assembly.GetExecutingAssembly().GetManifestResourceNames()
            .Select(resource => (resource, match: MigrationName().Match(resource)))
            .Where(x => x.match.Success)
            .Select(x => new Migration(
                int.Parse(x.match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture), x.match.Groups["name"].Value, x.resource))
            .OrderBy(m => m.Version)
            .ToList();

    private static List<string> ReadStatements(string resource)
    {
        using var reader = new StreamReader(Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)!);
        return StatementEnd().Split(reader.ReadToEnd())
            .Select(s => s.Trim())
            .Where(s => s.Length > 0 && !s.Split('\n').All(line => line.TrimStart().StartsWith("--", StringComparison.Ordinal) || line.Trim().Length == 0))
            .ToList();
    }

    [LoggerMessage(Level = LogLevel.Information, EventName = "MigrationApplied", Message = "Applied migration {MigrationVersion} {MigrationName}")]
    private static partial void LogApplied(ILogger logger, int migrationVersion, string migrationName);

    [GeneratedRegex(@"\.Migrations\.(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex MigrationName();

    // Statements end with a semicolon at the end of a line; none of ours has one inside a string.
    [GeneratedRegex(@";[ \t]*\r?\n|;[ \t]*$")]
    private static partial Regex StatementEnd();
}
