using System.Net.Sockets;
using Site.Web.Data;
using Site.Web.Hosting;

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
}
