namespace Site.Web.Admin;

/// <summary>The newer/older links under a newest-first list.</summary>
/// <param name="Query">The list's search, kept on every link ("&amp;state=waiting&amp;q=…"), empty for none.</param>
/// <param name="Pages">How many pages there are, when the list counts them.</param>
public sealed record PagerModel(string Path, string Label, int Number, bool HasMore, string Query = "", int? Pages = null)
{
    public string Link(int number) => Href(Path, number, Query);

    public static string Href(string path, int number, string query) => $"{path}?page={number}{query}";
}
