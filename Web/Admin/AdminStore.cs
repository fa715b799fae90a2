using Dapper;
using Site.Web.Contact;
using Site.Web.Data;

namespace Site.Web.Admin;

/// <summary>A guestbook entry as the owner sees it: hidden ones included.</summary>
public sealed record ModeratedEntry(long Id, string Name, string Message, DateTime CreatedAt, bool Hidden);

/// <summary>Page <see cref="Number"/> (from 1) of a newest-first list.</summary>
public sealed record AdminPage<T>(IReadOnlyList<T> Items, int Number, bool HasMore);

public sealed record AdminCounts(long Messages, long UnhandledMessages, long VisibleEntries, long HiddenEntries);

public sealed partial class AdminStore(Db db, ILogger<AdminStore> logger)
{
    public const int PageSize = 20;
    public const int MaxPage = 1_000_000;

    public Task<AdminPage<ContactMessage>> MessagesAsync(int page, CancellationToken cancellationToken) => PageAsync<ContactMessage>(
        "admin.messages", "SELECT id AS Id, name AS Name, email AS Email, message AS Message, created_at AS CreatedAt, handled AS Handled FROM contact_messages",
        page, cancellationToken);

    public Task<AdminPage<ModeratedEntry>> GuestbookAsync(int page, CancellationToken cancellationToken) => PageAsync<ModeratedEntry>(
        "admin.guestbook", "SELECT id AS Id, name AS Name, message AS Message, created_at AS CreatedAt, hidden AS Hidden FROM guestbook_entries",
        page, cancellationToken);

    public Task<AdminCounts> CountsAsync(CancellationToken cancellationToken) =>
        db.RunAsync("admin.counts", connection => connection.QuerySingleAsync<AdminCounts>(new CommandDefinition(
            """
            SELECT (SELECT COUNT(*) FROM contact_messages) AS Messages,
                   (SELECT COUNT(*) FROM contact_messages WHERE handled = 0) AS UnhandledMessages,
                   (SELECT COUNT(*) FROM guestbook_entries WHERE hidden = 0) AS VisibleEntries,
                   (SELECT COUNT(*) FROM guestbook_entries WHERE hidden = 1) AS HiddenEntries
            """, cancellationToken: cancellationToken)), cancellationToken);

    /// <returns>False when there is no such message.</returns>
    public Task<bool> SetHandledAsync(long id, bool handled, string actor, CancellationToken cancellationToken) =>
        SetFlagAsync("contact_messages", "handled", id, handled, actor, cancellationToken);

    /// <returns>False when there is no such entry.</returns>
    public Task<bool> SetHiddenAsync(long id, bool hidden, string actor, CancellationToken cancellationToken) =>
        SetFlagAsync("guestbook_entries", "hidden", id, hidden, actor, cancellationToken);

    /// <summary>A page number from a query string, clamped to the pages there can be.</summary>
    /// <remarks>Razor Pages binds it under an explicit name: "page" is also its own route value, the page's path.</remarks>
    public static int ClampPage(int? page) => Math.Clamp(page ?? 1, 1, MaxPage);

    private Task<AdminPage<T>> PageAsync<T>(string operation, string select, int page, CancellationToken cancellationToken) =>
        db.RunAsync(operation, async connection =>
        {
            var rows = (await connection.QueryAsync<T>(new CommandDefinition(
                $"{select} ORDER BY id DESC LIMIT @take OFFSET @skip",
                new { take = PageSize + 1, skip = (long)(page - 1) * PageSize }, cancellationToken: cancellationToken))).ToList();
            return new AdminPage<T>(rows.Take(PageSize).ToList(), page, rows.Count > PageSize);
        }, cancellationToken);

    private async Task<bool> SetFlagAsync(string table, string column, long id, bool value, string actor, CancellationToken cancellationToken)
    {
        var found = await db.RunAsync($"admin.set_{column}", async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // MySqlConnector reports matched rows, so setting a flag to the value it already has still counts as found.
            if (await connection.ExecuteAsync(new CommandDefinition(
                    $"UPDATE {table} SET {column} = @value WHERE id = @id", new { id, value }, transaction, cancellationToken: cancellationToken)) == 0)
            {
                return false;
            }

            await OwnerActions.RecordAsync(transaction, actor, Describe(table, column, value), $"#{id}", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        }, cancellationToken);
        if (found)
        {
            LogChanged(logger, actor, table, id, column, value);
        }

        return found;
    }

    private static string Describe(string table, string column, bool value) => (table, column, value) switch
    {
        ("guestbook_entries", "hidden", true) => "hid guestbook entry",
        ("guestbook_entries", "hidden", false) => "restored guestbook entry",
        ("contact_messages", "handled", true) => "marked message handled",
        ("contact_messages", "handled", false) => "marked message not handled",
        _ => $"set {table}.{column} = {value}",
    };

    [LoggerMessage(Level = LogLevel.Information, EventName = "AdminChange", Message = "Admin {AdminUser} set {Table} {RowId} {Column} = {Value}")]
    private static partial void LogChanged(ILogger logger, string adminUser, string table, long rowId, string column, bool value);
}
