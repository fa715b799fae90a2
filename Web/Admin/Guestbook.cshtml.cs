using Microsoft.AspNetCore.Mvc;

namespace Site.Web.Admin;

public sealed class GuestbookModel(AdminStore store) : ModerationPageModel<ModeratedEntry>(store, AdminStore.Guestbook, "/admin/guestbook")
{
    public async Task<IActionResult> OnPostHiddenAsync(
        long id, bool hidden, [FromForm(Name = "page")] int? number, string? q, string? state, CancellationToken cancellationToken) =>
        await Store.SetHiddenAsync(id, hidden, User.Identity!.Name!, cancellationToken) ? Back(number, q, state, $"entry-{id}") : NotFound();
}
