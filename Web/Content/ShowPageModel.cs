using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Site.Web.Common;
using Site.Web.Data;

namespace Site.Web.Content;

/// <summary>A published page for visitors: the home page at /, the owner's others at /{slug}. Drafts and unknown slugs are the site's 404.</summary>
public sealed class ShowPageModel(PageStore store) : PageModel
{
    public SitePage? Shown { get; private set; }

    public HtmlString Body { get; private set; } = HtmlString.Empty;

    public async Task<IActionResult> OnGetAsync([FromRoute] string? slug, CancellationToken cancellationToken)
    {
        // Addresses ignore case, as the site's other routes do. The home page has one, /; /home would be a second.
        slug = slug?.ToLowerInvariant();
        if (slug is not null && (!PageSlugs.IsWellFormed(slug) || slug == SitePage.HomeSlug))
        {
            return NotFound();
        }

        try
        {
            Shown = await store.PublishedAsync(slug ?? SitePage.HomeSlug, cancellationToken);
        }
        catch (Exception exception) when (DatabaseErrors.IsUnavailable(exception))
        {
            this.AnswerDatabaseUnavailable();
            return Page();
        }

        if (Shown is null)
        {
            return NotFound();
        }

        Body = new HtmlString(PageMarkdown.ToHtml(Shown.Body));
        return Page();
    }
}
