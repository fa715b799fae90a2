using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Guestbook;

public sealed class GuestbookPagingTests(SiteFactory site) : IClassFixture<SiteFactory>, IAsyncLifetime
{
    private const int Total = 45;
    private readonly HttpClient client = site.CreateClient();

    public async Task InitializeAsync() => await site.GuestbookEntriesAsync(Total, "Paged");

    public Task DisposeAsync() => Task.CompletedTask;

    internal static List<string> Names(AngleSharp.Dom.IDocument page) =>
        page.QuerySelectorAll("#entries .entry-name").Select(e => e.TextContent).ToList();

    [Fact]
    public async Task PagesShowTwentyEntriesNewestFirstAndWalkToTheOldest()
    {
        var first = await client.GetDocumentAsync("/guestbook");
        Assert.Equal(Enumerable.Range(26, 20).Reverse().Select(i => $"Paged {i}"), Names(first));
        Assert.Null(first.QuerySelector("a[rel=prev]"));

        var second = await client.GetDocumentAsync(first.QuerySelector("a[rel=next]")!.GetAttribute("href")!);
        Assert.Equal(Enumerable.Range(6, 20).Reverse().Select(i => $"Paged {i}"), Names(second));

        var third = await client.GetDocumentAsync(second.QuerySelector("a[rel=next]")!.GetAttribute("href")!);
        Assert.Equal(Enumerable.Range(1, 5).Reverse().Select(i => $"Paged {i}"), Names(third));
        Assert.Null(third.QuerySelector("a[rel=next]"));

        var back = await client.GetDocumentAsync(third.QuerySelector("a[rel=prev]")!.GetAttribute("href")!);
        Assert.Equal(Names(second), Names(back));
    }
}

/// <summary>Its own database: it adds entries, which would shift the pages the class above counts on.</summary>
public sealed class GuestbookPageLinkTests(SiteFactory site) : IClassFixture<SiteFactory>
{
    private readonly HttpClient client = site.CreateClient();

    [Fact]
    public async Task PageLinksStayValidWhenNewEntriesArrive()
    {
        var ids = await site.GuestbookEntriesAsync(30, "Early");
        var link = $"/guestbook?before={ids[25]}";
        var before = GuestbookPagingTests.Names(await client.GetDocumentAsync(link));

        await site.GuestbookEntriesAsync(3, "Later");

        Assert.Equal(Enumerable.Range(6, 20).Reverse().Select(i => $"Early {i}"), before);
        Assert.Equal(before, GuestbookPagingTests.Names(await client.GetDocumentAsync(link)));
    }
}
