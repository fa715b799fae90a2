using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Site.Web.Notifications;

namespace Site.Web.Admin;

public sealed class IndexModel(AdminStore store, MailOutbox outbox, IOptions<MailOptions> mail) : PageModel
{
    public AdminCounts Counts { get; private set; } = new(0, 0, 0, 0, 0);

    public OutboxSummary Outbox { get; private set; } = new(0, 0, [], 0);

    public MailOptions Mail => mail.Value;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Counts = await store.CountsAsync(cancellationToken);
        Outbox = await outbox.SummaryAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostRetryMailAsync(long id, CancellationToken cancellationToken) =>
        await outbox.RetryAsync(id, User.Identity!.Name!, cancellationToken) ? Redirect("/admin#mail-title") : NotFound();
}
