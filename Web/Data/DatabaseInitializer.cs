using System.Diagnostics;

namespace Site.Web.Data;

/// <summary>
/// Brings the schema up to date in the background, so the process starts (and answers /health/live)
/// whether or not the database is there yet, and keeps trying until it is.
/// </summary>
public sealed partial class DatabaseInitializer(
    Migrator migrator, IamUserProvisioner iamUserProvisioner, DatabaseStatus status, ILogger<DatabaseInitializer> logger) : BackgroundService
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var clock = Stopwatch.StartNew();
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                var applied = await migrator.ApplyAsync(stoppingToken);
                await iamUserProvisioner.ProvisionAsync(stoppingToken);
                status.MarkMigrated();
                LogReady(logger, attempt, clock.ElapsedMilliseconds, applied.Count, Migrator.All[^1].Version);
                return;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                var delay = Backoff(attempt);
                LogNotReady(logger, exception, attempt, (int)delay.TotalMilliseconds);
                await Task.Delay(delay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Capped exponential backoff with jitter, so many tasks don't retry in lock-step.</summary>
    public static TimeSpan Backoff(int attempt)
    {
        var exponential = FirstDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 16));
        var capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    [LoggerMessage(Level = LogLevel.Information, EventName = "DatabaseReady",
        Message = "Database ready after {Attempts} attempt(s) in {ElapsedMs} ms; {AppliedCount} migration(s) applied, schema at version {SchemaVersion}")]
    private static partial void LogReady(ILogger logger, int attempts, long elapsedMs, int appliedCount, int schemaVersion);

    [LoggerMessage(Level = LogLevel.Warning, EventName = "DatabaseNotReady", Message = "Database not ready (attempt {Attempt}); retrying in {RetryMs} ms")]
    private static partial void LogNotReady(ILogger logger, Exception exception, int attempt, int retryMs);
}
