using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Performance;

/// <summary>
/// The site serving wwwroot as the published app does, with the caching headers of the published manifest: read
/// from a build (SiteFactory), the assets are sent no-cache unless told to keep the real headers.
/// </summary>
public sealed class StaticAssetsSiteFactory : SiteFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("EnableStaticAssetsDevelopmentCaching", "true");
    }
}

public sealed class CachingTests(StaticAssetsSiteFactory site) : IClassFixture<StaticAssetsSiteFactory>
{
    private readonly HttpClient client = site.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [Theory]
    [InlineData("/", "link[rel=stylesheet]", "href", "text/css")]
    [InlineData("/", "link[rel=icon]", "href", "image/svg+xml")]
    [InlineData("/guestbook", "script[type=module]", "src", "text/javascript")]
    [InlineData("/", "link[rel=manifest]", "href", "application/manifest+json")]
    public async Task StaticAssetsAreLinkedByFingerprintAndCachedForAYearAsImmutableBrotli(string page, string selector, string attribute, string contentType)
    {
        var document = await client.GetDocumentAsync(page);
        var url = document.QuerySelector(selector)?.GetAttribute(attribute);
        Assert.NotNull(url);
        Assert.Matches(@"^/[a-z/-]+\.[a-z0-9]{8,}\.(css|js|svg|webmanifest)$", url);

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptEncoding.ParseAdd("gzip, deflate, br");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["br"], response.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        // The body must really be Brotli of the file: a mislabelled encoding is what browsers fail to decode.
        await using (var brotli = new System.IO.Compression.BrotliStream(await response.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress))
        using (var decoded = new MemoryStream())
        {
            await brotli.CopyToAsync(decoded);
            var fingerprinted = System.Text.RegularExpressions.Regex.Replace(url, @"\.[a-z0-9]{8,}\.", ".");
            Assert.Equal(await File.ReadAllBytesAsync(RepositoryFiles.PathOf("Web/wwwroot" + fingerprinted)), decoded.ToArray());
        }

        var cache = response.Headers.CacheControl;
        Assert.NotNull(cache);
        Assert.True(cache.MaxAge == TimeSpan.FromDays(365), cache.ToString());
        Assert.Contains(cache.Extensions, e => e.Name == "immutable");
        Assert.False(cache.Private || cache.NoCache || cache.NoStore, cache.ToString());
    }

    [Fact]
    public async Task StaticAssetsAreGzippedForClientsWithoutBrotli()
    {
        var url = (await client.GetDocumentAsync("/")).QuerySelector("link[rel=stylesheet]")?.GetAttribute("href");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var response = await client.SendAsync(request);

        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 50);
    }

    [Fact]
    public async Task PagesLoadNoScriptThatBlocksRendering()
    {
        foreach (var path in new[] { "/", "/gallery", "/guestbook", "/contact", "/about", "/privacy" })
        {
            var document = await client.GetDocumentAsync(path);
            foreach (var script in document.QuerySelectorAll("script"))
            {
                Assert.True(script.GetAttribute("type") == "module" || script.HasAttribute("defer") || script.HasAttribute("async"),
                    $"{path}: {script.OuterHtml} blocks rendering");
            }
        }
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/about")]
    [InlineData("/gallery")]
    [InlineData("/privacy")]
    public async Task PagesWithoutFormsMayBeKeptForAMinute(string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty((await Html.ParseAsync(response)).QuerySelectorAll("form"));
        Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.CacheControl?.MaxAge);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData("/guestbook")]
    [InlineData("/contact")]
    public async Task PagesWithAnAntiforgeryTokenAreNeverStored(string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.NotNull((await Html.ParseAsync(response)).QuerySelector("form input[name=__RequestVerificationToken]"));
        var cache = response.Headers.CacheControl;
        Assert.NotNull(cache);
        Assert.False(cache.Public, cache.ToString());
        Assert.Null(cache.MaxAge);
        Assert.True(cache.NoStore, cache.ToString());
    }

    [Fact]
    public async Task MediaIsCacheableAndRevalidatesWithNotModified()
    {
        const string image = "/media/home/hero-1280.webp";
        using var first = await client.GetAsync(new Uri(image, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("image/webp", first.Content.Headers.ContentType?.MediaType);
        Assert.True(first.Headers.CacheControl is { Public: true, MaxAge.TotalSeconds: > 0 }, first.Headers.CacheControl?.ToString());
        var etag = first.Headers.ETag;
        var lastModified = first.Content.Headers.LastModified;
        Assert.NotNull(etag);
        Assert.NotNull(lastModified);

        using var byTag = new HttpRequestMessage(HttpMethod.Get, image);
        byTag.Headers.IfNoneMatch.Add(etag);
        using var notModified = await client.SendAsync(byTag);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        using var byDate = new HttpRequestMessage(HttpMethod.Get, image);
        byDate.Headers.IfModifiedSince = lastModified;
        using var notModifiedSince = await client.SendAsync(byDate);
        Assert.Equal(HttpStatusCode.NotModified, notModifiedSince.StatusCode);

        using var stale = new HttpRequestMessage(HttpMethod.Get, image);
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
        using var changed = await client.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
    }
}
