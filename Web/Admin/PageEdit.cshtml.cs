using System.Globalization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Site.Web.Common;
using Site.Web.Content;

namespace Site.Web.Admin;

/// <summary>Writes a new page (no id) or edits one, with a preview, its saved versions and, for the owner's own pages, delete.</summary>
/// <remarks>
/// The token is checked in each POST handler: a lost one (cookies cleared, a tab restored) redisplays the form with the
/// owner's text rather than a bare 400 that loses an hour's writing.
/// </remarks>
[IgnoreAntiforgeryToken]
public sealed class PageEditModel(PageStore store, PageSlugs slugs) : PageModel
{
    public const int TitleMaxLength = 120;
    public const int DescriptionMaxLength = 300;

    // A form post is at most 64 KiB: this many characters fit even when every one is sent as six bytes (%C3%A9).
    public const int BodyMaxLength = 10_000;
    public const int MaxMenuOrder = 999;

    public sealed class FormInput
    {
        public string? Slug { get; set; }

        public string? Title { get; set; }

        public string? Description { get; set; }

        public string? Body { get; set; }

        public bool InMenu { get; set; }

        public string? MenuOrder { get; set; }

        public bool Published { get; set; }

        /// <summary>The version the owner's text is based on; a save finding the page at another is refused.</summary>
        public int ExpectedVersion { get; set; }
    }

    [BindProperty]
    public FormInput Form { get; set; } = new();

    /// <summary>The page as saved; null while writing a new one.</summary>
    public SitePage? Saved { get; private set; }

    public IReadOnlyList<PageVersion> Versions { get; private set; } = [];

    public HtmlString? Preview { get; private set; }

    /// <summary>The version just saved, to say so.</summary>
    [FromQuery(Name = "saved")]
    public int? JustSaved { get; set; }

    public async Task<IActionResult> OnGetAsync(long? id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        Form = Saved is { } page ? FormOf(page, page.Version) : new FormInput { MenuOrder = "100" };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long? id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (!await this.FormTokenIsValidAsync())
        {
            return Page();
        }

        if (Validated() is not { } draft)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var actor = User.Identity!.Name!;
        var result = Saved is null
            ? await store.CreateAsync(draft, actor, cancellationToken)
            : await store.UpdateAsync(Saved.Id, draft, Form.ExpectedVersion, actor, cancellationToken);
        return await AnswerAsync(result, cancellationToken);
    }

    /// <summary>Shows the text as visitors would see it, saving nothing.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(long? id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (!await this.FormTokenIsValidAsync())
        {
            return Page();
        }

        Form.Body = Normalized(Form.Body);
        Preview = new HtmlString(PageMarkdown.ToHtml(Form.Body));
        return Page();
    }

    public async Task<IActionResult> OnPostRestoreAsync(long id, int version, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken) || Versions.All(v => v.Version != version))
        {
            return NotFound();
        }

        // Refused as stale, the page is shown as saved: the restore form carries no text of its own.
        Form = FormOf(Saved!, Form.ExpectedVersion);
        if (!await this.FormTokenIsValidAsync())
        {
            return Page();
        }

        return await AnswerAsync(await store.RestoreAsync(id, version, Form.ExpectedVersion, User.Identity!.Name!, cancellationToken), cancellationToken);
    }

    public async Task<IActionResult> OnPostDeleteAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken) || Saved is null)
        {
            return NotFound();
        }

        if (!await this.FormTokenIsValidAsync())
        {
            Form = FormOf(Saved, Saved.Version);
            return Page();
        }

        return await store.DeleteAsync(id, User.Identity!.Name!, cancellationToken)
            ? Redirect($"/admin/pages?deleted={Uri.EscapeDataString(Saved.Path)}")
            : NotFound();
    }

    private static FormInput FormOf(SitePage page, int expectedVersion) => new()
    {
        Slug = page.Slug, Title = page.Title, Description = page.Description, Body = page.Body, InMenu = page.InMenu,
        MenuOrder = page.MenuOrder.ToString(CultureInfo.InvariantCulture), Published = page.Published, ExpectedVersion = expectedVersion,
    };

    private async Task<bool> LoadAsync(long? id, CancellationToken cancellationToken)
    {
        if (id is not { } pageId)
        {
            return true;
        }

        Saved = await store.FindAsync(pageId, cancellationToken);
        if (Saved is null)
        {
            return false;
        }

        Versions = await store.VersionsAsync(pageId, cancellationToken);
        return true;
    }

    private async Task<IActionResult> AnswerAsync(SaveResult result, CancellationToken cancellationToken)
    {
        switch (result.Outcome)
        {
            case SaveOutcome.Saved:
                return Redirect($"/admin/pages/edit/{result.Id}?saved={result.Version}");
            case SaveOutcome.SlugTaken:
                ModelState.AddModelError("Form.Slug", $"Another page already has the address /{Form.Slug?.Trim().ToLowerInvariant()}. Please choose another.");
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            case SaveOutcome.Stale:
                Saved = await store.FindAsync(result.Id, cancellationToken);
                if (Saved is null)
                {
                    return NotFound();
                }

                Versions = await store.VersionsAsync(result.Id, cancellationToken);
                ModelState.AddModelError(string.Empty,
                    $"Not saved: this page was changed by {Saved.UpdatedBy} (now version {Saved.Version}) after you opened it. " +
                    "Your text is still below. Compare it with the saved page, then save again to replace that version with yours.");

                // The next save is based on the version just seen, so it goes through; the posted value would be shown otherwise.
                ModelState.Remove("Form.ExpectedVersion");
                Form.ExpectedVersion = Saved.Version;
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            default:
                return NotFound();
        }
    }

    /// <returns>The page to save, or null with the errors in the model state.</returns>
    private PageDraft? Validated()
    {
        var validator = new InputValidator();
        var title = validator.Text("Title", "a title", Form.Title, TitleMaxLength);
        var description = validator.Text("Description", "a short description", Form.Description, DescriptionMaxLength);
        var body = validator.Text("Body", "the page's text", Normalized(Form.Body), BodyMaxLength, multiline: true);
        foreach (var (field, messages) in validator.Errors)
        {
            ModelState.AddModelError($"Form.{field}", messages[0]);
        }

        var slug = Saved is { Fixed: true } ? Saved.Slug : (Form.Slug ?? "").Trim().ToLowerInvariant();
        if (SlugError(slug) is { } slugError)
        {
            ModelState.AddModelError("Form.Slug", slugError);
        }

        if (!int.TryParse(Form.MenuOrder?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var menuOrder) || menuOrder > MaxMenuOrder)
        {
            ModelState.AddModelError("Form.MenuOrder", $"The menu position must be a whole number from 0 to {MaxMenuOrder}.");
        }

        return ModelState.IsValid ? new PageDraft(slug, title, description, body, Form.InMenu, menuOrder, Form.Published) : null;
    }

    private string? SlugError(string slug)
    {
        if (Saved is { Fixed: true })
        {
            return null;
        }

        if (slug.Length == 0)
        {
            return "Please enter an address for the page, such as opening-times.";
        }

        if (!PageSlugs.IsWellFormed(slug))
        {
            return $"The address can have lower-case letters, digits and single hyphens between them, at most {PageSlugs.MaxLength} characters: such as opening-times.";
        }

        return slugs.IsReserved(slug) ? $"The address /{slug} is already used by the site itself. Please choose another." : null;
    }

    /// <summary>A browser sends line breaks as CRLF; the page keeps plain LF.</summary>
    private static string Normalized(string? text) => (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
}
