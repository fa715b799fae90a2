namespace Site.Web.Admin;

/// <summary>The newer/older links under a newest-first list.</summary>
public sealed record PagerModel(string Path, string Label, int Number, bool HasMore);
