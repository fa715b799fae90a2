using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Site.Web.Data;
using Site.Web.Owner;

namespace Site.Web.Gallery;

/// <summary>
/// The gallery's items in the database; every owner change is recorded with <see cref="OwnerActions"/>. What visitors
/// see is read once per <see cref="ReadCacheOptions.LifetimeMs"/> per task (<see cref="CachedRead{T}"/>): the owner's
/// change shows at once on the task that made it, on every other within the lifetime.
/// </summary>
public sealed class GalleryStore(Db db, TimeProvider clock, IOptions<ReadCacheOptions> readCache)
{
    private readonly CachedRead<IReadOnlyList<GalleryItem>> visible = new(clock, readCache);

    private const string Columns = """
        SELECT id AS Id, kind AS Kind, caption AS Caption, alt_text AS AltText, position AS Position, hidden AS Hidden,
               width AS Width, height AS Height, original_key AS OriginalKey, sizes AS Sizes, sources AS Sources, created_at AS CreatedAt
        FROM gallery_items
        """;

    private const string InOrder = "ORDER BY position, id";

    public enum Direction
    {
        Up,
        Down,
    }

    /// <summary>What visitors see, in the owner's order.</summary>
    public Task<IReadOnlyList<GalleryItem>> VisibleAsync(CancellationToken cancellationToken) =>
        visible.GetAsync(() => ListAsync("gallery.visible", $"{Columns} WHERE hidden = 0 {InOrder}", cancellationToken));

    /// <summary>Everything, hidden items too, for the owner.</summary>
    public Task<IReadOnlyList<GalleryItem>> AllAsync(CancellationToken cancellationToken) =>
        ListAsync("gallery.all", $"{Columns} {InOrder}", cancellationToken);

    /// <returns>Null when there is no such visible item.</returns>
    public async Task<GalleryNeighbours?> VisibleWithNeighboursAsync(long id, CancellationToken cancellationToken)
    {
        // A gallery is tens of items, not thousands: reading them all is one small query and keeps the order in one place.
        var items = await VisibleAsync(cancellationToken);
        var index = items.ToList().FindIndex(i => i.Id == id);
        return index < 0 ? null : new GalleryNeighbours(
            items[index], index > 0 ? items[index - 1].Id : null, index < items.Count - 1 ? items[index + 1].Id : null, index + 1, items.Count);
    }

    public Task<long> AddAsync(GalleryItem item, string actor, CancellationToken cancellationToken) =>
        db.RunAsync("gallery.add", async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO gallery_items (kind, caption, alt_text, position, width, height, original_key, sizes, sources)
                SELECT @kind, @Caption, @AltText, COALESCE(MAX(position), 0) + 1, @Width, @Height, @OriginalKey, @sizes, @sources FROM gallery_items;
                SELECT LAST_INSERT_ID();
                """,
                new
                {
                    kind = Kind(item.Kind), item.Caption, item.AltText, item.Width, item.Height, item.OriginalKey,
                    sizes = JsonSerializer.Serialize(item.Sizes, GalleryJson.Default.IReadOnlyListStoredSize),
                    sources = JsonSerializer.Serialize(item.Sources, GalleryJson.Default.IReadOnlyListVideoSource),
                },
                transaction, cancellationToken: cancellationToken));
            await OwnerActions.RecordAsync(transaction, actor, $"added gallery {Kind(item.Kind)}", $"#{id} {item.Caption}", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            visible.Changed();
            return id;
        }, cancellationToken);

    /// <returns>False when there is no such item.</returns>
    public Task<bool> EditAsync(long id, string caption, string altText, string actor, CancellationToken cancellationToken) =>
        ChangeAsync("gallery.edit", id, "UPDATE gallery_items SET caption = @caption, alt_text = @altText WHERE id = @id",
            new { id, caption, altText }, actor, "edited gallery item", cancellationToken);

    /// <returns>False when there is no such item.</returns>
    public Task<bool> SetHiddenAsync(long id, bool hidden, string actor, CancellationToken cancellationToken) =>
        ChangeAsync("gallery.set_hidden", id, "UPDATE gallery_items SET hidden = @hidden WHERE id = @id",
            new { id, hidden }, actor, hidden ? "hid gallery item" : "showed gallery item", cancellationToken);

    /// <summary>Swaps the item with its neighbour; the first item moved up (or the last down) stays where it is.</summary>
    /// <returns>False when there is no such item.</returns>
    public Task<bool> MoveAsync(long id, Direction direction, string actor, CancellationToken cancellationToken) =>
        db.RunAsync("gallery.move", async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var order = (await connection.QueryAsync<long>(new CommandDefinition(
                $"SELECT id FROM gallery_items {InOrder} FOR UPDATE", transaction: transaction, cancellationToken: cancellationToken))).ToList();
            var index = order.IndexOf(id);
            if (index < 0)
            {
                return false;
            }

            var other = direction == Direction.Up ? index - 1 : index + 1;
            if (other >= 0 && other < order.Count)
            {
                (order[index], order[other]) = (order[other], order[index]);
            }

            // Renumbered from 1 each time, so ties (two uploads at once) cannot make a move do nothing.
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE gallery_items SET position = @position WHERE id = @id",
                order.Select((item, i) => new { id = item, position = i + 1 }), transaction, cancellationToken: cancellationToken));
            await OwnerActions.RecordAsync(transaction, actor, direction == Direction.Up ? "moved gallery item up" : "moved gallery item down",
                $"#{id}", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            visible.Changed();
            return true;
        }, cancellationToken);

    /// <returns>The deleted item, whose files the caller removes; null when there is no such item.</returns>
    public Task<GalleryItem?> DeleteAsync(long id, string actor, CancellationToken cancellationToken) =>
        db.RunAsync("gallery.delete", async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
                $"{Columns} WHERE id = @id FOR UPDATE", new { id }, transaction, cancellationToken: cancellationToken));
            if (row is null)
            {
                return null;
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM gallery_items WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
            await OwnerActions.RecordAsync(transaction, actor, "deleted gallery item", $"#{id} {row.Caption}", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            visible.Changed();
            return row.ToItem();
        }, cancellationToken);

    private static string Kind(GalleryKind kind) => kind == GalleryKind.Video ? "video" : "image";

    private async Task<bool> ChangeAsync(
        string operation, long id, string sql, object parameters, string actor, string action, CancellationToken cancellationToken) =>
        await db.RunAsync(operation, async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // MySqlConnector reports matched rows, so a change to the values the item already has still counts as found.
            if (await connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken)) == 0)
            {
                return false;
            }

            await OwnerActions.RecordAsync(transaction, actor, action, $"#{id}", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            visible.Changed();
            return true;
        }, cancellationToken);

    private Task<IReadOnlyList<GalleryItem>> ListAsync(string operation, string sql, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<GalleryItem>>(operation, async connection =>
            (await connection.QueryAsync<Row>(new CommandDefinition(sql, cancellationToken: cancellationToken))).Select(r => r.ToItem()).ToList(),
            cancellationToken);

    private sealed record Row(
        long Id, string Kind, string Caption, string AltText, int Position, bool Hidden, int Width, int Height,
        string? OriginalKey, string Sizes, string Sources, DateTime CreatedAt)
    {
        public GalleryItem ToItem() => new(
            Id, Kind == "video" ? GalleryKind.Video : GalleryKind.Image, Caption, AltText, Position, Hidden, Width, Height, OriginalKey,
            JsonSerializer.Deserialize(Sizes, GalleryJson.Default.ListStoredSize)!,
            JsonSerializer.Deserialize(Sources, GalleryJson.Default.ListVideoSource)!,
            CreatedAt);
    }
}
