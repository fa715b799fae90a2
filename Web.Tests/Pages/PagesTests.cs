using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Pages;

public sealed class PagesTests(SiteFactory site) : IClassFixture<SiteFactory>
{
    private readonly HttpClient client = site.CreateClient();

    [Theory]
    [InlineData("/", "Harbour Lights")]
    [InlineData("/about", "About us")]
    [InlineData("/visit", "Visit us")]
    [InlineData("/gallery", "Gallery")]
    [InlineData("/guestbook", "Guestbook")]
    [InlineData("/contact", "Contact")]
    public async Task EveryPageRendersItsHeadingInsideTheSharedLayout(string path, string heading)
    {
        var page = await client.GetDocumentAsync(path);

        Assert.Equal(heading, page.QuerySelector("main h1")?.TextContent.Trim());
        Assert.NotNull(page.QuerySelector("header nav[aria-label=Main]"));
        Assert.NotNull(page.QuerySelector("a.skip-link[href='#main']"));
        Assert.Equal("en", page.DocumentElement.GetAttribute("lang"));
        Assert.False(string.IsNullOrWhiteSpace(page.QuerySelector("meta[name=description]")?.GetAttribute("content")));
        Assert.Equal("page", page.QuerySelector($"nav a[href='{path}']")?.GetAttribute("aria-current"));
    }

    [Fact]
    public async Task HomeShowsAHeroImageWithSizesAndLinksToTheRestOfTheSite()
    {
        var page = await client.GetDocumentAsync("/");

        var hero = page.QuerySelector<IHtmlImageElement>("img.hero-image");
        Assert.NotNull(hero);
        Assert.False(string.IsNullOrWhiteSpace(hero.AlternativeText));
        Assert.Contains("w,", hero.GetAttribute("srcset"), StringComparison.Ordinal);
        Assert.NotNull(hero.GetAttribute("width"));
        Assert.NotNull(hero.GetAttribute("height"));
        var links = page.QuerySelectorAll("main a").Select(a => a.GetAttribute("href")).ToHashSet();
        Assert.Superset(new HashSet<string?> { "/gallery", "/guestbook", "/contact", "/about" }, links);
    }

    [Fact]
    public async Task ThePagesSayWhoRunsThePlaceWhereItIsWhenItIsOpenAndHowToReachIt()
    {
        var home = (await client.GetDocumentAsync("/")).QuerySelector("main")!;
        var about = (await client.GetDocumentAsync("/about")).QuerySelector("main")!;
        var visit = (await client.GetDocumentAsync("/visit")).QuerySelector("main")!;

        Assert.Contains("café and a small photo gallery", home.TextContent, StringComparison.Ordinal);
        Assert.Equal("Open Wednesday to Sunday", home.QuerySelector("h2")?.TextContent);
        Assert.Equal("tel:+441632960418", home.QuerySelector("a[href^='tel:']")?.GetAttribute("href"));
        Assert.Contains("run by Maren Ellery and Tom Pascoe", about.TextContent, StringComparison.Ordinal);
        Assert.Contains("4 Quay Street, Kelderwick", visit.TextContent, StringComparison.Ordinal);
        Assert.Equal("9:00 to 18:00", visit.QuerySelector("table tbody tr:last-child td:last-child")?.TextContent);
        Assert.NotNull(visit.QuerySelector("a[href='/contact']"));
    }

    [Theory]
    [InlineData("/home")]
    [InlineData("/no-such-page")]
    [InlineData("/about.html")]
    public async Task TheHomePageHasOneAddressAndAnUnknownOneIsTheSitesNotFoundPage(string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Page not found", (await Html.ParseAsync(response)).QuerySelector("main h1")?.TextContent.Trim());
    }

    [Theory]
    [InlineData("/?slug=about", "Harbour Lights")]
    [InlineData("/About", "About us")]
    [InlineData("/VISIT", "Visit us")]
    public async Task APagesAddressIsReadAsTheRoutesAreIgnoringCaseAndQueries(string path, string heading)
    {
        var page = await client.GetDocumentAsync(path);

        Assert.Equal(heading, page.QuerySelector("main h1")?.TextContent);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/about")]
    [InlineData("/visit")]
    [InlineData("/gallery")]
    [InlineData("/guestbook")]
    [InlineData("/contact")]
    public async Task PublicPagesTalkAboutThePlaceNotTheMachinery(string path)
    {
        var text = (await client.GetDocumentAsync(path)).Body!.TextContent;

        foreach (var word in (string[])["Fargate", "ASP.NET", "AWS", "container", "database", "keep running"])
        {
            Assert.DoesNotContain(word, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task GalleryImagesAreResponsiveLazyAndDescribedAndTheyAllLoad()
    {
        var page = await client.GetDocumentAsync("/gallery");

        var images = page.QuerySelectorAll<IHtmlImageElement>(".gallery img").ToList();
        Assert.True(images.Count >= 4, $"expected several gallery images, found {images.Count}");
        foreach (var image in images)
        {
            Assert.Equal("lazy", image.GetAttribute("loading"));
            Assert.False(string.IsNullOrWhiteSpace(image.AlternativeText));
            Assert.NotNull(image.GetAttribute("sizes"));
            Assert.True(int.Parse(image.GetAttribute("width")!, System.Globalization.CultureInfo.InvariantCulture) > 0);
            foreach (var candidate in image.GetAttribute("srcset")!.Split(',').Select(c => c.Trim().Split(' ')[0]).Append(image.GetAttribute("src")!))
            {
                using var response = await client.GetAsync(new Uri(candidate, UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
            }
        }
    }

    [Fact]
    public async Task TheVideoHasAPosterDoesNotPreloadAndItsSourcesExist()
    {
        var page = await client.GetDocumentAsync("/gallery");

        var video = page.QuerySelector<IHtmlVideoElement>("video");
        Assert.NotNull(video);
        Assert.Equal("none", video.GetAttribute("preload"));
        Assert.NotNull(video.GetAttribute("controls"));
        var poster = video.GetAttribute("poster")!;
        using (var response = await client.GetAsync(new Uri(poster, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var sources = video.QuerySelectorAll("source").Select(s => (Src: s.GetAttribute("src")!, Type: s.GetAttribute("type")!)).ToList();
        Assert.Contains(sources, s => s.Type == "video/mp4");
        foreach (var (src, type) in sources)
        {
            using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, src));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(type, head.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task VideoAnswersRangeRequestsWithPartialContent()
    {
        var page = await client.GetDocumentAsync("/gallery");
        var src = page.QuerySelector("video source[type='video/mp4']")!.GetAttribute("src")!;
        using var whole = await client.GetAsync(new Uri(src, UriKind.Relative));
        var bytes = await whole.Content.ReadAsByteArrayAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, src);
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(100, 1123);
        using var partial = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal("bytes", whole.Headers.AcceptRanges.Single());
        Assert.Equal($"bytes 100-1123/{bytes.Length}", partial.Content.Headers.ContentRange?.ToString());
        Assert.Equal(bytes[100..1124], await partial.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/media/../appsettings.json")]
    [InlineData("/media/gallery/does-not-exist.webp")]
    [InlineData("/media/catalog.json")]
    public async Task MediaOutsideTheCatalogOrOutsideTheFolderIsNotServed(string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task AnUnknownAddressGetsAFriendlyNotFoundPage()
    {
        using var response = await client.GetAsync(new Uri("/no/such/page", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Equal("Page not found", page.QuerySelector("main h1")?.TextContent.Trim());
        Assert.NotNull(page.QuerySelector("main a[href='/']"));
    }
}
