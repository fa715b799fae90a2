using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Site.Web.Data;
using Site.Web.Hosting;
using Site.Web.Owner;

namespace Site.Web.Content;

/// <summary>A page as stored: <see cref="Version"/> counts its saves.</summary>
public sealed record SitePage(
    long Id, string Slug, bool Fixed, string Title, string Description, string Body,
    bool InMenu, int MenuOrder, bool Published, int Version, DateTime UpdatedAt, string UpdatedBy)
{
    public const string HomeSlug = "home";

    /// <summary>The home page is always in the menu, as its first link, and always published, as the fixed pages are.</summary>
    public bool IsHome => Slug == HomeSlug;

    /// <summary>Where visitors find the page.</summary>
    public string Path => PathOf(Slug);

    public static string PathOf(string slug) => slug == HomeSlug ? "/" : $"/{slug}";
}

/// <summary>What the owner typed into the page form.</summary>
public sealed record PageDraft(string Slug, string Title, string Description, string Body, bool InMenu, int MenuOrder, bool Published);

public sealed record PageVersion(int Version, string Title, DateTime SavedAt, string SavedBy);

public sealed record MenuLink(string Slug, string Title)
{
    public string Path => SitePage.PathOf(Slug);
}

public enum SaveOutcome
{
    Saved,

    /// <summary>The page was saved by someone else since the version the change was based on.</summary>
    Stale,
    SlugTaken,
    NotFound,
}

public sealed record SaveResult(SaveOutcome Outcome, long Id = 0, int Version = 0);

/// <summary>
/// The owner's pages. What visitors see (published pages and the menu) is one read of every published page, which each
/// task serves for up to <see cref="ReadCacheOptions.LifetimeMs"/> (<see cref="CachedRead{T}"/>): the layout shows the
/// menu on every page, so a query per view would be the site's commonest query. An owner's save shows at once on the
/// task that made it, and on every other within the lifetime.
/// </summary>
public sealed partial class PageStore(Db db, TimeProvider clock, IOptions<ReadCacheOptions> readCache, ILogger<PageStore> logger)
{
    private const string Columns =
        "id AS Id, slug AS Slug, fixed AS Fixed, title AS Title, description AS Description, body AS Body, in_menu AS InMenu, " +
        "menu_order AS MenuOrder, published AS Published, version AS Version, updated_at AS UpdatedAt, updated_by AS UpdatedBy";

    /// <summary>Every published page, in the menu's order, and the menu.</summary>
    private sealed record Published(IReadOnlyList<SitePage> Pages, IReadOnlyDictionary<string, SitePage> BySlug, IReadOnlyList<MenuLink> Menu);

    private readonly CachedRead<Published> published = new(clock, readCache);

    private Task<Published> PublishedPagesAsync(CancellationToken cancellationToken) =>
        published.GetAsync(() => db.RunAsync("pages.published", async connection =>
        {
            var pages = (await connection.QueryAsync<SitePage>(new CommandDefinition(
                $"SELECT {Columns} FROM pages WHERE published = TRUE ORDER BY menu_order, title", cancellationToken: cancellationToken))).ToList();
            return new Published(
                pages,
                pages.ToDictionary(page => page.Slug, StringComparer.OrdinalIgnoreCase),
                [.. pages.Where(page => page.InMenu && !page.IsHome).Select(page => new MenuLink(page.Slug, page.Title))]);
        }, cancellationToken));

    public async Task<SitePage?> PublishedAsync(string slug, CancellationToken cancellationToken) =>
        (await PublishedPagesAsync(cancellationToken)).BySlug.GetValueOrDefault(slug);

    public Task<SitePage?> FindAsync(long id, CancellationToken cancellationToken) =>
        db.RunAsync("pages.find", connection => connection.QuerySingleOrDefaultAsync<SitePage?>(new CommandDefinition(
            $"SELECT {Columns} FROM pages WHERE id = @id", new { id }, cancellationToken: cancellationToken)), cancellationToken);

    /// <summary>Every page, the fixed ones first, for the owner's list.</summary>
    public Task<IReadOnlyList<SitePage>> AllAsync(CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<SitePage>>("pages.all", async connection => (await connection.QueryAsync<SitePage>(new CommandDefinition(
            $"SELECT {Columns} FROM pages ORDER BY fixed DESC, menu_order, title", cancellationToken: cancellationToken))).ToList(), cancellationToken);

    /// <summary>Published pages for the sitemap, the home page among them.</summary>
    public async Task<IReadOnlyList<SitePage>> AllPublishedAsync(CancellationToken cancellationToken) =>
        (await PublishedPagesAsync(cancellationToken)).Pages;

    /// <summary>
    /// The published pages the owner put in the site's menu, in the owner's order. Empty while the database is not
    /// answering: the layout still shows the fixed links, and a page that answers 503 for it still renders.
    /// </summary>
    public async Task<IReadOnlyList<MenuLink>> MenuAsync(HttpContext request, CancellationToken cancellationToken)
    {
        // A page that already found the database unavailable (down, or every pooled connection busy) renders at once
        // rather than waiting for it a second time.
        if (RequestRecord.Of(request).Failure is { } failure && DatabaseErrors.IsUnavailable(failure))
        {
            return [];
        }

        try
        {
            return (await PublishedPagesAsync(cancellationToken)).Menu;
        }
        catch (Exception exception) when (DatabaseErrors.IsUnavailable(exception))
        {
            return [];
        }
    }

    public Task<IReadOnlyList<PageVersion>> VersionsAsync(long id, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<PageVersion>>("pages.versions", async connection => (await connection.QueryAsync<PageVersion>(new CommandDefinition(
            "SELECT version AS Version, title AS Title, saved_at AS SavedAt, saved_by AS SavedBy FROM page_versions WHERE page_id = @id ORDER BY version DESC",
            new { id }, cancellationToken: cancellationToken))).ToList(), cancellationToken);

    public Task<SaveResult> CreateAsync(PageDraft draft, string actor, CancellationToken cancellationToken) =>
        WriteAsync("pages.create", async (connection, transaction) =>
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO pages (slug, title, description, body, in_menu, menu_order, published, updated_by)
                VALUES (@Slug, @Title, @Description, @Body, @InMenu, @MenuOrder, @Published, @actor);
                SELECT LAST_INSERT_ID();
                """,
                new { draft.Slug, draft.Title, draft.Description, draft.Body, draft.InMenu, draft.MenuOrder, draft.Published, actor },
                transaction, cancellationToken: cancellationToken));
            await KeepVersionAsync(transaction, id, cancellationToken);
            await OwnerActions.RecordAsync(transaction, actor, "created page", SitePage.PathOf(draft.Slug), cancellationToken);
            return new SaveResult(SaveOutcome.Saved, id, 1);
        }, cancellationToken);

    /// <summary>Saves the page if it is still at <paramref name="expectedVersion"/>. A fixed page keeps its address.</summary>
    public Task<SaveResult> UpdateAsync(long id, PageDraft draft, int expectedVersion, string actor, CancellationToken cancellationToken) =>
        WriteAsync("pages.update", async (connection, transaction) =>
        {
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE pages SET slug = IF(fixed, slug, @Slug), title = @Title, description = @Description, body = @Body,
                    in_menu = @InMenu, menu_order = @MenuOrder, published = fixed OR @Published,
                    version = version + 1, updated_at = CURRENT_TIMESTAMP(6), updated_by = @actor
                WHERE id = @id AND version = @expectedVersion
                """,
                new { id, expectedVersion, draft.Slug, draft.Title, draft.Description, draft.Body, draft.InMenu, draft.MenuOrder, draft.Published, actor },
                transaction, cancellationToken: cancellationToken));
            return changed == 0
                ? await MissedAsync(transaction, id, cancellationToken)
                : await SavedAsync(transaction, id, actor, "edited page", cancellationToken);
        }, cancellationToken);

    /// <summary>Saves an older version's title, description and text again, as the newest version; the address, menu place and status stay.</summary>
    public Task<SaveResult> RestoreAsync(long id, int version, int expectedVersion, string actor, CancellationToken cancellationToken) =>
        WriteAsync("pages.restore", async (connection, transaction) =>
        {
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE pages p JOIN page_versions v ON v.page_id = p.id AND v.version = @version
                SET p.title = v.title, p.description = v.description, p.body = v.body,
                    p.version = p.version + 1, p.updated_at = CURRENT_TIMESTAMP(6), p.updated_by = @actor
                WHERE p.id = @id AND p.version = @expectedVersion
                """,
                new { id, version, expectedVersion, actor }, transaction, cancellationToken: cancellationToken));
            return changed == 0
                ? await MissedAsync(transaction, id, cancellationToken)
                : await SavedAsync(transaction, id, actor, $"restored page version {version}", cancellationToken);
        }, cancellationToken);

    /// <returns>False when there is no such page, or it is one of the fixed pages.</returns>
    public async Task<bool> DeleteAsync(long id, string actor, CancellationToken cancellationToken)
    {
        var result = await WriteAsync("pages.delete", async (connection, transaction) =>
        {
            var slug = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
                "SELECT slug FROM pages WHERE id = @id AND fixed = FALSE FOR UPDATE", new { id }, transaction, cancellationToken: cancellationToken));
            if (slug is null)
            {
                return new SaveResult(SaveOutcome.NotFound);
            }

            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM pages WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
            await OwnerActions.RecordAsync(transaction, actor, "deleted page", SitePage.PathOf(slug), cancellationToken);
            return new SaveResult(SaveOutcome.Saved, id);
        }, cancellationToken);
        return result.Outcome == SaveOutcome.Saved;
    }

    private Task<SaveResult> WriteAsync(string operation, Func<MySqlConnection, MySqlTransaction, Task<SaveResult>> work, CancellationToken cancellationToken) =>
        db.RunAsync(operation, async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            SaveResult result;
            try
            {
                result = await work(connection, transaction);
            }
            catch (MySqlException exception) when (exception.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
            {
                return new SaveResult(SaveOutcome.SlugTaken);
            }

            if (result.Outcome == SaveOutcome.Saved)
            {
                await transaction.CommitAsync(cancellationToken);
                published.Changed();
                LogSaved(logger, operation, result.Id, result.Version);
            }

            return result;
        }, cancellationToken);

    private static async Task<SaveResult> SavedAsync(MySqlTransaction transaction, long id, string actor, string action, CancellationToken cancellationToken)
    {
        var version = await KeepVersionAsync(transaction, id, cancellationToken);
        var slug = await transaction.Connection!.QuerySingleAsync<string>(new CommandDefinition(
            "SELECT slug FROM pages WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        await OwnerActions.RecordAsync(transaction, actor, action, SitePage.PathOf(slug), cancellationToken);
        return new SaveResult(SaveOutcome.Saved, id, version);
    }

    /// <summary>Copies the page as it now is into its versions.</summary>
    private static async Task<int> KeepVersionAsync(MySqlTransaction transaction, long id, CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO page_versions (page_id, version, title, description, body, saved_at, saved_by)
            SELECT id, version, title, description, body, updated_at, updated_by FROM pages WHERE id = @id
            """, new { id }, transaction, cancellationToken: cancellationToken));
        return await connection.QuerySingleAsync<int>(new CommandDefinition(
            "SELECT version FROM pages WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Why an update matched no row: the page is gone, or it has moved on from the expected version.</summary>
    private static async Task<SaveResult> MissedAsync(MySqlTransaction transaction, long id, CancellationToken cancellationToken) =>
        await transaction.Connection!.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT version FROM pages WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken)) is { } current
            ? new SaveResult(SaveOutcome.Stale, id, current)
            : new SaveResult(SaveOutcome.NotFound);

    [LoggerMessage(Level = LogLevel.Information, EventName = "PageSaved", Message = "{DbOperation} page {PageId} now at version {PageVersion}")]
    private static partial void LogSaved(ILogger logger, string dbOperation, long pageId, int pageVersion);
}
