using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Site.Web.Owner;

namespace Site.Web.Admin;

public sealed class ActivityModel(AdminStore store) : PageModel
{
    public AdminPage<OwnerAction> Actions { get; private set; } = new([], 1, false);

    public async Task OnGetAsync([FromQuery(Name = "page")] int? number, CancellationToken cancellationToken) =>
        Actions = await store.ActivityAsync(AdminStore.ClampPage(number), cancellationToken);
}
