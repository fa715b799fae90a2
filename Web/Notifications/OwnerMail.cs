using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Site.Web.Notifications;

/// <summary>
/// Mail to the owner, queued in the caller's transaction: it is sent (by <see cref="OutboxSender"/>, never in the
/// visitor's request) if and only if what it tells about is committed. With e-mail switched off nothing is queued:
/// the owner reads everything in /admin, and switching e-mail on later does not flood the inbox with old news.
/// </summary>
public sealed class OwnerMail(IOptions<MailOptions> options)
{
    public const int SubjectLength = 200;

    public bool Enabled => options.Value.Enabled;

    /// <param name="replyTo">Where the owner's reply goes: the visitor's address, for a contact message.</param>
    public async Task EnqueueAsync(MySqlTransaction transaction, string subject, string body, string? replyTo, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return;
        }

        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "INSERT INTO mail_outbox (recipient, reply_to, subject, body) VALUES (@recipient, @replyTo, @subject, @body)",
            new
            {
                recipient = options.Value.To!.Trim(),
                replyTo,
                subject = subject.Length > SubjectLength ? subject[..(SubjectLength - 1)] + "…" : subject,
                body,
            },
            transaction, cancellationToken: cancellationToken));
    }
}
