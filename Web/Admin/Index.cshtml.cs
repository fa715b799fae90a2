using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Site.Web.Admin;

public sealed class IndexModel(AdminStore store) : PageModel
{
    public AdminCounts Counts { get; private set; } = new(0, 0, 0, 0, 0);

    public async Task OnGetAsync(CancellationToken cancellationToken) => Counts = await store.CountsAsync(cancellationToken);
}
