using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Site.Web.Contact;

namespace Site.Web.Admin;

public sealed class MessagesModel(AdminStore store) : PageModel
{
    public AdminPage<ContactMessage> Messages { get; private set; } = new([], 1, false);

    public async Task OnGetAsync([FromQuery(Name = "page")] int? number, CancellationToken cancellationToken) =>
        Messages = await store.MessagesAsync(AdminStore.ClampPage(number), cancellationToken);

    public async Task<IActionResult> OnPostHandledAsync(long id, bool handled, [FromForm(Name = "page")] int? number, CancellationToken cancellationToken) =>
        await store.SetHandledAsync(id, handled, User.Identity!.Name!, cancellationToken)
            ? Redirect($"/admin/messages?page={AdminStore.ClampPage(number)}#message-{id}")
            : NotFound();
}
