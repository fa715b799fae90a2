using System.Diagnostics;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Site.Web.Data;

/// <summary>
/// Runs one named database operation on a pooled connection: slow ones are logged as warnings with their
/// timing, failed ones as errors carrying the operation's name (never its SQL parameters), so on-call can
/// tell which query broke from the log line alone.
/// </summary>
public sealed partial class Db(MySqlDataSource dataSource, IOptions<DatabaseOptions> options, ILogger<Db> logger)
{
    public const string OperationKey = "DbOperation";

    public async Task<T> RunAsync<T>(string operation, Func<MySqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var result = await work(connection);
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (elapsed > options.Value.SlowOperationMs)
            {
                LogSlow(logger, operation, Math.Round(elapsed, 1), options.Value.SlowOperationMs);
            }

            return result;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            exception.Data[OperationKey] = operation;
            LogFailed(logger, exception, operation, Math.Round(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 1),
                exception.GetType().FullName, DatabaseErrors.IsUnavailable(exception));
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, EventName = "SlowDatabaseOperation",
        Message = "Slow database operation {DbOperation}: {ElapsedMs} ms (threshold {ThresholdMs} ms)")]
    private static partial void LogSlow(ILogger logger, string dbOperation, double elapsedMs, int thresholdMs);

    [LoggerMessage(Level = LogLevel.Error, EventName = "DatabaseFailure",
        Message = "Database operation {DbOperation} failed after {ElapsedMs} ms with {ExceptionType} (unavailable: {DatabaseUnavailable})")]
    private static partial void LogFailed(ILogger logger, Exception exception, string dbOperation, double elapsedMs, string? exceptionType, bool databaseUnavailable);
}
