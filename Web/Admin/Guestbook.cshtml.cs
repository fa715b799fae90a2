using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Site.Web.Admin;

public sealed class GuestbookModel(AdminStore store) : PageModel
{
    public AdminPage<ModeratedEntry> Entries { get; private set; } = new([], 1, false);

    public async Task OnGetAsync([FromQuery(Name = "page")] int? number, CancellationToken cancellationToken) =>
        Entries = await store.GuestbookAsync(AdminStore.ClampPage(number), cancellationToken);

    public async Task<IActionResult> OnPostHiddenAsync(long id, bool hidden, [FromForm(Name = "page")] int? number, CancellationToken cancellationToken) =>
        await store.SetHiddenAsync(id, hidden, User.Identity!.Name!, cancellationToken)
            ? Redirect($"/admin/guestbook?page={AdminStore.ClampPage(number)}#entry-{id}")
            : NotFound();
}
