using System.ComponentModel.DataAnnotations;
using Dapper;
using Microsoft.Extensions.Options;
using Site.Web.Data;
using Site.Web.Hosting;
using Site.Web.Owner;

namespace Site.Web.Admin;

public sealed class MessageRetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>How often old contact messages are looked for; tests make it short.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows deleted per transaction, so a first sweep over years of messages never holds long locks.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;
}

/// <summary>
/// Deletes contact messages older than the owner's retention setting. Every task runs it: a batch's DELETE locks the
/// rows it removes, so two tasks sweeping together delete each message once and each records only what it deleted.
/// </summary>
public sealed partial class MessageRetention(
    Db db, SiteSettings settings, DatabaseStatus status, TimeProvider clock, IOptions<MessageRetentionOptions> options, ILogger<MessageRetention> logger)
    : BackgroundService
{
    /// <summary>Who the activity list names for deletions the retention setting made.</summary>
    public const string Actor = "retention";

    /// <returns>How many messages were deleted.</returns>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        if ((await settings.GetAsync(cancellationToken)).MessageRetentionDays is not { } days)
        {
            return 0;
        }

        var cutoff = clock.GetUtcNow().UtcDateTime.AddDays(-days);
        var batch = options.Value.BatchSize;
        var total = 0;
        int deleted;
        do
        {
            deleted = await db.RunAsync("retention.delete_messages", async connection =>
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var count = await connection.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM contact_messages WHERE created_at < @cutoff ORDER BY created_at LIMIT @batch",
                    new { cutoff, batch }, transaction, cancellationToken: cancellationToken));
                if (count > 0)
                {
                    await OwnerActions.RecordAsync(transaction, Actor, $"deleted {count} old {(count == 1 ? "message" : "messages")}",
                        $"received before {cutoff:yyyy-MM-dd HH:mm} UTC, kept {days} days", cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                return count;
            }, cancellationToken);
            total += deleted;
        }
        while (deleted == batch);

        if (total > 0)
        {
            LogDeleted(logger, total, days);
        }

        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!status.Migrated)
            {
                continue;
            }

            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The next tick tries again; an unreachable database is already reported by Db.
                LogFailed(logger, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, EventName = LogFields.Events.MessagesDeletedByRetention,
        Message = "Retention deleted {DeletedMessages} contact messages older than {RetentionDays} days")]
    private static partial void LogDeleted(ILogger logger, int deletedMessages, int retentionDays);

    [LoggerMessage(Level = LogLevel.Warning, EventName = "RetentionFailed", Message = "Deleting old contact messages failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
