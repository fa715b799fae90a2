using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Site.Web.Content;

namespace Site.Web.Admin;

public sealed class PagesModel(PageStore store) : PageModel
{
    public IReadOnlyList<SitePage> All { get; private set; } = [];

    /// <summary>The address of a page just deleted, to say so.</summary>
    [FromQuery(Name = "deleted")]
    public string? Deleted { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => All = await store.AllAsync(cancellationToken);
}
