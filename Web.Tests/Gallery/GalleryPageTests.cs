using System.Net;
using AngleSharp.Dom;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Gallery;

/// <summary>The public gallery as a browser without JavaScript sees it: plain pages and links.</summary>
public sealed class GalleryPageTests(SiteFactory site) : IClassFixture<SiteFactory>
{
    private readonly HttpClient client = site.CreateClient();

    [Fact]
    public async Task ANewSiteShowsTheShippedPicturesAndFilmEachLinkingToItsOwnPageNotToAnImageFile()
    {
        var page = await client.GetDocumentAsync("/gallery");

        var links = page.QuerySelectorAll(".gallery a").Select(a => a.GetAttribute("href")!).ToList();
        Assert.Equal(6, links.Count);
        Assert.All(links, href => Assert.Matches("^/gallery/[0-9]+$", href));
        Assert.Empty(page.QuerySelectorAll("a[href$='.webp'], a[href$='.jpg'], a[href$='.png']"));
        Assert.Equal("Sunset Ridges", page.QuerySelector(".gallery figcaption")?.TextContent);
        var film = page.QuerySelector(".film video")!;
        Assert.Equal(["video/webm", "video/mp4"], film.QuerySelectorAll("source").Select(s => s.GetAttribute("type")));
        Assert.Equal("/media/video/intro-poster.webp", film.GetAttribute("poster"));
    }

    [Fact]
    public async Task NextLinksWalkThroughEveryItemInTheGalleryOrderAndPreviousLinksWalkBack()
    {
        var gallery = await client.GetDocumentAsync("/gallery");
        var order = gallery.QuerySelectorAll(".gallery a, .film h2 a").Select(a => a.GetAttribute("href")!).ToList();

        var walked = new List<string> { order[0] };
        var page = await client.GetDocumentAsync(order[0]);
        Assert.Null(page.QuerySelector("a[rel=prev]"));
        while (page.QuerySelector("a[rel=next]")?.GetAttribute("href") is { } next)
        {
            walked.Add(next);
            page = await client.GetDocumentAsync(next);
            Assert.Equal(walked[^2], page.QuerySelector("a[rel=prev]")?.GetAttribute("href"));
        }

        Assert.Equal(order, walked);
        Assert.Equal($"{order.Count} of {order.Count}", page.QuerySelector(".gallery-pager span")?.TextContent);
    }

    [Fact]
    public async Task APicturePageShowsItLargeWithItsCaptionAndDescription()
    {
        var gallery = await client.GetDocumentAsync("/gallery");
        var thumbnail = gallery.QuerySelector(".gallery img")!;

        var page = await client.GetDocumentAsync(gallery.QuerySelector(".gallery a")!.GetAttribute("href")!);

        Assert.Equal("Sunset Ridges", page.QuerySelector("h1")?.TextContent);
        var image = page.QuerySelector(".gallery-item img")!;
        Assert.Equal("/media/gallery/sunset-ridges-1600.webp", image.GetAttribute("src"));
        Assert.Equal(thumbnail.GetAttribute("srcset"), image.GetAttribute("srcset"));
        Assert.Equal(thumbnail.GetAttribute("alt"), image.GetAttribute("alt"));
        Assert.StartsWith("Sunset Ridges ·", page.Title, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/gallery/987654321")]
    [InlineData("/gallery/0")]
    public async Task AnUnknownItemIsNotFound(string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
