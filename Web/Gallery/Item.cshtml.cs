using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Site.Web.Gallery;

/// <summary>One picture or video, large, with links to its neighbours: the gallery as plain pages, for browsers without script.</summary>
public sealed class ItemModel(GalleryStore store) : PageModel
{
    public GalleryNeighbours Shown { get; private set; } = null!;

    /// <summary>The page has nothing to show but for a GET: other methods are not allowed rather than rendered empty.</summary>
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        if (context.HandlerMethod is null)
        {
            context.Result = StatusCode(StatusCodes.Status405MethodNotAllowed);
        }
    }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        if (await store.VisibleWithNeighboursAsync(id, cancellationToken) is not { } shown)
        {
            return NotFound();
        }

        Shown = shown;
        return Page();
    }
}
