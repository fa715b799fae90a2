using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Admin;

public sealed class GuestbookModerationTests(AdminSiteFactory site) : IClassFixture<AdminSiteFactory>
{
    private readonly HttpClient visitor = site.CreateClient();

    private Task<bool> IsPublicAsync(long id) => Moderation.IsPublicAsync(visitor, id);

    private static async Task<HttpResponseMessage> ToggleInAdminPageAsync(HttpClient owner, long id)
    {
        var page = await owner.GetDocumentAsync("/admin/guestbook");
        return await owner.SubmitAsync(page, $"#entry-{id} form", new Dictionary<string, string>());
    }

    [Fact]
    public async Task HidingAnEntryInTheAdminPageRemovesItFromThePublicPageAndApiAndRestoringBringsItBack()
    {
        var id = (await site.GuestbookEntriesAsync(1, $"Spam {Guid.NewGuid():N}"[..13]))[0];
        var owner = await site.SignedInClientAsync();
        Assert.True(await IsPublicAsync(id));

        using var hide = await ToggleInAdminPageAsync(owner, id);

        Assert.Equal(HttpStatusCode.Redirect, hide.StatusCode);
        Assert.Equal($"/admin/guestbook?page=1#entry-{id}", hide.Headers.Location?.OriginalString);
        Assert.False(await IsPublicAsync(id));
        var admin = await owner.GetDocumentAsync("/admin/guestbook");
        Assert.Equal("Hidden", admin.QuerySelector($"#entry-{id} .badge")?.TextContent);
        Assert.Equal("Restore", admin.QuerySelector($"#entry-{id} button")?.TextContent);

        using var restore = await ToggleInAdminPageAsync(owner, id);

        Assert.Equal(HttpStatusCode.Redirect, restore.StatusCode);
        Assert.True(await IsPublicAsync(id));
        Assert.Equal(0, await site.CountAsync("guestbook_entries", "id = @id AND hidden = 1", new { id }));
    }

    [Fact]
    public async Task TheApiHidesAndRestoresAnEntryAndListsItWithItsState()
    {
        var id = (await site.GuestbookEntriesAsync(1, $"Api {Guid.NewGuid():N}"[..12]))[0];
        var owner = await site.SignedInClientAsync();

        using (var hide = await AdminSiteFactory.PostApiAsync(owner, $"/api/admin/guestbook/{id}/hide"))
        {
            Assert.Equal(HttpStatusCode.NoContent, hide.StatusCode);
        }

        Assert.False(await IsPublicAsync(id));
        var listed = await owner.GetFromJsonAsync<JsonElement>("/api/admin/guestbook");
        var entry = listed.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("id").GetInt64() == id);
        Assert.True(entry.GetProperty("hidden").GetBoolean());

        using (var restore = await AdminSiteFactory.PostApiAsync(owner, $"/api/admin/guestbook/{id}/restore"))
        {
            Assert.Equal(HttpStatusCode.NoContent, restore.StatusCode);
        }

        Assert.True(await IsPublicAsync(id));
    }

    [Fact]
    public async Task HidingAnUnknownEntryAnswers404ProblemDetails()
    {
        var owner = await site.SignedInClientAsync();

        using var response = await AdminSiteFactory.PostApiAsync(owner, "/api/admin/guestbook/987654321/hide");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TheModerationListShowsHiddenEntriesTooNewestFirstTwentyToAPage()
    {
        var ids = await site.GuestbookEntriesAsync(25, $"M{Guid.NewGuid():N}"[..8]);
        await using (var connection = await site.OpenDatabaseAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE guestbook_entries SET hidden = 1 WHERE id = @id", new { id = ids[^2] });
        }

        var owner = await site.SignedInClientAsync();
        var first = await owner.GetDocumentAsync("/admin/guestbook");

        var shown = first.QuerySelectorAll("#entries .entry").Select(e => long.Parse(e.Id!["entry-".Length..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(20, shown.Count);
        Assert.Equal(ids[^1], shown[0]);
        Assert.Equal(ids[^2], shown[1]);
        Assert.Equal(shown.OrderDescending(), shown);
        Assert.Equal("Hidden", first.QuerySelector($"#entry-{ids[^2]} .badge")?.TextContent);
        Assert.Null(first.QuerySelector("a[rel=prev]"));

        var next = first.QuerySelector("a[rel=next]")?.GetAttribute("href");
        Assert.Equal("/admin/guestbook?page=2", next);
        var second = await owner.GetDocumentAsync(next!);
        var total = await site.CountAsync("guestbook_entries");
        Assert.Equal(Math.Min(20, total - 20), second.QuerySelectorAll("#entries .entry").Length);
        Assert.Equal($"entry-{ids[^21]}", second.QuerySelector("#entries .entry")?.Id);
        Assert.Equal("/admin/guestbook?page=1", second.QuerySelector("a[rel=prev]")?.GetAttribute("href"));
    }
}
