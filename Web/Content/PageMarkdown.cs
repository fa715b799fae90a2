using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Site.Web.Content;

/// <summary>
/// Turns the owner's Markdown into HTML that can do nothing but display: raw HTML is shown as text, links go only to
/// the web, e-mail, phones and the site itself, and pictures come only from the site's /media/ (the
/// Content-Security-Policy would block any other, leaving a broken image).
/// </summary>
public static partial class PageMarkdown
{
    // Only extensions that add no attributes: generic attributes ({onclick=...}) would let Markdown write any.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .DisableHtml()
        .Build();

    public static string ToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            if (link.IsImage ? !IsMediaPath(link.Url) : !IsSafeLink(link.Url))
            {
                Unwrap(link);
            }
        }

        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            if (!IsSafeLink(autolink.IsEmail ? $"mailto:{autolink.Url}" : autolink.Url))
            {
                autolink.ReplaceBy(new LiteralInline(autolink.Url));
            }
        }

        return document.ToHtml(Pipeline);
    }

    /// <summary>http(s), mailto and tel addresses, and addresses on this site (/about, #opening-times, visit).</summary>
    public static bool IsSafeLink(string? url)
    {
        var text = url?.Trim() ?? "";
        if (text.StartsWith('/') || text.StartsWith('#') || text.StartsWith('?'))
        {
            // "//host" and "/\host" are other sites to a browser.
            return !text.StartsWith("//", StringComparison.Ordinal) && !text.StartsWith("/\\", StringComparison.Ordinal);
        }

        return AllowedScheme().IsMatch(text) ? Uri.TryCreate(text, UriKind.Absolute, out _) : PlainRelativePath().IsMatch(text);
    }

    public static bool IsMediaPath(string? url) =>
        url is not null && url.StartsWith("/media/", StringComparison.Ordinal) && MediaPath().IsMatch(url);

    /// <summary>Keeps what a refused link or picture says, as plain text in its place.</summary>
    private static void Unwrap(LinkInline link)
    {
        while (link.FirstChild is { } child)
        {
            child.Remove();
            link.InsertBefore(child);
        }

        link.Remove();
    }

    [GeneratedRegex("^(?:https?://|mailto:|tel:)", RegexOptions.IgnoreCase)]
    private static partial Regex AllowedScheme();

    // No colon, so no scheme: a path relative to the page, such as "visit" or "gallery#film".
    [GeneratedRegex("^[A-Za-z0-9._~/#?=&%-]+$")]
    private static partial Regex PlainRelativePath();

    [GeneratedRegex("^/media/(?:[A-Za-z0-9_-]+/)*[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9]+)?$")]
    private static partial Regex MediaPath();
}
