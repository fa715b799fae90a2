using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Site.Web.Admin;

public sealed class ActivityModel(OwnerActions actions) : PageModel
{
    public AdminPage<OwnerAction> Actions { get; private set; } = new([], 1, false);

    public async Task OnGetAsync([FromQuery(Name = "page")] int? number, CancellationToken cancellationToken) =>
        Actions = await actions.PageAsync(AdminStore.ClampPage(number), cancellationToken);
}
