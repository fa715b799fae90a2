using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Site.Web.Gallery;

namespace Site.Web.Admin.Gallery;

// The site's small request limit is for visitors' forms; this page takes a video and its poster.
[RequestSizeLimit(GalleryUploads.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = GalleryUploads.MaxRequestBytes)]
public sealed class UploadModel(GalleryUploads uploads) : PageModel
{
    [BindProperty]
    public string? Caption { get; set; }

    [BindProperty]
    public string? AltText { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, IFormFile? poster, CancellationToken cancellationToken)
    {
        var refusal = GalleryText.Check(Caption, AltText)
            ?? (file is null ? new UploadRefusal(nameof(file), "Please choose the picture or video to upload.") : null);
        if (refusal is null)
        {
            var (id, refused) = await uploads.AddAsync(Caption!.Trim(), AltText!.Trim(), file!, poster, User.Identity!.Name!, cancellationToken);
            if (id is not null)
            {
                return Redirect($"/admin/gallery#item-{id}");
            }

            refusal = refused;
        }

        ModelState.AddModelError(refusal!.Field, refusal.Message);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
