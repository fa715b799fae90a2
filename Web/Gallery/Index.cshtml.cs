using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Site.Web.Gallery;

public sealed class IndexModel(GalleryStore store) : PageModel
{
    public IReadOnlyList<GalleryItem> Pictures { get; private set; } = [];

    public IReadOnlyList<GalleryItem> Videos { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var items = await store.VisibleAsync(cancellationToken);
        Pictures = items.Where(i => i.Kind == GalleryKind.Image).ToList();
        Videos = items.Where(i => i.Kind == GalleryKind.Video).ToList();
    }
}
