using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;
using Site.Web.Data;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Database;

/// <summary>The migrations on a database of the test's own, as the tasks of a deploy run them.</summary>
public sealed class MigratorTests : IAsyncLifetime
{
    private readonly string name = $"migrations_{Guid.NewGuid():N}"[..30];
    private MariaDbServer server = null!;
    private string connectionString = "";

    public async Task InitializeAsync()
    {
        server = await MariaDbServer.Shared;
        connectionString = await server.CreateDatabaseAsync(name);
    }

    public Task DisposeAsync() => server.DropDatabaseAsync(name);

    /// <summary>A task's migrator, on a pool of its own.</summary>
    private async Task<IReadOnlyList<Migrator.Migration>> ApplyAsTaskAsync(CancellationToken cancellationToken = default)
    {
        await using var dataSource = new MySqlDataSource(connectionString);
        return await new Migrator(dataSource, NullLogger<Migrator>.Instance).ApplyAsync(cancellationToken);
    }

    private async Task<List<int>> RecordedAsync()
    {
        await using var dataSource = new MySqlDataSource(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version")];
    }

    [Fact]
    public async Task TasksStartingTogetherOnANewDatabaseApplyEachMigrationOnceBetweenThem()
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ApplyAsTaskAsync()));

        Assert.Equal(Migrator.All.Select(m => m.Version), runs.SelectMany(applied => applied).Select(m => m.Version).Order());
        Assert.Equal(Migrator.All.Select(m => m.Version), await RecordedAsync());
    }

    [Fact]
    public async Task AnUpToDateDatabaseIsSeenAsSuchWithoutWaitingForTheLockAnotherTaskHolds()
    {
        await ApplyAsTaskAsync();
        // Unpooled: the lock goes with the session when the test ends.
        await using var holder = new MySqlConnection(new MySqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await holder.OpenAsync();
        Assert.Equal(1, await holder.ExecuteScalarAsync<int>("SELECT GET_LOCK('site.schema_migrations', 0)"));

        // Waiting for the lock would take 60 s and then fail; the cancellation says so long before.
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Assert.Empty(await ApplyAsTaskAsync(patience.Token));
    }

    [Fact]
    public async Task OnlyTheMigrationADatabaseHasNotSeenIsApplied()
    {
        await ApplyAsTaskAsync();
        var last = Migrator.All[^1];
        await using (var connection = new MySqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await connection.ExecuteAsync("DELETE FROM schema_migrations WHERE version = @Version", last);
        }

        var applied = await ApplyAsTaskAsync();

        Assert.Equal([last.Version], applied.Select(m => m.Version));
        Assert.Equal(Migrator.All.Select(m => m.Version), await RecordedAsync());
    }
}
