using Microsoft.Extensions.Options;
using Site.Web.Hosting;

namespace Site.Web.Data;

/// <summary>
/// The database being unreachable is one state with a start and an end, not one error per request: the first failure
/// logs <see cref="LogFields.Events.DatabaseOutageStarted"/> (an Error, with the endpoint and the error, once), the
/// first success after it <see cref="LogFields.Events.DatabaseOutageEnded"/> (how long, how many requests were refused).
/// The refused requests themselves are warnings, so the app-errors alarm, which rolls deployments back, counts an
/// outage once however busy the site is. Each task reports its own.
/// </summary>
public sealed partial class DatabaseOutage(IOptions<DatabaseOptions> options, TimeProvider clock, ILogger<DatabaseOutage> logger)
{
    private readonly Lock gate = new();
    private volatile bool down;
    private DateTimeOffset since;
    private int refused;

    /// <summary>host:port of the database; never the connection string, which may hold the password.</summary>
    public string Endpoint { get; } = EndpointOf(options.Value);

    private static string EndpointOf(DatabaseOptions options)
    {
        var connection = options.ToConnectionStringBuilder();
        return $"{connection.Server}:{connection.Port}";
    }

    /// <summary>An operation could not reach the database; <paramref name="refusedRequest"/> when a visitor's request was answered 503 for it.</summary>
    public void Unavailable(Exception exception, bool refusedRequest)
    {
        lock (gate)
        {
            if (!down)
            {
                down = true;
                since = clock.GetUtcNow();
                refused = 0;

                // Logged under the lock, so that an outage's end can never be written before its start.
                LogStarted(logger, exception, Endpoint, DatabaseErrors.Describe(exception));
            }

            if (refusedRequest)
            {
                refused++;
            }
        }
    }

    /// <summary>An operation reached the database.</summary>
    public void Reachable()
    {
        if (!down)
        {
            return;
        }

        lock (gate)
        {
            if (!down)
            {
                return;
            }

            down = false;
            LogEnded(logger, Endpoint, Math.Round((clock.GetUtcNow() - since).TotalSeconds, 1), since.UtcDateTime, refused);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, EventName = LogFields.Events.DatabaseOutageStarted,
        Message = "Database {DatabaseEndpoint} unavailable ({DatabaseError}); requests that need it are answered 503 until it is back")]
    private static partial void LogStarted(ILogger logger, Exception exception, string databaseEndpoint, string databaseError);

    [LoggerMessage(Level = LogLevel.Warning, EventName = LogFields.Events.DatabaseOutageEnded,
        Message = "Database {DatabaseEndpoint} back after {OutageSeconds} s (unavailable since {OutageStartedAt:O}); {RefusedRequests} request(s) refused meanwhile")]
    private static partial void LogEnded(ILogger logger, string databaseEndpoint, double outageSeconds, DateTime outageStartedAt, int refusedRequests);
}
