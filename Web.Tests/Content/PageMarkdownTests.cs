using AngleSharp.Html.Parser;
using Site.Web.Content;

namespace Site.Web.Tests.Content;

public sealed class PageMarkdownTests
{
    private static AngleSharp.Html.Dom.IHtmlDocument Render(string markdown) =>
        new HtmlParser().ParseDocument($"<!DOCTYPE html><body>{PageMarkdown.ToHtml(markdown)}</body>");

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("Before <script>alert(1)</script> after")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>")]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](JavaScript:alert(1))")]
    [InlineData("[click](<java script:alert(1)>)")]
    [InlineData("[click](vbscript:msgbox(1))")]
    [InlineData("[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)")]
    [InlineData("[click][evil]\n\n[evil]: javascript:alert(1)")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("[elsewhere](//evil.example/)")]
    [InlineData("[elsewhere](/\\evil.example/)")]
    [InlineData("![x](javascript:alert(1))")]
    [InlineData("![x](https://evil.example/track.gif)")]
    [InlineData("![x](/media/../appsettings.json)")]
    [InlineData("![x\" onerror=\"alert(1)](/media/gallery/a.webp)")]
    [InlineData("[x](/ \"t\\\" onmouseover=\\\"alert(1)\")")]
    [InlineData("# Title {onclick=alert(1)}")]
    [InlineData("<style>body{display:none}</style><iframe src=/admin></iframe>")]
    public void HostileMarkdownRendersAsInertTextAndSafeLinks(string markdown)
    {
        var document = Render(markdown);

        Assert.Empty(document.QuerySelectorAll("script, style, iframe, object, embed, form, input"));
        foreach (var element in document.Body!.QuerySelectorAll("*"))
        {
            Assert.DoesNotContain(element.Attributes, a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
        }

        foreach (var link in document.QuerySelectorAll("a[href]"))
        {
            var href = link.GetAttribute("href")!;
            Assert.True(href.StartsWith('/') && !href.StartsWith("//", StringComparison.Ordinal) && !href.StartsWith("/\\", StringComparison.Ordinal), href);
        }

        foreach (var image in document.QuerySelectorAll("img"))
        {
            Assert.Matches("^/media/[a-z0-9/_-]+\\.webp$", image.GetAttribute("src")!);
        }
    }

    [Fact]
    public void RawHtmlIsShownAsTextNotDropped()
    {
        var document = Render("Say <b>hello</b>");

        Assert.Empty(document.QuerySelectorAll("b"));
        Assert.Equal("Say <b>hello</b>", document.QuerySelector("p")?.TextContent);
    }

    [Fact]
    public void ARefusedLinkKeepsItsWordsAndARefusedPictureItsDescription()
    {
        var document = Render("[Call us](javascript:alert(1)) or ![the quay at dusk](https://evil.example/q.jpg)");

        Assert.Empty(document.QuerySelectorAll("a, img"));
        Assert.Equal("Call us or the quay at dusk", document.QuerySelector("p")?.TextContent);
    }

    [Theory]
    [InlineData("[Visit](/visit)", "a", "href", "/visit")]
    [InlineData("[Times](#opening-times)", "a", "href", "#opening-times")]
    [InlineData("[Visit](visit)", "a", "href", "visit")]
    [InlineData("[Map](https://www.openstreetmap.org/)", "a", "href", "https://www.openstreetmap.org/")]
    [InlineData("[Write](mailto:hello@example.com)", "a", "href", "mailto:hello@example.com")]
    [InlineData("[Call](tel:+441632960418)", "a", "href", "tel:+441632960418")]
    [InlineData("<https://example.com/menu>", "a", "href", "https://example.com/menu")]
    [InlineData("See www.example.com", "a", "href", "http://www.example.com")]
    [InlineData("![The quay](/media/gallery/quay-960.webp)", "img", "src", "/media/gallery/quay-960.webp")]
    public void LinksToTheWebMailPhonesAndTheSiteAndPicturesFromMediaAreKept(string markdown, string element, string attribute, string value)
    {
        Assert.Equal(value, Render(markdown).QuerySelector(element)?.GetAttribute(attribute));
    }

    [Fact]
    public void HeadingsListsEmphasisAndTablesRender()
    {
        var document = Render("## Opening times\n\n- **Wed** to *Fri*\n\n| Day | Open |\n| --- | --- |\n| Mon | Closed |");

        Assert.Equal("Opening times", document.QuerySelector("h2")?.TextContent);
        Assert.Equal("Wed", document.QuerySelector("li strong")?.TextContent);
        Assert.Equal("Fri", document.QuerySelector("li em")?.TextContent);
        Assert.Equal("Closed", document.QuerySelector("table tbody td:last-child")?.TextContent);
    }
}
