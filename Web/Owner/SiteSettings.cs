using System.Globalization;
using Dapper;
using MySqlConnector;
using Site.Web.Data;

namespace Site.Web.Owner;

/// <summary>What the owner chose at /admin/settings.</summary>
/// <param name="HoldGuestbookEntries">New guestbook entries wait for review instead of being published at once.</param>
/// <param name="MessageRetentionDays">Contact messages older than this many days are deleted; null keeps them.</param>
/// <param name="NotifyWaitingEntries">The owner is e-mailed about guestbook entries waiting for review.</param>
public sealed record OwnerSettings(bool HoldGuestbookEntries, int? MessageRetentionDays, bool NotifyWaitingEntries)
{
    public const int MaxRetentionDays = 3650;

    /// <summary>A site nobody has configured yet behaves as it did before there were settings.</summary>
    public static readonly OwnerSettings Defaults = new(false, null, false);
}

/// <summary>The owner's settings, one row per setting in site_settings; a missing row means the default.</summary>
public sealed class SiteSettings(Db db)
{
    private const string Hold = "guestbook.hold_for_review";
    private const string Retention = "contact.retention_days";
    private const string Notify = "guestbook.notify_waiting";

    public Task<OwnerSettings> GetAsync(CancellationToken cancellationToken) =>
        db.RunAsync("settings.get", connection => GetAsync(connection, cancellationToken), cancellationToken);

    /// <summary>The settings read on a connection the caller holds, as part of its own operation.</summary>
    public static async Task<OwnerSettings> GetAsync(MySqlConnection connection, CancellationToken cancellationToken) =>
        Read((await connection.QueryAsync<(string Name, string Value)>(new CommandDefinition(
            "SELECT name, value FROM site_settings", cancellationToken: cancellationToken))).ToDictionary(r => r.Name, r => r.Value));

    /// <summary>Stores the settings and records each one that changed as an owner action, in one transaction.</summary>
    /// <returns>How many settings changed.</returns>
    public Task<int> SaveAsync(OwnerSettings settings, string actor, CancellationToken cancellationToken) =>
        db.RunAsync("settings.save", async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var stored = (await connection.QueryAsync<(string Name, string Value)>(new CommandDefinition(
                "SELECT name, value FROM site_settings FOR UPDATE", transaction: transaction, cancellationToken: cancellationToken))).ToDictionary(r => r.Name, r => r.Value);
            var current = Read(stored);
            var changes = new List<(string Name, string Value, string Description)>();
            if (settings.HoldGuestbookEntries != current.HoldGuestbookEntries)
            {
                changes.Add((Hold, Flag(settings.HoldGuestbookEntries),
                    settings.HoldGuestbookEntries ? "Guestbook: hold new entries for review" : "Guestbook: publish new entries at once"));
            }

            if (settings.MessageRetentionDays != current.MessageRetentionDays)
            {
                changes.Add((Retention, (settings.MessageRetentionDays ?? 0).ToString(CultureInfo.InvariantCulture),
                    settings.MessageRetentionDays is { } days ? $"Contact messages: delete after {days} days" : "Contact messages: keep until deleted"));
            }

            if (settings.NotifyWaitingEntries != current.NotifyWaitingEntries)
            {
                changes.Add((Notify, Flag(settings.NotifyWaitingEntries),
                    settings.NotifyWaitingEntries ? "E-mail me about entries waiting for review: on" : "E-mail me about entries waiting for review: off"));
            }

            foreach (var (name, value, description) in changes)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO site_settings (name, value) VALUES (@name, @value) ON DUPLICATE KEY UPDATE value = @value",
                    new { name, value }, transaction, cancellationToken: cancellationToken));
                await OwnerActions.RecordAsync(transaction, actor, "changed setting", description, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return changes.Count;
        }, cancellationToken);

    private static OwnerSettings Read(Dictionary<string, string> stored) => new(
        stored.GetValueOrDefault(Hold) == Flag(true),
        int.TryParse(stored.GetValueOrDefault(Retention), NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days > 0 ? days : null,
        stored.GetValueOrDefault(Notify) == Flag(true));

    private static string Flag(bool value) => value ? "true" : "false";
}
