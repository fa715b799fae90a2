using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Site.Web.Data;
using Site.Web.Hosting;

namespace Site.Web.Notifications;

/// <summary>
/// Sends the outbox's due mail over SMTP, in every task: the claim keeps two tasks from sending the same mail. A mail
/// that fails waits <see cref="MailOptions.Delays"/> before its next attempt and is given up after the last one; an
/// unreachable database or SMTP server is waited out at the poll interval, never crashing the app or spinning.
/// </summary>
public sealed partial class OutboxSender(
    MailOutbox outbox, IOptions<MailOptions> options, DatabaseStatus database, TimeProvider clock, ILogger<OutboxSender> logger) : BackgroundService
{
    /// <summary>An SMTP server that answers nothing must not hold a claimed batch for ever.</summary>
    public static readonly TimeSpan SmtpTimeout = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var mail = options.Value;
        if (!mail.Enabled)
        {
            LogSwitchedOff(logger);
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                // Before the schema is in place there is no outbox to read.
                if (database.Migrated)
                {
                    var batch = await outbox.ClaimAsync(mail.ClaimFor, stoppingToken);
                    claimed = batch.Count;
                    await SendAsync(mail, batch, stoppingToken);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // An unreachable database is logged once per outage by Db; anything else (a bug, an SMTP server dropping the
                // connection at QUIT) is worth a line each time.
                if (!DatabaseErrors.IsUnavailable(exception))
                {
                    LogOutboxFailed(logger, exception);
                }
            }

            if (claimed < MailOutbox.BatchSize)
            {
                try
                {
                    await Task.Delay(mail.PollInterval, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task SendAsync(MailOptions mail, IReadOnlyList<OutboxMail> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        using var smtp = new SmtpClient { Timeout = (int)SmtpTimeout.TotalMilliseconds };
        string? connectError = null;
        try
        {
            await smtp.ConnectAsync(mail.Host!.Trim(), mail.Port, Socket(mail.Security), cancellationToken);
            if (mail.HasCredentials)
            {
                await smtp.AuthenticateAsync(mail.Username!, mail.Password!, cancellationToken);
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            connectError = $"{mail.Host}:{mail.Port}: {Describe(exception)}";
        }

        foreach (var item in batch)
        {
            var error = connectError;
            if (error is null)
            {
                try
                {
                    await smtp.SendAsync(Message(mail, item), cancellationToken);
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    error = Describe(exception);
                }
            }

            if (error is null)
            {
                // Should this fail (the database gone meanwhile), the mail is sent again once the claim runs out.
                await outbox.MarkSentAsync(item.Id, cancellationToken);
                LogSent(logger, item.Id, item.Attempts);
                continue;
            }

            await RecordFailureAsync(mail, item, error, cancellationToken);
        }

        if (smtp.IsConnected)
        {
            await smtp.DisconnectAsync(quit: true, cancellationToken);
        }
    }

    private async Task RecordFailureAsync(MailOptions mail, OutboxMail item, string error, CancellationToken cancellationToken)
    {
        if (item.Attempts >= mail.MaxAttempts)
        {
            await outbox.MarkAttemptFailedAsync(item.Id, error, retryIn: null, cancellationToken);
            LogGaveUp(logger, item.Id, item.Attempts, error);
            return;
        }

        var retryIn = mail.Delays[item.Attempts - 1];
        await outbox.MarkAttemptFailedAsync(item.Id, error, retryIn, cancellationToken);
        LogAttemptFailed(logger, item.Id, item.Attempts, mail.MaxAttempts, error, Math.Round(retryIn.TotalSeconds, 1));
    }

    private static MimeMessage Message(MailOptions mail, OutboxMail item)
    {
        var message = new MimeMessage { Subject = item.Subject, Body = new TextPart("plain") { Text = item.Body } };
        message.From.Add(MailboxAddress.Parse(mail.From!.Trim()));
        message.To.Add(MailboxAddress.Parse(item.Recipient));
        if (item.ReplyTo is not null && MailboxAddress.TryParse(item.ReplyTo, out var replyTo))
        {
            message.ReplyTo.Add(replyTo);
        }

        return message;
    }

    private static SecureSocketOptions Socket(MailSecurity security) => security switch
    {
        MailSecurity.StartTls => SecureSocketOptions.StartTls,
        MailSecurity.Tls => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.None,
    };

    private static string Describe(Exception exception) => $"{exception.GetType().Name}: {exception.Message}";

    [LoggerMessage(Level = LogLevel.Information, EventName = LogFields.Events.MailSwitchedOff,
        Message = "E-mail to the owner is not set up (Mail__Host, Mail__From and Mail__To); contact messages are stored and shown in /admin only")]
    private static partial void LogSwitchedOff(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, EventName = LogFields.Events.MailSent, Message = "Sent mail {OutboxId} (attempt {Attempt})")]
    private static partial void LogSent(ILogger logger, long outboxId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, EventName = LogFields.Events.MailSendFailed,
        Message = "Mail {OutboxId} not sent (attempt {Attempt} of {MaxAttempts}): {MailError}; next attempt in {RetryInSeconds} s")]
    private static partial void LogAttemptFailed(ILogger logger, long outboxId, int attempt, int maxAttempts, string mailError, double retryInSeconds);

    [LoggerMessage(Level = LogLevel.Error, EventName = LogFields.Events.MailGaveUp,
        Message = "Mail {OutboxId} given up after {Attempt} attempts: {MailError}; the owner can retry it in /admin")]
    private static partial void LogGaveUp(ILogger logger, long outboxId, int attempt, string mailError);

    [LoggerMessage(Level = LogLevel.Warning, EventName = "MailOutboxFailed", Message = "Sending from the mail outbox failed")]
    private static partial void LogOutboxFailed(ILogger logger, Exception exception);
}
