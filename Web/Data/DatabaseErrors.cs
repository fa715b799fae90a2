using System.Net.Sockets;
using MySqlConnector;
using Site.Web.Hosting;

namespace Site.Web.Data;

public static class DatabaseErrors
{
    /// <summary>True when the database could not be reached or did not answer in time: worth a 503 and a retry, not a 500.</summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is MySqlException mysql && (mysql.IsTransient || IsConnectionFailure(mysql)))
            {
                return true;
            }

            // Raised by the driver itself when a socket dies mid-command or the pool waits too long, or by the socket under
            // it, unwrapped (a reset while BeginTransaction reads its reply): inside a database operation (Db tags it),
            // a dead connection all the same.
            if (e is IOException or SocketException or TimeoutException or ObjectDisposedException
                && (e.Source == "MySqlConnector" || e.Data.Contains(LogFields.DbOperation)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// RDS Proxy's "ERROR 9501 (HY000): Timed-out waiting to acquire database connection": none of the connections the
    /// proxy may open to the database came free within its borrow timeout (AWS's "Troubleshooting for RDS Proxy").
    /// </summary>
    public const int ProxyBorrowTimeout = 9501;

    /// <summary>
    /// True when every connection of this process's pool stayed in use for the whole connect timeout, or every one of
    /// RDS Proxy's for its borrow timeout: the database answers, the site is busy (a spike, or slow queries holding
    /// connections). Also <see cref="IsUnavailable"/>, so the visitor gets a 503 with Retry-After, but it is no outage.
    /// </summary>
    public static bool IsPoolExhausted(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is MySqlException mysql && ((mysql.ErrorCode == MySqlErrorCode.UnableToConnectToHost
                    && mysql.Message.EndsWith(PoolExhaustedSuffix, StringComparison.Ordinal)) || mysql.Number == ProxyBorrowTimeout))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"Type: message" of the exception and each inner one, outermost first: the driver's "Unable to connect" says less than the socket error inside it.</summary>
    public static string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            parts.Add($"{e.GetType().Name}: {e.Message}");
        }

        return string.Join(" <- ", parts);
    }

    // MySqlConnector says so only in the message of its connect timeout; the pool exhaustion test holds it to that.
    private const string PoolExhaustedSuffix = "All pooled connections are in use.";

    // A refused login (a rejected or unobtainable IAM token, a rotated password) leaves the site without its database
    // just as a network failure does: the visitor gets a 503, the logs the reason.
    private static bool IsConnectionFailure(MySqlException exception) =>
        exception.ErrorCode is MySqlErrorCode.UnableToConnectToHost or MySqlErrorCode.CommandTimeoutExpired
            or MySqlErrorCode.ServerShutdown or MySqlErrorCode.TooManyUserConnections or MySqlErrorCode.ConnectionCountError
            or MySqlErrorCode.NormalShutdown or MySqlErrorCode.AbortingConnection or MySqlErrorCode.QueryTimeout
            or MySqlErrorCode.AccessDenied or MySqlErrorCode.ProvidePasswordCallbackFailed
        || exception.Number == ProxyBorrowTimeout
        || exception.InnerException is IOException or SocketException;
}
