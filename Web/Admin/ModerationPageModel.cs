using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Site.Web.Admin;

/// <summary>
/// An owner's list (guestbook entries, contact messages): search, a state filter and pages, and bulk changes of the
/// rows ticked in one form, a submit button per change, so all of it works without JavaScript. Deleting takes a second
/// submit from a confirmation that names what will go.
/// </summary>
public abstract class ModerationPageModel<T>(AdminStore store, AdminStore.ModerationList list, string path) : PageModel
{
    public AdminResults<T> Results { get; private set; } = new([], 1, 0);

    protected AdminStore Store => store;

    public AdminSearch Search { get; private set; } = AdminSearch.Everything;

    public string Path => path;

    /// <summary>The rows a delete would remove, shown for the owner to confirm; null when not confirming.</summary>
    public IReadOnlyList<T>? Confirming { get; private set; }

    public int? Deleted { get; private set; }

    /// <summary>Why the last bulk action was refused, for the owner to put right.</summary>
    public string? Refusal { get; private set; }

    /// <summary>The rows ticked in a refused bulk action, ticked again on the redisplayed list.</summary>
    public IReadOnlySet<long> Ticked { get; private set; } = new HashSet<long>();

    public PagerModel Pager(string label) => new(path, label, Results.Number, Results.HasMore, Search.Query, Results.Pages);

    public async Task OnGetAsync([FromQuery(Name = "page")] int? number, string? q, string? state, int? deleted, CancellationToken cancellationToken)
    {
        Deleted = deleted;
        await LoadAsync(number, q, state, cancellationToken);
    }

    public async Task<IActionResult> OnPostBulkAsync(
        string? change, long[]? ids, bool confirmed, [FromForm(Name = "page")] int? number, string? q, string? state, CancellationToken cancellationToken)
    {
        ids = ModelState.IsValid ? (ids ?? []).Distinct().ToArray() : null;
        Refusal = ids switch
        {
            null => "The selection wasn't understood. Please tick the rows again.",
            _ when change is null || !list.Changes.ContainsKey(change) => "Choose what to do with the ticked rows.",
            [] => "Tick at least one row first, then choose what to do with it.",
            { Length: > AdminStore.MaxBulk } => $"At most {AdminStore.MaxBulk} rows can be changed at once; tick fewer.",
            _ => null,
        };
        if (Refusal is not null)
        {
            Ticked = (ids ?? []).ToHashSet();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(number, q, state, cancellationToken);
            return Page();
        }

        if (change == "delete" && !confirmed)
        {
            await LoadAsync(number, q, state, cancellationToken);
            Confirming = await store.FindAsync<T>(list, ids!, cancellationToken);
            return Page();
        }

        var changed = await store.ChangeAsync(list, change!, ids!, User.Identity!.Name!, cancellationToken);
        Search = Normalize(q, state);
        return Redirect(PagerModel.Href(path, AdminStore.ClampPage(number), Search.Query) + (change == "delete" ? $"&deleted={changed.Count}" : ""));
    }

    /// <summary>Where to go back to after a change of one row: the same page of the same search, at that row.</summary>
    protected IActionResult Back(int? number, string? q, string? state, string anchor)
    {
        Search = Normalize(q, state);
        return Redirect($"{PagerModel.Href(path, AdminStore.ClampPage(number), Search.Query)}#{anchor}");
    }

    private async Task LoadAsync(int? number, string? q, string? state, CancellationToken cancellationToken)
    {
        Search = Normalize(q, state);
        Results = await store.SearchAsync<T>(list, Search, AdminStore.ClampPage(number), cancellationToken);
    }

    // A state the list doesn't have (an edited address) shows every state rather than an error page.
    private AdminSearch Normalize(string? q, string? state)
    {
        var search = AdminSearch.From(q, state);
        return search.State is { } given && !list.States.ContainsKey(given) ? search with { State = null } : search;
    }
}
