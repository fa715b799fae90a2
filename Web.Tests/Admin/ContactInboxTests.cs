using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Admin;

public sealed class ContactInboxTests(AdminSiteFactory site) : IClassFixture<AdminSiteFactory>
{
    private async Task<bool> IsHandledAsync(long id)
    {
        await using var connection = await site.OpenDatabaseAsync();
        return await connection.ExecuteScalarAsync<bool>("SELECT handled FROM contact_messages WHERE id = @id", new { id });
    }

    [Fact]
    public async Task MessagesAreListedNewestFirstTwentyToAPage()
    {
        var ids = await site.ContactMessagesAsync(25);
        var owner = await site.SignedInClientAsync();

        var first = await owner.GetDocumentAsync("/admin/messages");
        var shown = first.QuerySelectorAll("#messages .entry").Select(e => long.Parse(e.Id!["message-".Length..], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(20, shown.Count);
        Assert.Equal(ids.Reverse().Take(20), shown);
        Assert.Equal("sender@example.org", first.QuerySelector($"#message-{ids[^1]} a[href^='mailto:']")?.TextContent);

        var second = await owner.GetDocumentAsync(first.QuerySelector("a[rel=next]")!.GetAttribute("href")!);
        Assert.Equal($"message-{ids[^21]}", second.QuerySelector("#messages .entry")?.Id);
    }

    [Fact]
    public async Task MarkingAMessageHandledPersistsAndCanBeUndone()
    {
        var id = (await site.ContactMessagesAsync(1))[0];
        var owner = await site.SignedInClientAsync();

        var inbox = await owner.GetDocumentAsync("/admin/messages");
        using var mark = await owner.SubmitAsync(inbox, $"#message-{id} form", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, mark.StatusCode);
        Assert.True(await IsHandledAsync(id));
        var after = await owner.GetDocumentAsync("/admin/messages");
        Assert.Equal("Handled", after.QuerySelector($"#message-{id} .badge")?.TextContent);
        Assert.Equal("Mark as not handled", after.QuerySelector($"#message-{id} button")?.TextContent);

        using var undo = await owner.SubmitAsync(after, $"#message-{id} form", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, undo.StatusCode);
        Assert.False(await IsHandledAsync(id));
    }

    [Fact]
    public async Task TheApiListsMessagesNewestFirstAndMarksThemHandled()
    {
        var ids = await site.ContactMessagesAsync(3);
        var owner = await site.SignedInClientAsync();

        var listed = await owner.GetFromJsonAsync<JsonElement>("/api/admin/messages");
        var items = listed.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(20, listed.GetProperty("pageSize").GetInt32());
        Assert.Equal(ids[^1], items[0].GetProperty("id").GetInt64());
        Assert.Equal(items.Select(i => i.GetProperty("id").GetInt64()).OrderDescending(), items.Select(i => i.GetProperty("id").GetInt64()));

        using (var handled = await AdminSiteFactory.PostApiAsync(owner, $"/api/admin/messages/{ids[0]}/handled"))
        {
            Assert.Equal(HttpStatusCode.NoContent, handled.StatusCode);
        }

        Assert.True(await IsHandledAsync(ids[0]));
        using (var unhandled = await AdminSiteFactory.PostApiAsync(owner, $"/api/admin/messages/{ids[0]}/unhandled"))
        {
            Assert.Equal(HttpStatusCode.NoContent, unhandled.StatusCode);
        }

        Assert.False(await IsHandledAsync(ids[0]));
        using var unknown = await AdminSiteFactory.PostApiAsync(owner, "/api/admin/messages/987654321/handled");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var badPage = await owner.GetAsync(new Uri("/api/admin/messages?page=0", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, badPage.StatusCode);
    }

    [Fact]
    public async Task TheDashboardCountsWaitingMessagesAndWaitingAndHiddenEntries()
    {
        await site.ContactMessagesAsync(2);
        var entries = await site.GuestbookEntriesAsync(3);
        await using (var connection = await site.OpenDatabaseAsync())
        {
            await connection.ExecuteAsync("UPDATE guestbook_entries SET hidden = 1 WHERE id = @id", new { id = entries[0] });
        }

        await Moderation.HoldAsync(site, [entries[1]]);

        var owner = await site.SignedInClientAsync();

        var dashboard = await owner.GetDocumentAsync("/admin");

        Assert.Equal($"{await site.CountAsync("contact_messages", "handled = 0")}", dashboard.QuerySelector("#unhandled-count")?.TextContent);
        Assert.Equal($"{await site.CountAsync("guestbook_entries", "hidden = 1 AND held = 0")}", dashboard.QuerySelector("#hidden-count")?.TextContent);
        Assert.Equal($"{await site.CountAsync("guestbook_entries", "hidden = 1 AND held = 1")}", dashboard.QuerySelector("#waiting-count")?.TextContent);
        Assert.NotEqual("0", dashboard.QuerySelector("#waiting-count")?.TextContent);
        Assert.Equal($"{await site.CountAsync("guestbook_entries", "hidden = 0")}", dashboard.QuerySelector("#visible-count")?.TextContent);
    }
}
