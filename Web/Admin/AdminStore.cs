using Dapper;
using Site.Web.Contact;
using Site.Web.Data;
using Site.Web.Owner;

namespace Site.Web.Admin;

/// <summary>Where a guestbook entry stands: held for review, public, or taken down by the owner.</summary>
public enum EntryState
{
    Waiting,
    Published,
    Hidden,
}

/// <summary>A guestbook entry as the owner sees it: waiting and hidden ones included.</summary>
/// <remarks>The two flags and what they mean together are explained in migration 0040.</remarks>
public sealed record ModeratedEntry(long Id, string Name, string Message, DateTime CreatedAt, bool Hidden, bool Held)
{
    public EntryState State => !Hidden ? EntryState.Published : Held ? EntryState.Waiting : EntryState.Hidden;
}

/// <summary>Page <see cref="Number"/> (from 1) of a newest-first list.</summary>
public sealed record AdminPage<T>(IReadOnlyList<T> Items, int Number, bool HasMore);

/// <summary>Page <see cref="Number"/> of the rows matching a search, with how many match in all.</summary>
public sealed record AdminResults<T>(IReadOnlyList<T> Items, int Number, long Total)
{
    public int Pages => (int)Math.Max(1, (Total + AdminStore.PageSize - 1) / AdminStore.PageSize);

    public bool HasMore => Number < Pages;
}

public sealed record AdminCounts(long Messages, long UnhandledMessages, long VisibleEntries, long WaitingEntries, long HiddenEntries);

/// <summary>What the owner looks for: text in the name, message (or e-mail) and one state, both optional.</summary>
public sealed record AdminSearch(string? Text, string? State)
{
    public const int MaxTextLength = 200;

    public static readonly AdminSearch Everything = new(null, null);

    /// <summary>The search as query-string parameters to append after "?page=N", empty when it is everything.</summary>
    public string Query =>
        (State is null ? "" : $"&state={Uri.EscapeDataString(State)}") + (Text is null ? "" : $"&q={Uri.EscapeDataString(Text)}");

    /// <summary>The search as a whole query string, "?state=…&amp;q=…", empty when it is everything.</summary>
    public string QueryString => Query.Length == 0 ? "" : $"?{Query[1..]}";

    /// <summary>A search from what a form or query string held: blank text is no text, overlong text is cut.</summary>
    public static AdminSearch From(string? text, string? state)
    {
        var trimmed = text?.Trim();
        return new(string.IsNullOrEmpty(trimmed) ? null : trimmed[..Math.Min(trimmed.Length, MaxTextLength)], string.IsNullOrWhiteSpace(state) ? null : state.Trim());
    }

    /// <summary>A LIKE pattern that finds the text literally: its % and _ (and the escape character) are escaped.</summary>
    public string? Pattern => Text is null ? null : $"%{Text.Replace("|", "||", StringComparison.Ordinal).Replace("%", "|%", StringComparison.Ordinal).Replace("_", "|_", StringComparison.Ordinal)}%";
}

/// <summary>The owner's lists and changes: guestbook moderation, the contact inbox and the record of owner actions.</summary>
public sealed partial class AdminStore(Db db, ILogger<AdminStore> logger)
{
    public const int PageSize = 20;
    public const int MaxPage = 1_000_000;

    /// <summary>The most rows one bulk action may name: a few pages' worth.</summary>
    public const int MaxBulk = 500;

    public static readonly ModerationList Guestbook = new(
        "guestbook_entries",
        "id AS Id, name AS Name, message AS Message, created_at AS CreatedAt, hidden AS Hidden, held AS Held",
        ["name", "message"],
        new Dictionary<string, string>
        {
            ["waiting"] = "hidden = 1 AND held = 1",
            ["published"] = "hidden = 0",
            ["hidden"] = "hidden = 1 AND held = 0",
        },
        new Dictionary<string, Change>
        {
            ["publish"] = new("hidden = 0, held = 0", "published guestbook entry", "published {0} guestbook entries"),
            ["restore"] = new("hidden = 0, held = 0", "restored guestbook entry", "restored {0} guestbook entries"),
            ["hide"] = new("hidden = 1, held = 0", "hid guestbook entry", "hid {0} guestbook entries"),
            ["delete"] = new(null, "deleted guestbook entry", "deleted {0} guestbook entries"),
        });

    public static readonly ModerationList Messages = new(
        "contact_messages",
        "id AS Id, name AS Name, email AS Email, message AS Message, created_at AS CreatedAt, handled AS Handled",
        ["name", "email", "message"],
        new Dictionary<string, string>
        {
            ["unhandled"] = "handled = 0",
            ["handled"] = "handled = 1",
        },
        new Dictionary<string, Change>
        {
            ["handled"] = new("handled = 1", "marked message handled", "marked {0} messages handled"),
            ["unhandled"] = new("handled = 0", "marked message not handled", "marked {0} messages not handled"),
            ["delete"] = new(null, "deleted message", "deleted {0} messages"),
        });

    /// <summary>One change the owner can make to rows: an assignment, or deletion when <see cref="Set"/> is null.</summary>
    public sealed record Change(string? Set, string One, string Many);

    /// <summary>A table the owner searches, filters by state and changes in bulk.</summary>
    public sealed record ModerationList(
        string Table, string Columns, IReadOnlyList<string> Searched, IReadOnlyDictionary<string, string> States, IReadOnlyDictionary<string, Change> Changes)
    {
        /// <summary>The WHERE clause for a search; its only parameter is @pattern, and the state is one of ours, never the caller's text.</summary>
        public string Where(AdminSearch search)
        {
            var conditions = new List<string>();
            if (search.State is { } state)
            {
                conditions.Add(States[state]);
            }

            if (search.Text is not null)
            {
                conditions.Add($"({string.Join(" OR ", Searched.Select(column => $"{column} LIKE @pattern ESCAPE '|'"))})");
            }

            return conditions.Count == 0 ? "" : $"WHERE {string.Join(" AND ", conditions)}";
        }
    }

    public Task<AdminResults<ContactMessage>> MessagesAsync(AdminSearch search, int page, CancellationToken cancellationToken) =>
        SearchAsync<ContactMessage>(Messages, search, page, cancellationToken);

    public Task<AdminResults<ModeratedEntry>> GuestbookAsync(AdminSearch search, int page, CancellationToken cancellationToken) =>
        SearchAsync<ModeratedEntry>(Guestbook, search, page, cancellationToken);

    /// <summary>The guestbook entries or messages with these ids, for a confirmation that names them.</summary>
    public Task<IReadOnlyList<T>> FindAsync<T>(ModerationList list, IReadOnlyCollection<long> ids, CancellationToken cancellationToken) =>
        db.RunAsync($"admin.find_{list.Table}", async connection => ids.Count == 0 ? [] : (IReadOnlyList<T>)(await connection.QueryAsync<T>(new CommandDefinition(
            $"SELECT {list.Columns} FROM {list.Table} WHERE id IN @ids ORDER BY id DESC", new { ids }, cancellationToken: cancellationToken))).ToList(),
            cancellationToken);

    public Task<AdminCounts> CountsAsync(CancellationToken cancellationToken) =>
        db.RunAsync("admin.counts", connection => connection.QuerySingleAsync<AdminCounts>(new CommandDefinition(
            $"""
            SELECT (SELECT COUNT(*) FROM contact_messages) AS Messages,
                   (SELECT COUNT(*) FROM contact_messages WHERE {Messages.States["unhandled"]}) AS UnhandledMessages,
                   (SELECT COUNT(*) FROM guestbook_entries WHERE {Guestbook.States["published"]}) AS VisibleEntries,
                   (SELECT COUNT(*) FROM guestbook_entries WHERE {Guestbook.States["waiting"]}) AS WaitingEntries,
                   (SELECT COUNT(*) FROM guestbook_entries WHERE {Guestbook.States["hidden"]}) AS HiddenEntries
            """, cancellationToken: cancellationToken)), cancellationToken);

    public Task<AdminPage<OwnerAction>> ActivityAsync(int page, CancellationToken cancellationToken) =>
        db.RunAsync("admin.activity", async connection =>
        {
            var rows = (await connection.QueryAsync<OwnerAction>(new CommandDefinition(
                """
                SELECT id AS Id, done_at AS DoneAt, actor AS Actor, action AS Action, subject AS Subject
                FROM owner_actions ORDER BY id DESC LIMIT @take OFFSET @skip
                """,
                new { take = PageSize + 1, skip = (long)(page - 1) * PageSize }, cancellationToken: cancellationToken))).ToList();
            return new AdminPage<OwnerAction>(rows.Take(PageSize).ToList(), page, rows.Count > PageSize);
        }, cancellationToken);

    /// <returns>False when there is no such message.</returns>
    public async Task<bool> SetHandledAsync(long id, bool handled, string actor, CancellationToken cancellationToken) =>
        (await ChangeAsync(Messages, handled ? "handled" : "unhandled", [id], actor, cancellationToken)).Count == 1;

    /// <returns>False when there is no such entry.</returns>
    public async Task<bool> SetHiddenAsync(long id, bool hidden, string actor, CancellationToken cancellationToken) =>
        (await ChangeAsync(Guestbook, hidden ? "hide" : "publish", [id], actor, cancellationToken)).Count == 1;

    /// <summary>A page number from a query string, clamped to the pages there can be.</summary>
    /// <remarks>Razor Pages binds it under an explicit name: "page" is also its own route value, the page's path.</remarks>
    public static int ClampPage(int? page) => Math.Clamp(page ?? 1, 1, MaxPage);

    /// <summary>
    /// Makes one of <paramref name="list"/>'s changes to the rows with these ids, and records it as one owner action
    /// naming the rows it changed. Ids of rows that aren't there (deleted meanwhile, or never in this table) are skipped.
    /// </summary>
    /// <returns>The ids of the rows changed, lowest first.</returns>
    public async Task<IReadOnlyList<long>> ChangeAsync(
        ModerationList list, string change, IReadOnlyCollection<long> ids, string actor, CancellationToken cancellationToken)
    {
        var spec = list.Changes[change];
        if (ids.Count == 0)
        {
            return [];
        }

        var changed = await db.RunAsync($"admin.{change}_{list.Table}", async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var found = (await connection.QueryAsync<long>(new CommandDefinition(
                $"SELECT id FROM {list.Table} WHERE id IN @ids ORDER BY id FOR UPDATE", new { ids }, transaction, cancellationToken: cancellationToken))).ToList();
            if (found.Count == 0)
            {
                return found;
            }

            await connection.ExecuteAsync(new CommandDefinition(
                spec.Set is null ? $"DELETE FROM {list.Table} WHERE id IN @found" : $"UPDATE {list.Table} SET {spec.Set} WHERE id IN @found",
                new { found }, transaction, cancellationToken: cancellationToken));
            await OwnerActions.RecordAsync(
                transaction, actor, found.Count == 1 ? spec.One : string.Format(System.Globalization.CultureInfo.InvariantCulture, spec.Many, found.Count),
                string.Join(", ", found.Select(id => $"#{id}")), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return found;
        }, cancellationToken);
        if (changed.Count > 0)
        {
            LogChanged(logger, actor, list.Table, change, changed.Count, changed);
        }

        return changed;
    }

    /// <summary>
    /// Records the export of the messages matching <paramref name="search"/> as an owner action, then hands them to
    /// <paramref name="write"/> one by one as they come from the database, newest first, none of them held in memory.
    /// </summary>
    public Task ExportMessagesAsync(AdminSearch search, string actor, Func<IAsyncEnumerable<ContactMessage>, Task> write, CancellationToken cancellationToken) =>
        db.RunAsync("admin.export_messages", async connection =>
        {
            var where = Messages.Where(search);
            var parameters = new { pattern = search.Pattern };
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
            {
                var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    $"SELECT COUNT(*) FROM contact_messages {where}", parameters, transaction, cancellationToken: cancellationToken));
                await OwnerActions.RecordAsync(transaction, actor, "exported messages",
                    $"{count} {(count == 1 ? "message" : "messages")}{(search.State is { } state ? $", {state}" : "")}{(search.Text is { } text ? $", search \"{text}\"" : "")}",
                    cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }

            await write(connection.QueryUnbufferedAsync<ContactMessage>(
                $"SELECT {Messages.Columns} FROM contact_messages {where} ORDER BY id DESC", parameters));
            return true;
        }, cancellationToken);

    /// <summary>Page <paramref name="page"/> of the rows matching <paramref name="search"/>, whose state must be one of the list's.</summary>
    public Task<AdminResults<T>> SearchAsync<T>(ModerationList list, AdminSearch search, int page, CancellationToken cancellationToken) =>
        db.RunAsync($"admin.search_{list.Table}", async connection =>
        {
            var where = list.Where(search);
            var parameters = new { pattern = search.Pattern, take = PageSize, skip = (long)(page - 1) * PageSize };
            var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"SELECT COUNT(*) FROM {list.Table} {where}", parameters, cancellationToken: cancellationToken));
            var rows = (await connection.QueryAsync<T>(new CommandDefinition(
                $"SELECT {list.Columns} FROM {list.Table} {where} ORDER BY id DESC LIMIT @take OFFSET @skip",
                parameters, cancellationToken: cancellationToken))).ToList();
            return new AdminResults<T>(rows, page, total);
        }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, EventName = "AdminChange", Message = "Admin {AdminUser} made {Change} to {Table} rows {RowIds} ({RowCount})")]
    private static partial void LogChanged(ILogger logger, string adminUser, string table, string change, int rowCount, IReadOnlyList<long> rowIds);
}
