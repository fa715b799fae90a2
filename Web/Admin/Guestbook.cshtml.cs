using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Site.Web.Admin;

public sealed class GuestbookModel(AdminStore store) : PageModel
{
    public AdminPage<ModeratedEntry> Entries { get; private set; } = new([], 1, false);

    public async Task OnGetAsync(int? page, CancellationToken cancellationToken) =>
        Entries = await store.GuestbookAsync(AdminStore.ClampPage(page), cancellationToken);

    public async Task<IActionResult> OnPostHiddenAsync(long id, bool hidden, int? page, CancellationToken cancellationToken) =>
        await store.SetHiddenAsync(id, hidden, User.Identity!.Name!, cancellationToken)
            ? Redirect($"/admin/guestbook?page={AdminStore.ClampPage(page)}#entry-{id}")
            : NotFound();
}
