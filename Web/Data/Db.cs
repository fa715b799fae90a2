using System.Diagnostics;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Site.Web.Hosting;

namespace Site.Web.Data;

/// <summary>
/// Runs one named database operation on a pooled connection. Slow ones are logged as warnings with their timing. A
/// failed one is not logged here: the exception is tagged with the operation's name (never its SQL parameters) and the
/// database's endpoint, and recorded on the request, whose one completion line then says why it failed; the database
/// being unreachable is reported to <see cref="DatabaseOutage"/>, which logs it once. A pool with every connection in use
/// is no outage: each refused operation logs <see cref="LogFields.Events.DatabasePoolExhausted"/>.
/// </summary>
public sealed partial class Db(
    MySqlDataSource dataSource, IOptions<DatabaseOptions> options, DatabaseOutage outage, IHttpContextAccessor requests, ILogger<Db> logger)
{
    private readonly uint maxPoolSize = options.Value.ToConnectionStringBuilder().MaximumPoolSize;

    public async Task<T> RunAsync<T>(string operation, Func<MySqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        var request = requests.HttpContext is { } context ? RequestRecord.Of(context) : null;
        var start = Stopwatch.GetTimestamp();
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var result = await work(connection);
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            request?.AddDatabaseTime(elapsed);
            outage.Reachable();
            if (elapsed > options.Value.SlowOperationMs)
            {
                LogSlow(logger, operation, Math.Round(elapsed, 1), options.Value.SlowOperationMs);
            }

            return result;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            request?.AddDatabaseTime(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            exception.Data[LogFields.DbOperation] = operation;
            exception.Data[LogFields.DatabaseEndpoint] = outage.Endpoint;
            var decidesTheAnswer = request?.Fail(exception) ?? false;
            var unavailable = DatabaseUnavailableHandler.Recognise(exception);
            if (DatabaseErrors.IsPoolExhausted(exception))
            {
                LogPoolExhausted(logger, exception, operation, maxPoolSize, options.Value.ConnectTimeoutSeconds);
            }
            else if (unavailable)
            {
                outage.Unavailable(exception, refusedRequest: decidesTheAnswer);
            }

            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, EventName = LogFields.Events.DatabasePoolExhausted,
        Message = "Database connection pool exhausted: all {MaxPoolSize} connections of this task stayed in use for {WaitSeconds} s, so {DbOperation} was refused")]
    private static partial void LogPoolExhausted(ILogger logger, Exception exception, string dbOperation, uint maxPoolSize, int waitSeconds);

    [LoggerMessage(Level = LogLevel.Warning, EventName = LogFields.Events.SlowDatabaseOperation,
        Message = "Slow database operation {DbOperation}: {ElapsedMs} ms (threshold {ThresholdMs} ms)")]
    private static partial void LogSlow(ILogger logger, string dbOperation, double elapsedMs, int thresholdMs);
}
