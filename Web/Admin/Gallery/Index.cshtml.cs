using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Site.Web.Gallery;

namespace Site.Web.Admin.Gallery;

public sealed class IndexModel(GalleryStore store, GalleryUploads uploads) : PageModel
{
    public IReadOnlyList<GalleryItem> Items { get; private set; } = [];

    /// <summary>The item whose edit was refused, with what the owner typed, shown again with the reason.</summary>
    public RefusedEdit? Refused { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Items = await store.AllAsync(cancellationToken);

    public async Task<IActionResult> OnPostEditAsync(long id, string? caption, string? altText, CancellationToken cancellationToken)
    {
        if (GalleryText.Check(caption, altText) is { } problem)
        {
            Refused = new RefusedEdit(id, caption ?? "", altText ?? "", problem.Message);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Items = await store.AllAsync(cancellationToken);
            return Page();
        }

        return Done(await store.EditAsync(id, caption!.Trim(), altText!.Trim(), Owner, cancellationToken), id);
    }

    public async Task<IActionResult> OnPostMoveAsync(long id, GalleryStore.Direction direction, CancellationToken cancellationToken) =>
        Done(await store.MoveAsync(id, direction, Owner, cancellationToken), id);

    public async Task<IActionResult> OnPostHiddenAsync(long id, bool hidden, CancellationToken cancellationToken) =>
        Done(await store.SetHiddenAsync(id, hidden, Owner, cancellationToken), id);

    public async Task<IActionResult> OnPostDeleteAsync(long id, CancellationToken cancellationToken)
    {
        if (await store.DeleteAsync(id, Owner, cancellationToken) is not { } deleted)
        {
            return NotFound();
        }

        await uploads.RemoveAsync(deleted, cancellationToken);
        return Redirect("/admin/gallery?deleted=1");
    }

    public sealed record RefusedEdit(long Id, string Caption, string AltText, string Message);

    private string Owner => User.Identity!.Name!;

    private IActionResult Done(bool found, long id) => found ? Redirect($"/admin/gallery#item-{id}") : NotFound();
}
