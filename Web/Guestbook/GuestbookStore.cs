using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Site.Web.Data;
using Site.Web.Notifications;
using Site.Web.Owner;

namespace Site.Web.Guestbook;

public sealed class GuestbookStore(Db db, OwnerMail ownerMail, TimeProvider clock, IOptions<ReadCacheOptions> readCache)
{
    private readonly CachedRead<GuestbookPage> newest = new(clock, readCache);

    private const string Columns = "id AS Id, name AS Name, message AS Message, created_at AS CreatedAt, hidden AS Hidden";

    // Visible entries through the (hidden, id) index as a range. Left to itself MariaDB picks a "ref" on hidden = 0
    // alone and walks every newer entry to reach a cursor: 1 s for a page half-way through a million entries
    // instead of 0.1 ms (docs/benchmarks.md).
    private const string Visible = "guestbook_entries FORCE INDEX (ix_guestbook_visible) WHERE hidden = 0";

    /// <summary>
    /// Stores an entry, published or waiting for review as the owner's setting says, or finds the one stored earlier
    /// with the same idempotency key. A waiting entry is mailed to the owner in the same transaction if they asked.
    /// </summary>
    /// <returns>The entry as committed; <see cref="GuestbookEntry.Hidden"/> when it waits for review.</returns>
    public async Task<GuestbookEntry> AddAsync(string name, string message, string? idempotencyKey, CancellationToken cancellationToken)
    {
        // The owner's choice is read in the same operation: a failure is the post's (guestbook.add) for on-call.
        var entry = await db.RunAsync("guestbook.add", async connection =>
        {
            var current = await SiteSettings.GetAsync(connection, cancellationToken);
            var held = current.HoldGuestbookEntries;
            // A waiting entry is hidden too, so that no query for the public can show it (migration 0040).
            return await IdempotentInsert.RunAsync<GuestbookEntry>(
                connection,
                "INSERT INTO guestbook_entries (name, message, idempotency_key, hidden, held) VALUES (@name, @message, @idempotencyKey, @held, @held)",
                $"SELECT {Columns} FROM guestbook_entries", new { name, message, idempotencyKey, held }, idempotencyKey,
                transaction => held && current.NotifyWaitingEntries
                    ? ownerMail.EnqueueAsync(transaction, $"Guestbook entry from {name} waiting for review", WaitingMailBody(name, message), null, cancellationToken)
                    : Task.CompletedTask,
                cancellationToken);
        }, cancellationToken);

        // Readers on this task see the entry at once; other tasks within the lifetime, or at once for its author (NewestAsync).
        newest.Changed();
        return entry;
    }

    private static string WaitingMailBody(string name, string message) => $"""
        {name} wrote in the guestbook:

        {message}

        It waits for your review: publish, hide or delete it in /admin/guestbook.
        """;

    public Task<GuestbookEntry?> FindAsync(long id, CancellationToken cancellationToken) =>
        db.RunAsync("guestbook.find", connection => connection.QuerySingleOrDefaultAsync<GuestbookEntry>(new CommandDefinition(
            $"SELECT {Columns} FROM guestbook_entries WHERE id = @id AND hidden = 0", new { id }, cancellationToken: cancellationToken)), cancellationToken);

    /// <summary>
    /// A screen of visible entries, newest first: the newest ones, those older than <paramref name="before"/>,
    /// or those newer than <paramref name="after"/>. Keyset paging keeps every screen as cheap as the first,
    /// however many entries there are.
    /// </summary>
    public Task<GuestbookPage> PageAsync(long? before, long? after, CancellationToken cancellationToken) =>
        before is null && after is null
            ? NewestAsync(null, cancellationToken)
            : db.RunAsync("guestbook.page", connection => PageAsync(connection, before, after, cancellationToken), cancellationToken);

    /// <summary>
    /// The newest screen, which nearly every view and API read asks for, as this task last read it (<see cref="CachedRead{T}"/>),
    /// unless it lacks <paramref name="posted"/>, an entry that belongs on it: its author, redirected here by another task, sees it at once.
    /// </summary>
    public Task<GuestbookPage> NewestAsync(long? posted, CancellationToken cancellationToken) =>
        newest.GetAsync(
            () => db.RunAsync("guestbook.page", connection => PageAsync(connection, null, null, cancellationToken), cancellationToken),
            page => !Lacks(page, posted));

    private static async Task<GuestbookPage> PageAsync(MySqlConnection connection, long? before, long? after, CancellationToken cancellationToken)
    {
        const int size = GuestbookRules.PageSize;
        var newestFirst = after is null;
        var rows = (await connection.QueryAsync<GuestbookEntry>(new CommandDefinition(
            newestFirst
                ? $"SELECT {Columns} FROM {Visible} AND id < @cursor ORDER BY id DESC LIMIT @take"
                : $"SELECT {Columns} FROM {Visible} AND id > @cursor ORDER BY id ASC LIMIT @take",
            new { cursor = before ?? after ?? long.MaxValue, take = size + 1 }, cancellationToken: cancellationToken))).ToList();

        var more = rows.Count > size;
        var entries = rows.Take(size).ToList();
        if (!newestFirst)
        {
            entries.Reverse();
        }

        if (entries.Count == 0)
        {
            return new GuestbookPage(entries, null, null);
        }

        // The direction we came from is known to continue only if something visible is still there.
        var hasNewer = newestFirst ? before is not null && await AnyAsync(connection, "id > @id", entries[0].Id, cancellationToken) : more;
        var hasOlder = newestFirst ? more : await AnyAsync(connection, "id < @id", entries[^1].Id, cancellationToken);
        return new GuestbookPage(entries, hasNewer ? entries[0].Id : null, hasOlder ? entries[^1].Id : null);
    }

    /// <summary>
    /// Whether <paramref name="posted"/> belongs on this screen but is not on it. Newer than all it holds is not enough:
    /// ids are handed out before commits, so a read can see a later entry and miss an earlier one still being stored.
    /// </summary>
    private static bool Lacks(GuestbookPage page, long? posted) =>
        posted is { } id && !page.Entries.Any(e => e.Id == id) && (page.OlderCursor is null || id > page.Entries[^1].Id);

    /// <summary>
    /// Page <paramref name="page"/> (from 1) of visible entries, newest first, for API clients that count pages,
    /// with the cursors that continue from it. An OFFSET costs a walk of the index up to it, which is why the API
    /// caps page numbers and links onwards with cursors.
    /// </summary>
    public Task<GuestbookPage> NumberedPageAsync(int page, CancellationToken cancellationToken) =>
        page == 1 ? NewestAsync(null, cancellationToken) : db.RunAsync("guestbook.numbered_page", async connection =>
        {
            const int size = GuestbookRules.PageSize;
            var rows = (await connection.QueryAsync<GuestbookEntry>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM guestbook_entries
            JOIN (SELECT id AS page_id FROM {Visible} ORDER BY id DESC LIMIT @take OFFSET @skip) AS p ON p.page_id = id
            ORDER BY id DESC
            """,
            new { take = size + 1, skip = (page - 1) * size }, cancellationToken: cancellationToken))).ToList();
            var entries = rows.Take(size).ToList();
            return new GuestbookPage(
                entries,
                page > 1 && entries.Count > 0 ? entries[0].Id : null,
                rows.Count > size ? entries[^1].Id : null);
        }, cancellationToken);

    private static Task<bool> AnyAsync(MySqlConnection connection, string condition, long id, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"SELECT EXISTS (SELECT 1 FROM {Visible} AND {condition})", new { id }, cancellationToken: cancellationToken));
}
