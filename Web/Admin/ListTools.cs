namespace Site.Web.Admin;

/// <summary>The search form, the count of what matches and the bulk-action buttons above an owner's list.</summary>
/// <param name="Noun">What the list holds, plural: "entries", "messages".</param>
/// <param name="States">The state filter's choices, value and label; the empty value is "all".</param>
/// <param name="Changes">The bulk actions' buttons, value and label.</param>
public sealed record ListTools(
    string Path, AdminSearch Search, int Page, long Total, int Pages, string Noun,
    IReadOnlyList<(string Value, string Label)> States, IReadOnlyList<(string Value, string Label)> Changes);

/// <summary>The second submit that deletes: the ids again, with confirmed=true.</summary>
public sealed record DeleteConfirmation(string Path, AdminSearch Search, int Page, IReadOnlyList<long> Ids, string Noun);

/// <summary>The page and search a form posts back, so the owner returns to the same place in the list.</summary>
public sealed record KeptSearch(int Page, AdminSearch Search);
