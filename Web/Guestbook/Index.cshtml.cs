using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Site.Web.Common;
using Site.Web.Data;
using Site.Web.Hosting;

namespace Site.Web.Guestbook;

// The token is checked in OnPostAsync, which redisplays the form with the visitor's text when it was lost.
[EnableRateLimiting(RateLimits.Writes)]
[IgnoreAntiforgeryToken]
public sealed class IndexModel(GuestbookStore store, ILogger<IndexModel> logger) : VisitorFormPage<VisitorForm>(logger)
{
    public const string KeyReused =
        "This form already posted a different entry, which is in the guestbook; the text below was not posted. Post it again to add it as an entry of its own.";

    /// <summary>
    /// An entry as the list shows it (the page's Entry function). Without an id it is the template the page's script fills in for an
    /// entry it has just posted, so the entry's markup is written once.
    /// </summary>
    public sealed record ListedEntry(long? Id, string Name, string Message, DateTime CreatedAt, bool Posted)
    {
        public static ListedEntry Template => new(null, "", "", DateTime.UtcNow, Posted: true);
    }

    public GuestbookPage? Entries { get; private set; }

    /// <summary>The entry the visitor just posted, highlighted in the list.</summary>
    public long? Posted { get; private set; }

    /// <summary>The visitor's entry was stored and waits for review, so it is not in the list.</summary>
    public bool Received { get; private set; }

    public bool DatabaseUnavailable { get; private set; }

    /// <summary>The id a visitor quotes when the entries can't be shown.</summary>
    public string QuoteId => StatusText.QuoteId(HttpContext);

    protected override string FormName => "guestbook";

    protected override string HoneypotTarget => "/guestbook";

    protected override string KeyReusedMessage => KeyReused;

    protected override string UnavailableMessage =>
        "We couldn't save your message because the database isn't answering. Your text is still here; please try again in a few seconds.";

    public async Task OnGetAsync(long? before, long? after, long? posted, bool received, CancellationToken cancellationToken)
    {
        Form.IdempotencyKey = IdempotencyKey.New();
        Posted = posted;
        Received = received;
        await LoadEntriesAsync(before, after, cancellationToken, posted);
    }

    protected override Store Validate(InputValidator validator)
    {
        var (name, message) = GuestbookRules.Validate(validator, Form.Name, Form.Message);
        return async (idempotencyKey, cancellationToken) =>
        {
            var entry = await store.AddAsync(name, message, idempotencyKey, cancellationToken);
            return !entry.Holds(name, message) ? null
                : entry.Hidden ? "/guestbook?received=true#sign-title"
                : $"/guestbook?posted={entry.Id}#entry-{entry.Id}";
        };
    }

    protected override Task LoadAsync(CancellationToken cancellationToken) => LoadEntriesAsync(null, null, cancellationToken);

    private async Task LoadEntriesAsync(long? before, long? after, CancellationToken cancellationToken, long? posted = null)
    {
        try
        {
            Entries = before is null && after is null ? await store.NewestAsync(posted, cancellationToken) : await store.PageAsync(before, after, cancellationToken);
        }
        catch (Exception exception) when (DatabaseErrors.IsUnavailable(exception))
        {
            // The form still works when the database is back; only the list is missing.
            DatabaseUnavailable = true;
            this.AnswerDatabaseUnavailable();
        }
    }
}
