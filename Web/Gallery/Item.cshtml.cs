using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Site.Web.Gallery;

/// <summary>One picture or video, large, with links to its neighbours: the gallery as plain pages, for browsers without script.</summary>
public sealed class ItemModel(GalleryStore store) : PageModel
{
    public GalleryNeighbours Shown { get; private set; } = null!;

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
