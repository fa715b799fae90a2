using System.Net.Sockets;
using MySqlConnector;
using Site.Web.Data;
using Site.Web.Hosting;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Database;

public sealed class DatabaseErrorsTests
{
    [Fact]
    public void ASocketResetRaisedInsideADatabaseOperationIsTheDatabaseBeingUnavailable()
    {
        // What MySqlConnector lets through unwrapped when the server goes away while BeginTransaction reads its reply.
        var reset = new SocketException((int)SocketError.ConnectionReset);
        reset.Data[LogFields.DbOperation] = "guestbook.add";

        Assert.True(DatabaseErrors.IsUnavailable(reset));
    }

    [Fact]
    public void ASocketResetOutsideADatabaseOperationIsNot()
    {
        Assert.False(DatabaseErrors.IsUnavailable(new SocketException((int)SocketError.ConnectionReset)));
    }

    /// <summary>
    /// RDS Proxy's refusal when its connections stay busy for its borrow timeout, as a MySQL server sends such an error
    /// (here raised with SIGNAL): a busy site, answered 503 with Retry-After, and no outage.
    /// </summary>
    [Fact]
    public async Task RdsProxysBorrowTimeoutIsABusyPoolNotAnOutage()
    {
        var server = await MariaDbServer.Shared;
        await using var connection = new MySqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(
            $"SIGNAL SQLSTATE 'HY000' SET MYSQL_ERRNO = {DatabaseErrors.ProxyBorrowTimeout}, MESSAGE_TEXT = 'Timed-out waiting to acquire database connection'",
            connection);

        var refused = await Assert.ThrowsAsync<MySqlException>(() => command.ExecuteNonQueryAsync());

        Assert.True(DatabaseErrors.IsPoolExhausted(refused), DatabaseErrors.Describe(refused));
        Assert.True(DatabaseErrors.IsUnavailable(refused), DatabaseErrors.Describe(refused));
    }

    [Fact]
    public async Task AnotherServerErrorIsNeitherBusyNorUnavailable()
    {
        var server = await MariaDbServer.Shared;
        await using var connection = new MySqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand("SIGNAL SQLSTATE 'HY000' SET MYSQL_ERRNO = 9502, MESSAGE_TEXT = 'Something else'", connection);

        var refused = await Assert.ThrowsAsync<MySqlException>(() => command.ExecuteNonQueryAsync());

        Assert.False(DatabaseErrors.IsPoolExhausted(refused));
        Assert.False(DatabaseErrors.IsUnavailable(refused));
    }
}
