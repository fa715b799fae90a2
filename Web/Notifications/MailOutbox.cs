using System.Data;
using Dapper;
using Site.Web.Data;
using Site.Web.Owner;

namespace Site.Web.Notifications;

/// <summary>A mail a task has claimed: it has the claim until <see cref="MailOptions.ClaimFor"/> has passed.</summary>
public sealed record OutboxMail(long Id, string Recipient, string? ReplyTo, string Subject, string Body, int Attempts);

/// <summary>A mail given up on, as the owner sees it.</summary>
public sealed record FailedMail(long Id, DateTime CreatedAt, string Subject, int Attempts, string? LastError, DateTime FailedAt);

/// <summary>The outbox as the dashboard shows it.</summary>
public sealed record OutboxSummary(long Waiting, long Retrying, IReadOnlyList<FailedMail> Failed, long FailedCount);

/// <summary>
/// The outbox table. Times are the database's, so that every task agrees on what is due. A row is claimed by moving
/// its next attempt to the end of the claim (rows locked with SKIP LOCKED, so two tasks never claim the same one, and
/// neither waits for the other); a task that dies while sending leaves it to be claimed again once the claim runs out.
/// </summary>
public sealed class MailOutbox(Db db)
{
    public const int BatchSize = 10;
    public const int ShownFailures = 20;
    public const int ErrorLength = 1000;

    private const string Due = "sent_at IS NULL AND failed_at IS NULL";

    public Task<IReadOnlyList<OutboxMail>> ClaimAsync(TimeSpan claimFor, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<OutboxMail>>("mail.claim", async connection =>
        {
            // READ COMMITTED locks only the rows claimed. Under REPEATABLE READ the scan also locked the gaps of the due
            // index, and a visitor's message, whose mail goes into that gap in the message's own transaction, waited for
            // the claim to end, or was rolled back as the victim of a deadlock with it and answered 503.
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            var mails = (await connection.QueryAsync<OutboxMail>(new CommandDefinition(
                $"""
                SELECT id AS Id, recipient AS Recipient, reply_to AS ReplyTo, subject AS Subject, body AS Body, attempts AS Attempts
                FROM mail_outbox WHERE {Due} AND next_attempt_at <= CURRENT_TIMESTAMP(6)
                ORDER BY next_attempt_at LIMIT {BatchSize} FOR UPDATE SKIP LOCKED
                """, transaction: transaction, cancellationToken: cancellationToken))).ToList();
            if (mails.Count > 0)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = CURRENT_TIMESTAMP(6) + INTERVAL @claimMicroseconds MICROSECOND
                    WHERE id IN @ids
                    """,
                    new { ids = mails.Select(m => m.Id), claimMicroseconds = Microseconds(claimFor) }, transaction, cancellationToken: cancellationToken));
            }

            await transaction.CommitAsync(cancellationToken);
            return [.. mails.Select(m => m with { Attempts = m.Attempts + 1 })];
        }, cancellationToken);

    public Task MarkSentAsync(long id, CancellationToken cancellationToken) =>
        db.RunAsync("mail.sent", connection => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE mail_outbox SET sent_at = CURRENT_TIMESTAMP(6) WHERE id = @id", new { id }, cancellationToken: cancellationToken)), cancellationToken);

    /// <param name="retryIn">Null when this was the last attempt: the mail is given up as failed.</param>
    public Task MarkAttemptFailedAsync(long id, string error, TimeSpan? retryIn, CancellationToken cancellationToken) =>
        db.RunAsync("mail.failed_attempt", connection => connection.ExecuteAsync(new CommandDefinition(
            retryIn is null
                ? "UPDATE mail_outbox SET last_error = @error, failed_at = CURRENT_TIMESTAMP(6) WHERE id = @id"
                : "UPDATE mail_outbox SET last_error = @error, next_attempt_at = CURRENT_TIMESTAMP(6) + INTERVAL @retryMicroseconds MICROSECOND WHERE id = @id",
            new { id, error = error.Length > ErrorLength ? error[..(ErrorLength - 1)] + "…" : error, retryMicroseconds = Microseconds(retryIn ?? TimeSpan.Zero) },
            cancellationToken: cancellationToken)), cancellationToken);

    public Task<OutboxSummary> SummaryAsync(CancellationToken cancellationToken) =>
        db.RunAsync("mail.summary", async connection =>
        {
            var (waiting, retrying, failedCount) = await connection.QuerySingleAsync<(long, long, long)>(new CommandDefinition(
                $"""
                SELECT (SELECT COUNT(*) FROM mail_outbox WHERE {Due}),
                       (SELECT COUNT(*) FROM mail_outbox WHERE {Due} AND last_error IS NOT NULL),
                       (SELECT COUNT(*) FROM mail_outbox WHERE failed_at IS NOT NULL)
                """, cancellationToken: cancellationToken));
            var failed = (await connection.QueryAsync<FailedMail>(new CommandDefinition(
                $"""
                SELECT id AS Id, created_at AS CreatedAt, subject AS Subject, attempts AS Attempts, last_error AS LastError, failed_at AS FailedAt
                FROM mail_outbox WHERE failed_at IS NOT NULL ORDER BY id DESC LIMIT {ShownFailures}
                """, cancellationToken: cancellationToken))).ToList();
            return new OutboxSummary(waiting, retrying, failed, failedCount);
        }, cancellationToken);

    /// <summary>Makes a failed mail due now, with all its attempts again.</summary>
    /// <returns>False when there is no such failed mail.</returns>
    public Task<bool> RetryAsync(long id, string actor, CancellationToken cancellationToken) =>
        db.RunAsync("mail.retry", async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE mail_outbox SET failed_at = NULL, attempts = 0, next_attempt_at = CURRENT_TIMESTAMP(6) WHERE id = @id AND failed_at IS NOT NULL",
                    new { id }, transaction, cancellationToken: cancellationToken)) == 0)
            {
                return false;
            }

            await OwnerActions.RecordAsync(transaction, actor, "retried failed e-mail", $"#{id}", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        }, cancellationToken);

    private static long Microseconds(TimeSpan span) => span.Ticks / TimeSpan.TicksPerMicrosecond;
}
