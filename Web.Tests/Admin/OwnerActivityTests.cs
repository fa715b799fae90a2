using System.Net;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Admin;

public sealed class OwnerActivityTests(AdminSiteFactory site) : IClassFixture<AdminSiteFactory>
{
    [Fact]
    public async Task EveryModerationChangeIsListedInTheActivityWithWhoAndWhatNewestFirst()
    {
        var id = (await site.GuestbookEntriesAsync(1, $"Act {Guid.NewGuid():N}"[..12]))[0];
        var owner = await site.SignedInClientAsync();

        using (var hide = await AdminSiteFactory.PostApiAsync(owner, $"/api/admin/guestbook/{id}/hide")) { Assert.Equal(HttpStatusCode.NoContent, hide.StatusCode); }
        using (var restore = await AdminSiteFactory.PostApiAsync(owner, $"/api/admin/guestbook/{id}/restore")) { Assert.Equal(HttpStatusCode.NoContent, restore.StatusCode); }

        var page = await owner.GetDocumentAsync("/admin/activity");
        var rows = page.QuerySelectorAll("#activity tbody tr")
            .Select(row => row.QuerySelectorAll("td").Select(cell => cell.TextContent.Trim()).ToArray())
            .Where(cells => cells[3] == $"#{id}")
            .ToList();

        Assert.Equal(2, rows.Count);
        Assert.Equal(["owner", "restored guestbook entry"], rows[0][1..3]);
        Assert.Equal(["owner", "hid guestbook entry"], rows[1][1..3]);
        Assert.NotNull(page.QuerySelector("#activity time[datetime]"));
    }

    [Fact]
    public async Task AChangeToSomethingThatDoesNotExistIsNotRecorded()
    {
        var owner = await site.SignedInClientAsync();
        var before = await site.CountAsync("owner_actions");

        using var response = await AdminSiteFactory.PostApiAsync(owner, "/api/admin/messages/987654322/handled");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(before, await site.CountAsync("owner_actions"));
    }
}
