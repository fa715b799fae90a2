using Microsoft.AspNetCore.Mvc;
using Site.Web.Contact;

namespace Site.Web.Admin;

public sealed class MessagesModel(AdminStore store) : ModerationPageModel<ContactMessage>(store, AdminStore.Messages, "/admin/messages")
{
    public async Task<IActionResult> OnPostHandledAsync(
        long id, bool handled, [FromForm(Name = "page")] int? number, string? q, string? state, CancellationToken cancellationToken) =>
        await Store.SetHandledAsync(id, handled, User.Identity!.Name!, cancellationToken) ? Back(number, q, state, $"message-{id}") : NotFound();
}
