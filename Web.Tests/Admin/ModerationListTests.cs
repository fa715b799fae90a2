using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Admin;

public sealed class ModerationListTests(AdminSiteFactory site) : IClassFixture<AdminSiteFactory>
{
    private static string Marker() => $"{Guid.NewGuid():N}"[..10];

    /// <summary>The bulk form's hidden fields with values no button or checkbox of it would send.</summary>
    private static async Task<HttpResponseMessage> PostBulkAsync(HttpClient owner, AngleSharp.Dom.IDocument page, string path, params (string Name, string Value)[] fields)
    {
        using var content = new FormUrlEncodedContent(
            page.QuerySelectorAll("#bulk-form input[type=hidden]").Select(i => KeyValuePair.Create(i.GetAttribute("name")!, i.GetAttribute("value") ?? ""))
                .Concat(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))));
        return await owner.PostAsync(new Uri($"{path}?handler=bulk", UriKind.Relative), content);
    }

    private async Task<long> EntryAsync(string name, string message)
    {
        await using var connection = await site.OpenDatabaseAsync();
        return await connection.ExecuteScalarAsync<long>(
            "INSERT INTO guestbook_entries (name, message) VALUES (@name, @message); SELECT LAST_INSERT_ID();", new { name, message });
    }

    private async Task<long> MessageAsync(string name, string email, string message)
    {
        await using var connection = await site.OpenDatabaseAsync();
        return await connection.ExecuteScalarAsync<long>(
            "INSERT INTO contact_messages (name, email, message) VALUES (@name, @email, @message); SELECT LAST_INSERT_ID();", new { name, email, message });
    }

    [Fact]
    public async Task SearchTreatsPercentAndUnderscoreAsTheCharactersThemselves()
    {
        var marker = Marker();
        var literal = await EntryAsync("Ann", $"{marker} 100% sure_thing");
        var wouldMatchWildcards = await EntryAsync("Bob", $"{marker} 1000 sure thing");
        var owner = await site.SignedInClientAsync();

        var percent = await owner.GetDocumentAsync($"/admin/guestbook?q={Uri.EscapeDataString($"{marker} 100%")}");
        var underscore = await owner.GetDocumentAsync($"/admin/guestbook?q={Uri.EscapeDataString("sure_thing")}");

        Assert.Equal([literal], Moderation.Shown(percent));
        Assert.Contains(literal, Moderation.Shown(underscore));
        Assert.DoesNotContain(wouldMatchWildcards, Moderation.Shown(underscore));
        Assert.Equal($"{marker} 100%", percent.QuerySelector("#q")?.GetAttribute("value"));
    }

    [Fact]
    public async Task MessagesAreFoundByNameEmailOrTextAndFilteredByHandled()
    {
        var marker = Marker();
        var byName = await MessageAsync($"Name{marker}", "a@example.org", "Hello");
        var byEmail = await MessageAsync("Carla", $"{marker}@example.org", "Hello");
        var byText = await MessageAsync("Dan", "d@example.org", $"About {marker}, please call");
        await MessageAsync("Eve", "e@example.org", "Nothing to see");
        await using (var connection = await site.OpenDatabaseAsync())
        {
            await connection.ExecuteAsync("UPDATE contact_messages SET handled = 1 WHERE id = @byEmail", new { byEmail });
        }

        var owner = await site.SignedInClientAsync();

        Assert.Equal([byText, byEmail, byName], Moderation.Shown(await owner.GetDocumentAsync($"/admin/messages?q={marker}")));
        Assert.Equal([byText, byName], Moderation.Shown(await owner.GetDocumentAsync($"/admin/messages?q={marker}&state=unhandled")));
        Assert.Equal([byEmail], Moderation.Shown(await owner.GetDocumentAsync($"/admin/messages?q={marker}&state=handled")));
    }

    [Fact]
    public async Task AFilteredSearchCountsWhatMatchesAndItsPagesLinkOnWithTheSameSearch()
    {
        var marker = Marker();
        var ids = await site.GuestbookEntriesAsync(45, marker);
        await Moderation.HoldAsync(site, ids.Take(43));
        var owner = await site.SignedInClientAsync();

        var first = await owner.GetDocumentAsync($"/admin/guestbook?state=waiting&q={marker}");

        Assert.Equal("43 matching entries, page 1 of 3.", first.QuerySelector("#list-count")?.TextContent);
        Assert.Equal(ids.Take(43).Reverse().Take(20), Moderation.Shown(first));
        Assert.Equal("Page 1 of 3", first.QuerySelector(".pager-position")?.TextContent);
        var next = first.QuerySelector("a[rel=next]")?.GetAttribute("href");
        Assert.Equal($"/admin/guestbook?page=2&state=waiting&q={marker}", next);
        var third = await owner.GetDocumentAsync($"/admin/guestbook?page=3&state=waiting&q={marker}");
        Assert.Equal(ids.Take(3).Reverse(), Moderation.Shown(third));
        Assert.Null(third.QuerySelector("a[rel=next]"));
        Assert.Equal([ids[44], ids[43]], Moderation.Shown(await owner.GetDocumentAsync($"/admin/guestbook?state=published&q={marker}")));
        Assert.Empty(Moderation.Shown(await owner.GetDocumentAsync($"/admin/guestbook?state=hidden&q={marker}")));
        Assert.Equal("selected", (await owner.GetDocumentAsync($"/admin/guestbook?state=hidden&q={marker}")).QuerySelector("#state option[value=hidden]")?.GetAttribute("selected"));
    }

    [Fact]
    public async Task BulkActionsChangeTheTickedEntriesAndAreRecordedAsOneActionEach()
    {
        var marker = Marker();
        var ids = await site.GuestbookEntriesAsync(3, marker);
        await Moderation.HoldAsync(site, ids);
        var owner = await site.SignedInClientAsync();
        var visitor = site.CreateClient();
        var page = await owner.GetDocumentAsync($"/admin/guestbook?state=waiting&q={marker}");

        using var publish = await Moderation.BulkAsync(owner, page, "publish", [ids[0], ids[2]]);

        Assert.Equal(HttpStatusCode.Redirect, publish.StatusCode);
        Assert.Equal($"/admin/guestbook?page=1&state=waiting&q={marker}", publish.Headers.Location?.OriginalString);
        Assert.True(await Moderation.IsPublicAsync(visitor, ids[0]));
        Assert.False(await Moderation.IsPublicAsync(visitor, ids[1]));
        Assert.True(await Moderation.IsPublicAsync(visitor, ids[2]));
        Assert.Equal(("owner", "published 2 guestbook entries", $"#{ids[0]}, #{ids[2]}"), (await Moderation.ActionsAsync(site))[0]);

        using var hide = await Moderation.BulkAsync(owner, page, "hide", ids);

        Assert.Equal(HttpStatusCode.Redirect, hide.StatusCode);
        foreach (var id in ids)
        {
            Assert.False(await Moderation.IsPublicAsync(visitor, id));
        }

        Assert.Equal(3, await site.CountAsync("guestbook_entries", "id IN @ids AND hidden = 1 AND held = 0", new { ids }));
        Assert.Equal(ids, Moderation.Shown(await owner.GetDocumentAsync($"/admin/guestbook?state=hidden&q={marker}")).Reverse());
    }

    [Fact]
    public async Task ABulkActionNamingRowsThatAreNotInTheListChangesOnlyTheListsOwnRows()
    {
        var entry = (await site.GuestbookEntriesAsync(1, Marker()))[0];
        var message = (await site.ContactMessagesAsync(1))[0];
        var owner = await site.SignedInClientAsync();
        var page = await owner.GetDocumentAsync("/admin/guestbook");
        var foreign = Math.Max(entry, message) + 1000;
        var messagesBefore = await site.CountAsync("contact_messages");

        using var delete = await Moderation.BulkAsync(owner, page, "delete", [entry, foreign], confirmed: true);

        Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        Assert.EndsWith("&deleted=1", delete.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(0, await site.CountAsync("guestbook_entries", "id = @entry", new { entry }));
        Assert.Equal(messagesBefore, await site.CountAsync("contact_messages"));
        Assert.Equal(("owner", "deleted guestbook entry", $"#{entry}"), (await Moderation.ActionsAsync(site))[0]);

        var actionsBefore = await site.CountAsync("owner_actions");
        using var nothing = await Moderation.BulkAsync(owner, page, "hide", [foreign]);
        Assert.Equal(HttpStatusCode.Redirect, nothing.StatusCode);
        Assert.Equal(actionsBefore, await site.CountAsync("owner_actions"));

        using var refused = await PostBulkAsync(owner, page, "/admin/guestbook", ("change", "hide"), ("ids", $"{message} OR 1=1"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("The selection wasn't understood. Please tick the rows again.", (await Html.ParseAsync(refused)).QuerySelector("#refusal")?.TextContent);
        Assert.Equal(actionsBefore, await site.CountAsync("owner_actions"));
    }

    [Fact]
    public async Task ABulkActionWithNothingTickedOrNoActionSaysWhatIsMissingAndKeepsTheTicks()
    {
        var ids = await site.ContactMessagesAsync(2);
        var owner = await site.SignedInClientAsync();
        var page = await owner.GetDocumentAsync("/admin/messages");

        using var none = await Moderation.BulkAsync(owner, page, "handled", []);

        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Equal("Tick at least one row first, then choose what to do with it.", (await Html.ParseAsync(none)).QuerySelector("#refusal")?.TextContent);

        using var unknown = await PostBulkAsync(owner, page, "/admin/messages", ("change", "archive"), ("ids", $"{ids[1]}"));

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var redisplayed = await Html.ParseAsync(unknown);
        Assert.Equal("Choose what to do with the ticked rows.", redisplayed.QuerySelector("#refusal")?.TextContent);
        Assert.NotNull(redisplayed.QuerySelector($"#select-{ids[1]}[checked]"));
        Assert.Null(redisplayed.QuerySelector($"#select-{ids[0]}[checked]"));
        Assert.Equal(0, await site.CountAsync("contact_messages", "id IN @ids AND handled = 1", new { ids }));
    }

    [Fact]
    public async Task DeletingAMessageAsksForConfirmationAndOnlyTheSecondSubmitRemovesIt()
    {
        var ids = await site.ContactMessagesAsync(2);
        var owner = await site.SignedInClientAsync();
        var inbox = await owner.GetDocumentAsync("/admin/messages");

        using var ask = await owner.SubmitAsync(inbox, $"#message-{ids[0]} form.delete-form", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.OK, ask.StatusCode);
        Assert.Equal(1, await site.CountAsync("contact_messages", "id = @id", new { id = ids[0] }));
        var confirmation = await Html.ParseAsync(ask);
        Assert.Equal("Delete this message?", confirmation.QuerySelector("#confirm-title")?.TextContent);
        Assert.Contains("Sender 1", confirmation.QuerySelector("#confirming")?.TextContent, StringComparison.Ordinal);

        using var confirm = await owner.SubmitAsync(confirmation, "#confirm-form", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, confirm.StatusCode);
        Assert.Equal(0, await site.CountAsync("contact_messages", "id = @id", new { id = ids[0] }));
        Assert.Equal(1, await site.CountAsync("contact_messages", "id = @id", new { id = ids[1] }));
        Assert.Equal(("owner", "deleted message", $"#{ids[0]}"), (await Moderation.ActionsAsync(site))[0]);
        var after = await owner.GetDocumentAsync(confirm.Headers.Location!.OriginalString);
        Assert.Equal("Deleted 1 message.", after.QuerySelector("#done")?.TextContent);
    }

    [Fact]
    public async Task TheApiFiltersCountsAndDeletes()
    {
        var marker = Marker();
        var ids = await site.GuestbookEntriesAsync(3, marker);
        await Moderation.HoldAsync(site, [ids[1]]);
        var owner = await site.SignedInClientAsync();

        var waiting = await owner.GetFromJsonAsync<JsonElement>($"/api/admin/guestbook?state=waiting&q={marker}");
        Assert.Equal(1, waiting.GetProperty("total").GetInt64());
        Assert.Equal(1, waiting.GetProperty("pages").GetInt32());
        var item = Assert.Single(waiting.GetProperty("items").EnumerateArray());
        Assert.Equal((ids[1], "waiting"), (item.GetProperty("id").GetInt64(), item.GetProperty("status").GetString()));

        using (var publish = await AdminSiteFactory.PostApiAsync(owner, $"/api/admin/guestbook/{ids[1]}/publish"))
        {
            Assert.Equal(HttpStatusCode.NoContent, publish.StatusCode);
        }

        Assert.True(await Moderation.IsPublicAsync(site.CreateClient(), ids[1]));

        using (var delete = await AdminSiteFactory.SendApiAsync(owner, HttpMethod.Delete, $"/api/admin/guestbook/{ids[0]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        Assert.Equal(0, await site.CountAsync("guestbook_entries", "id = @id", new { id = ids[0] }));
        using (var again = await AdminSiteFactory.SendApiAsync(owner, HttpMethod.Delete, $"/api/admin/guestbook/{ids[0]}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }

        var message = (await site.ContactMessagesAsync(1))[0];
        using (var deleteMessage = await AdminSiteFactory.SendApiAsync(owner, HttpMethod.Delete, $"/api/admin/messages/{message}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleteMessage.StatusCode);
        }

        Assert.Equal(0, await site.CountAsync("contact_messages", "id = @message", new { message }));

        using var badState = await owner.GetAsync(new Uri("/api/admin/messages?state=waiting", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, badState.StatusCode);
        Assert.Equal("application/problem+json", badState.Content.Headers.ContentType?.MediaType);
        Assert.Contains("state must be one of unhandled, handled", await badState.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheApisBulkChangeAnswersWhatItChangedAndRefusesAnUnknownAction()
    {
        var ids = await site.ContactMessagesAsync(2);
        var owner = await site.SignedInClientAsync();
        var absent = ids[1] + 1000;

        using var handled = await AdminSiteFactory.SendApiAsync(owner, HttpMethod.Post, "/api/admin/messages/bulk", new { action = "handled", ids = new[] { ids[1], absent, ids[0], ids[1] } });

        Assert.Equal(HttpStatusCode.OK, handled.StatusCode);
        var changed = (await handled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changed").EnumerateArray().Select(e => e.GetInt64());
        Assert.Equal(ids, changed);
        Assert.Equal(2, await site.CountAsync("contact_messages", "id IN @ids AND handled = 1", new { ids }));
        Assert.Equal(("owner", "marked 2 messages handled", $"#{ids[0]}, #{ids[1]}"), (await Moderation.ActionsAsync(site))[0]);

        using var unknown = await AdminSiteFactory.SendApiAsync(owner, HttpMethod.Post, "/api/admin/messages/bulk", new { action = "publish", ids = Array.Empty<long>() });

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var problem = await unknown.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("action must be one of handled, unhandled, delete.", problem.GetProperty("errors").GetProperty("action")[0].GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("ids", out _));
    }

    [Fact]
    public async Task TheApisNextLinkKeepsTheSearch()
    {
        var marker = Marker();
        await site.GuestbookEntriesAsync(21, marker);
        var owner = await site.SignedInClientAsync();

        var first = await owner.GetFromJsonAsync<JsonElement>($"/api/admin/guestbook?state=published&q={marker}");

        Assert.Equal(21, first.GetProperty("total").GetInt64());
        Assert.Equal($"/api/admin/guestbook?page=2&state=published&q={marker}", first.GetProperty("next").GetString());
        var second = await owner.GetFromJsonAsync<JsonElement>(first.GetProperty("next").GetString());
        Assert.Equal(1, second.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
        Assert.Equal(2, second.GetProperty("page").GetInt32());
    }
}
