using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Site.Web.Contact;

namespace Site.Web.Admin;

public sealed class MessagesModel(AdminStore store) : PageModel
{
    public AdminPage<ContactMessage> Messages { get; private set; } = new([], 1, false);

    public async Task OnGetAsync(int? page, CancellationToken cancellationToken) =>
        Messages = await store.MessagesAsync(AdminStore.ClampPage(page), cancellationToken);

    public async Task<IActionResult> OnPostHandledAsync(long id, bool handled, int? page, CancellationToken cancellationToken) =>
        await store.SetHandledAsync(id, handled, User.Identity!.Name!, cancellationToken)
            ? Redirect($"/admin/messages?page={AdminStore.ClampPage(page)}#message-{id}")
            : NotFound();
}
