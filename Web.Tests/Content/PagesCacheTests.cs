using System.Net;
using AngleSharp.Dom;
using Dapper;
using Site.Web.Tests.Admin;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Content;

/// <summary>
/// Two tasks of the site on one database, each keeping the published pages and the menu for the longest lifetime
/// allowed: the owner's change shows at once on the task that saved it, and on every other within the lifetime.
/// </summary>
public sealed class PagesCacheTests(TwoTasks<CachingSite> tasks) : IClassFixture<TwoTasks<CachingSite>>
{
    private readonly HttpClient onA = tasks.A.CreateClient();
    private readonly HttpClient onB = tasks.B.CreateClient();

    private static string Unique(string prefix) => $"{prefix} {Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private static string? MenuLink(IDocument page, string path) => page.QuerySelector($"nav[aria-label=Main] a[href='{path}']")?.TextContent;

    private static async Task<(string? Heading, string? MenuLink)> AboutAsync(HttpClient client)
    {
        var page = await client.GetDocumentAsync("/about");
        return (page.QuerySelector("main h1")?.TextContent, MenuLink(page, "/about"));
    }

    private async Task<HttpClient> OwnerOnAAsync()
    {
        var owner = tasks.A.CreateClient(AdminSiteFactory.OwnerClientOptions);
        using var signedIn = await AdminSiteFactory.SignInAsync(owner);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return owner;
    }

    [Fact]
    public async Task AnOwnersEditShowsAtOnceOnTheirTaskAndOnAnotherOnceItsReadIsALifetimeOld()
    {
        await AboutAsync(onA);
        await tasks.FreshReadOnBAsync(onB, "/about");
        var owner = await OwnerOnAAsync();
        await using var connection = await tasks.A.OpenDatabaseAsync();
        var id = await connection.QuerySingleAsync<long>("SELECT id FROM pages WHERE slug = 'about'");
        var title = Unique("About");

        using var saved = await PageForm.SubmitAsync(owner, await owner.GetDocumentAsync($"/admin/pages/edit/{id}"),
            new Dictionary<string, string> { ["Form.Title"] = title });

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal((title, title), await AboutAsync(onA));
        var held = await AboutAsync(onB);
        Assert.True(held.Heading != title && held.MenuLink != title, "B serves the pages it read, not the database: the cache is in use");
        tasks.B.Clock.Advance(CachingSite.Lifetime - TimeSpan.FromMilliseconds(1));
        Assert.Equal(held, await AboutAsync(onB));
        tasks.B.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal((title, title), await AboutAsync(onB));
    }

    [Fact]
    public async Task AnUnpublishedPageLeavesAnotherTaskAndItsMenuOnceItsReadIsALifetimeOld()
    {
        var slug = Unique("hours").Replace(' ', '-');
        var id = await PageForm.CreateAsync(await OwnerOnAAsync(), slug, "Winter hours", "Open from ten.", inMenu: true);
        await tasks.FreshReadOnBAsync(onB, $"/{slug}");
        Assert.Equal("Winter hours", MenuLink(await onB.GetDocumentAsync("/"), $"/{slug}"));

        // What the owner's "not published" does, from any task.
        await using (var connection = await tasks.A.OpenDatabaseAsync())
        {
            await connection.ExecuteAsync("UPDATE pages SET published = FALSE WHERE id = @id", new { id });
        }

        Assert.Equal("Winter hours", MenuLink(await onB.GetDocumentAsync($"/{slug}"), $"/{slug}"));
        tasks.B.Clock.Advance(CachingSite.Lifetime);
        using var gone = await onB.GetAsync(new Uri($"/{slug}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Null(MenuLink(await onB.GetDocumentAsync("/"), $"/{slug}"));
    }
}
