using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Site.Web.Common;
using Site.Web.Data;
using Site.Web.Hosting;

namespace Site.Web.Guestbook;

// The token is checked in OnPostAsync, which redisplays the form with the visitor's text when it was lost.
[EnableRateLimiting(RateLimits.Writes)]
[IgnoreAntiforgeryToken]
public sealed class IndexModel(GuestbookStore store, ILogger<IndexModel> logger) : PageModel
{
    public sealed class FormInput
    {
        public string? Name { get; set; }

        public string? Message { get; set; }

        public string? IdempotencyKey { get; set; }

        public string? Website { get; set; }
    }

    public const string KeyReused =
        "This form already posted a different entry, which is in the guestbook; the text below was not posted. Post it again to add it as an entry of its own.";

    [BindProperty]
    public FormInput Form { get; set; } = new();

    public GuestbookPage? Entries { get; private set; }

    /// <summary>The entry the visitor just posted, highlighted in the list.</summary>
    public long? Posted { get; private set; }

    /// <summary>The visitor's entry was stored and waits for review, so it is not in the list.</summary>
    public bool Received { get; private set; }

    public bool DatabaseUnavailable { get; private set; }

    /// <summary>The id a visitor quotes when the entries can't be shown.</summary>
    public string QuoteId => StatusText.QuoteId(HttpContext);

    public async Task OnGetAsync(long? before, long? after, long? posted, bool received, CancellationToken cancellationToken)
    {
        Form.IdempotencyKey = Common.IdempotencyKey.New();
        Posted = posted;
        Received = received;
        await LoadEntriesAsync(before, after, cancellationToken, posted);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Form.Message = this.Multiline($"{nameof(Form)}.{nameof(FormInput.Message)}", Form.Message);
        if (!await this.FormTokenIsValidAsync())
        {
            return await RedisplayAsync(cancellationToken);
        }

        if (Honeypot.Caught(Form.Website, logger, "guestbook"))
        {
            return Redirect("/guestbook");
        }

        var validator = new InputValidator();
        var (name, message) = GuestbookRules.Validate(validator, Form.Name, Form.Message);
        foreach (var (field, messages) in validator.Errors)
        {
            ModelState.AddModelError($"{nameof(Form)}.{field}", messages[0]);
        }

        if (validator.IsValid)
        {
            try
            {
                var entry = await store.AddAsync(name, message, Common.IdempotencyKey.Normalize(Form.IdempotencyKey), cancellationToken);
                if (entry.Holds(name, message))
                {
                    return Redirect(entry.Hidden ? "/guestbook?received=true#sign-title" : $"/guestbook?posted={entry.Id}#entry-{entry.Id}");
                }

                Form.IdempotencyKey = this.AnswerIdempotencyKeyReused(KeyReused, $"{nameof(Form)}.{nameof(FormInput.IdempotencyKey)}");
                await LoadEntriesAsync(null, null, cancellationToken);
                return Page();
            }
            catch (Exception exception) when (DatabaseErrors.IsUnavailable(exception))
            {
                this.AnswerDatabaseUnavailable("We couldn't save your message because the database isn't answering. Your text is still here; please try again in a few seconds.");
                return Page();
            }
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return await RedisplayAsync(cancellationToken);
    }

    /// <summary>
    /// The form again with what was typed. The same key goes back into it, so fixing a mistake and resubmitting still
    /// stores the entry once.
    /// </summary>
    private async Task<IActionResult> RedisplayAsync(CancellationToken cancellationToken)
    {
        Form.IdempotencyKey = Common.IdempotencyKey.Normalize(Form.IdempotencyKey) ?? Common.IdempotencyKey.New();
        await LoadEntriesAsync(null, null, cancellationToken);
        return Page();
    }

    private async Task LoadEntriesAsync(long? before, long? after, CancellationToken cancellationToken, long? posted = null)
    {
        try
        {
            Entries = before is null && after is null ? await store.NewestAsync(posted, cancellationToken) : await store.PageAsync(before, after, cancellationToken);
        }
        catch (Exception exception) when (DatabaseErrors.IsUnavailable(exception))
        {
            DatabaseUnavailable = true;
            this.AnswerDatabaseUnavailable();
        }
    }
}
