using System.Net;
using System.Xml.Linq;
using Dapper;
using Site.Web.Tests.Admin;

namespace Site.Web.Tests.Content;

public sealed class SitemapTests(AdminSiteFactory site) : IClassFixture<AdminSiteFactory>
{
    private static readonly XNamespace Sitemaps = "http://www.sitemaps.org/schemas/sitemap/0.9";

    private async Task<XDocument> SitemapAsync(string scheme, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sitemap.xml");
        request.Headers.Host = host;
        request.Headers.Add("X-Forwarded-Proto", scheme);
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using var response = await site.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        return XDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheSitemapListsExactlyThePublishedPagesAndTheSitesOwnAtAbsoluteAddressesAsTheVisitorReachedThem()
    {
        var owner = await site.SignedInClientAsync();
        var published = $"menu-{Guid.NewGuid():N}"[..14];
        var draft = $"draft-{Guid.NewGuid():N}"[..15];
        await PageForm.CreateAsync(owner, published, "Menu", "Today's menu.");
        await PageForm.CreateAsync(owner, draft, "Draft", "Not yet.", published: false);

        var sitemap = await SitemapAsync("https", "www.harbour-lights.test");

        var urls = sitemap.Root!.Elements(Sitemaps + "url").ToDictionary(
            url => url.Element(Sitemaps + "loc")!.Value, url => url.Element(Sitemaps + "lastmod")?.Value);
        await using var connection = await site.OpenDatabaseAsync();
        var pages = (await connection.QueryAsync<(string Slug, DateTime UpdatedAt)>("SELECT slug, updated_at FROM pages WHERE published = TRUE")).ToList();
        var expected = pages.Select(p => p.Slug == "home" ? "/" : $"/{p.Slug}").Concat(["/gallery", "/guestbook", "/contact", "/privacy"])
            .Select(path => $"https://www.harbour-lights.test{path}");
        Assert.Equal(expected.Order(StringComparer.Ordinal), urls.Keys.Order(StringComparer.Ordinal));
        Assert.Contains($"https://www.harbour-lights.test/{published}", urls.Keys);
        Assert.DoesNotContain($"https://www.harbour-lights.test/{draft}", urls.Keys);
        var menu = pages.Single(p => p.Slug == published).UpdatedAt;
        Assert.Equal(menu.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture), urls[$"https://www.harbour-lights.test/{published}"]);
        Assert.NotNull(urls["https://www.harbour-lights.test/"]);
        Assert.Null(urls["https://www.harbour-lights.test/gallery"]);
    }

    [Fact]
    public async Task OverPlainHttpTheSitemapsAddressesArePlainHttp()
    {
        var sitemap = await SitemapAsync("http", "dev.harbour-lights.test:8080");

        var locations = sitemap.Root!.Elements(Sitemaps + "url").Select(url => url.Element(Sitemaps + "loc")!.Value).ToList();
        Assert.Contains("http://dev.harbour-lights.test:8080/", locations);
        Assert.All(locations, location => Assert.StartsWith("http://dev.harbour-lights.test:8080/", location, StringComparison.Ordinal));
    }
}
