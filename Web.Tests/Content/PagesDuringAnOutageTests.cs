using System.Net;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Content;

/// <summary>The owner's pages live in the database: while it is away they say so with a 503, and the rest of the site carries on.</summary>
public sealed class PagesDuringAnOutageTests(PrivateServerSiteFactory site) : IClassFixture<PrivateServerSiteFactory>
{
    [Fact]
    public async Task WhileTheDatabaseIsAwayPagesAndTheGalleryAnswer503WithTheLayoutThenTheyComeBack()
    {
        var client = site.CreateClient();
        await site.DatabaseServer!.StopAsync();
        try
        {
            foreach (var path in (string[])["/", "/about", "/visit"])
            {
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.NotNull(response.Headers.RetryAfter);
                Assert.NotEqual(TimeSpan.FromSeconds(60), response.Headers.CacheControl?.MaxAge);
                var page = await Html.ParseAsync(response);
                Assert.Equal("This page can't be shown just now", page.QuerySelector("main h1")?.TextContent);
                Assert.Equal(["/", "/gallery", "/guestbook", "/contact"], page.QuerySelectorAll("nav[aria-label=Main] a").Select(a => a.GetAttribute("href")));
            }

            // The gallery's pictures are rows in the database too: the site's own 503 page, with the fixed menu.
            using var gallery = await client.GetAsync(new Uri("/gallery", UriKind.Relative));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, gallery.StatusCode);
            Assert.NotNull(gallery.Headers.RetryAfter);
            var galleryPage = await Html.ParseAsync(gallery);
            Assert.Equal(["/", "/gallery", "/guestbook", "/contact"], galleryPage.QuerySelectorAll("nav[aria-label=Main] a").Select(a => a.GetAttribute("href")));
        }
        finally
        {
            await site.DatabaseServer.StartAsync();
        }

        await SiteFactory.WaitUntilReadyAsync(client, TimeSpan.FromSeconds(30));
        var about = await client.GetDocumentAsync("/about");
        Assert.Equal("About us", about.QuerySelector("main h1")?.TextContent);
        Assert.NotNull(about.QuerySelector("nav[aria-label=Main] a[href='/visit']"));
    }
}
