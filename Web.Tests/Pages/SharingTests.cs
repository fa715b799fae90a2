using System.Buffers.Binary;
using System.Net;
using System.Text.Json;
using AngleSharp.Dom;
using Site.Web.Hosting;
using Site.Web.Tests.Browser;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Pages;

/// <summary>What crawlers, link previews and a phone's home screen read: robots.txt, canonical and Open Graph tags, icons, the manifest.</summary>
public sealed class SharingTests(SiteFactory site) : IClassFixture<SiteFactory>
{
    private const string Origin = "https://www.site.test";

    private static readonly string[] SharedPages = [.. SitePages.Public.Where(path => path is not SitePages.NotFound and not SitePages.ContactSent)];

    public static TheoryData<string> Shared => new(SharedPages);

    /// <summary>A client as the load balancer passes a visitor on: the visitor's Host header, their scheme in X-Forwarded-Proto.</summary>
    private HttpClient BehindTheLoadBalancer()
    {
        var client = site.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://www.site.test/"), AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        return client;
    }

    [Fact]
    public async Task RobotsTxtKeepsCrawlersOutOfTheOwnersPagesAndPointsAtTheSitemapOnTheHostAsked()
    {
        using var response = await BehindTheLoadBalancer().GetAsync(new Uri("/robots.txt", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("User-agent: *", lines);
        Assert.Contains("Disallow: /admin", lines);
        Assert.Contains("Disallow: /api/admin", lines);
        Assert.Contains("Disallow: /contact/sent", lines);
        Assert.Contains($"Sitemap: {Origin}/sitemap.xml", lines);
    }

    [Theory]
    [MemberData(nameof(Shared))]
    public async Task APageNamesItsAbsoluteAddressAndWhatALinkToItShows(string path)
    {
        var client = BehindTheLoadBalancer();
        var page = await client.GetDocumentAsync(path);

        var url = Origin + path;
        Assert.Equal(url, page.QuerySelector("link[rel=canonical]")?.GetAttribute("href"));
        Assert.Equal(url, Meta(page, "og:url"));
        Assert.Equal("website", Meta(page, "og:type"));
        Assert.Equal(PageMeta.SiteName, Meta(page, "og:site_name"));
        Assert.False(string.IsNullOrWhiteSpace(Meta(page, "og:title")));
        var description = page.QuerySelector("meta[name=description]")?.GetAttribute("content");
        Assert.False(string.IsNullOrWhiteSpace(description));
        Assert.Equal(description, Meta(page, "og:description"));

        var image = Meta(page, "og:image");
        Assert.StartsWith(Origin + "/", image, StringComparison.Ordinal);
        using var picture = await client.GetAsync(new Uri(new Uri(image!).PathAndQuery, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, picture.StatusCode);
        Assert.StartsWith("image/", picture.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheNotFoundPageNamesNoCanonicalAddress()
    {
        using var response = await BehindTheLoadBalancer().GetAsync(new Uri(SitePages.NotFound, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Null(page.QuerySelector("link[rel=canonical]"));
        Assert.Null(page.QuerySelector("meta[property='og:url']"));
    }

    [Fact]
    public async Task TheIconsAndTheManifestAreServedAndEachIconHasTheSizeItClaims()
    {
        var client = site.CreateClient();
        var home = await client.GetDocumentAsync("/");
        Assert.Equal((32, 32), await PngSizeAsync(client, home.QuerySelector("link[rel=icon][type='image/png']")?.GetAttribute("href")));
        Assert.Equal((180, 180), await PngSizeAsync(client, home.QuerySelector("link[rel=apple-touch-icon]")?.GetAttribute("href")));

        using var response = await client.GetAsync(new Uri(home.QuerySelector("link[rel=manifest]")!.GetAttribute("href")!, UriKind.Relative));
        Assert.Equal("application/manifest+json", response.Content.Headers.ContentType?.MediaType);
        using var manifest = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = manifest.RootElement;
        Assert.Equal(PageMeta.SiteName, root.GetProperty("name").GetString());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("short_name").GetString()));
        Assert.Equal("standalone", root.GetProperty("display").GetString());
        Assert.Matches("^#[0-9a-f]{6}$", root.GetProperty("theme_color").GetString());
        Assert.Matches("^#[0-9a-f]{6}$", root.GetProperty("background_color").GetString());
        var sizes = new List<string>();
        foreach (var icon in root.GetProperty("icons").EnumerateArray().Where(icon => icon.GetProperty("type").GetString() == "image/png"))
        {
            var (width, height) = await PngSizeAsync(client, icon.GetProperty("src").GetString());
            Assert.Equal(icon.GetProperty("sizes").GetString(), $"{width}x{height}");
            sizes.Add($"{width}x{height}");
        }

        Assert.Equal(["192x192", "512x512"], sizes);

        // What browsers ask for when a page names no icon (robots.txt, an image opened on its own).
        using var ico = await client.GetAsync(new Uri("/favicon.ico", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ico.StatusCode);
        Assert.Equal("image/x-icon", ico.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ThePrivacyPageSaysHowLongTheLogsWithIpAddressesAreKeptAndEveryFormLinksToIt()
    {
        var client = site.CreateClient();

        var privacy = await client.GetDocumentAsync("/privacy");

        Assert.Contains($"after at most {LogKeeping.LongestDays} days", privacy.QuerySelector("main")?.TextContent, StringComparison.Ordinal);
        foreach (var path in SharedPages)
        {
            var page = await client.GetDocumentAsync(path);
            Assert.NotNull(page.QuerySelector("footer a[href='/privacy']"));
        }

        foreach (var path in (string[])["/guestbook", "/contact"])
        {
            Assert.NotNull((await client.GetDocumentAsync(path)).QuerySelector("form a[href='/privacy']"));
        }
    }

    private static string? Meta(IDocument page, string property) => page.QuerySelector($"meta[property='{property}']")?.GetAttribute("content");

    /// <summary>The width and height a PNG's header states.</summary>
    private static async Task<(int Width, int Height)> PngSizeAsync(HttpClient client, string? path)
    {
        Assert.NotNull(path);
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }
}
