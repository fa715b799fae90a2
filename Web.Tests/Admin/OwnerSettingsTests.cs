using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Site.Web.Admin;
using Site.Web.Owner;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Admin;

public sealed class OwnerSettingsTests(AdminSiteFactory site) : IClassFixture<AdminSiteFactory>
{
    private readonly HttpClient visitor = site.CreateBrowserLikeClient();

    private async Task<(bool Hidden, bool Held)> StateAsync(long id)
    {
        await using var connection = await site.OpenDatabaseAsync();
        return await connection.QuerySingleAsync<(bool, bool)>("SELECT hidden, held FROM guestbook_entries WHERE id = @id", new { id });
    }

    private async Task<long> IdOfAsync(string name)
    {
        await using var connection = await site.OpenDatabaseAsync();
        return await connection.QuerySingleAsync<long>("SELECT id FROM guestbook_entries WHERE name = @name", new { name });
    }

    [Fact]
    public async Task WhileEntriesAreHeldANewOneIsConfirmedAsReceivedAndStaysOffThePublicGuestbookUntilTheOwnerPublishesIt()
    {
        var owner = await site.SignedInClientAsync();
        using (var saved = await Moderation.SaveSettingsAsync(owner, guestbook: "hold"))
        {
            Assert.Equal("/admin/settings?saved=true", saved.Headers.Location?.OriginalString);
        }

        var name = $"Held {Guid.NewGuid():N}"[..13];
        var form = await visitor.GetDocumentAsync("/guestbook");
        using var posted = await visitor.SubmitAsync(form, "#guestbook-form", new Dictionary<string, string> { ["Form.Name"] = name, ["Form.Message"] = "Lovely evening." });

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var received = await visitor.GetDocumentAsync(posted.Headers.Location!.OriginalString);
        Assert.Contains("once it has been reviewed", received.QuerySelector(".form-status")?.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("now in the guestbook", received.QuerySelector(".form-status")?.TextContent, StringComparison.Ordinal);
        var id = await IdOfAsync(name);
        Assert.False(await Moderation.IsPublicAsync(visitor, id));
        Assert.Equal((true, true), await StateAsync(id));

        using var api = await visitor.PostAsJsonAsync("/api/guestbook", new { name = $"{name} api", message = "Through the API." });
        Assert.Equal(HttpStatusCode.Accepted, api.StatusCode);
        Assert.Null(api.Headers.Location);
        var body = await api.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("waiting", body.GetProperty("status").GetString());
        Assert.False(await Moderation.IsPublicAsync(visitor, body.GetProperty("id").GetInt64()));

        var waiting = await owner.GetDocumentAsync("/admin/guestbook?state=waiting");
        Assert.Equal([body.GetProperty("id").GetInt64(), id], Moderation.Shown(waiting).Take(2));
        Assert.Equal("Waiting", waiting.QuerySelector($"#entry-{id} .badge")?.TextContent);
        Assert.Equal("Publish", waiting.QuerySelector($"#entry-{id} button")?.TextContent);

        using var publish = await owner.SubmitAsync(waiting, $"#entry-{id} form", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, publish.StatusCode);
        Assert.True(await Moderation.IsPublicAsync(visitor, id));
        Assert.Equal((false, false), await StateAsync(id));
        using var back = await Moderation.SaveSettingsAsync(owner, guestbook: "publish");
    }

    [Fact]
    public async Task WhilePublishingAtOnceANewEntryIsPublicStraightAway()
    {
        var owner = await site.SignedInClientAsync();
        using (var saved = await Moderation.SaveSettingsAsync(owner, guestbook: "publish"))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        using var api = await visitor.PostAsJsonAsync("/api/guestbook", new { name = "At once", message = "Straight in." });

        Assert.Equal(HttpStatusCode.Created, api.StatusCode);
        var id = (await api.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        Assert.True(await Moderation.IsPublicAsync(visitor, id));
    }

    [Theory]
    [InlineData("thirty")]
    [InlineData("1.5")]
    [InlineData("-3")]
    [InlineData("3651")]
    [InlineData("99999999999")]
    public async Task ARetentionThatIsNotAWholeNumberOfDaysInRangeIsRefusedWithTheReasonAndWhatWasTyped(string typed)
    {
        var owner = await site.SignedInClientAsync();
        var settingsBefore = await site.CountAsync("site_settings");
        var actionsBefore = await site.CountAsync("owner_actions");

        using var response = await Moderation.SaveSettingsAsync(owner, guestbook: "hold", retentionDays: typed);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Equal(SettingsModel.RetentionInvalid, page.QuerySelector("#retention-error")?.TextContent);
        Assert.Equal(typed, page.QuerySelector("#Form_RetentionDays")?.GetAttribute("value"));
        Assert.Equal("true", page.QuerySelector("#Form_RetentionDays")?.GetAttribute("aria-invalid"));
        Assert.Equal(settingsBefore, await site.CountAsync("site_settings"));
        Assert.Equal(actionsBefore, await site.CountAsync("owner_actions"));
    }

    [Fact]
    public async Task EachChangedSettingIsRecordedShownAgainAndReadableByTheSite()
    {
        var owner = await site.SignedInClientAsync();
        var settings = site.Services.GetRequiredService<SiteSettings>();
        using (await Moderation.SaveSettingsAsync(owner))
        {
        }

        var before = await site.CountAsync("owner_actions");

        using (var saved = await Moderation.SaveSettingsAsync(owner, guestbook: "hold", retentionDays: " 30 ", notify: true))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        Assert.Equal(new OwnerSettings(true, 30, true), await settings.GetAsync(CancellationToken.None));
        var recorded = (await Moderation.ActionsAsync(site)).Take((int)(await site.CountAsync("owner_actions") - before)).ToList();
        Assert.Equal(
            ["E-mail me about entries waiting for review: on", "Contact messages: delete after 30 days", "Guestbook: hold new entries for review"],
            recorded.Select(a => a.Subject));
        Assert.All(recorded, a => Assert.Equal(("owner", "changed setting"), (a.Actor, a.Action)));

        var page = await owner.GetDocumentAsync("/admin/settings?saved=true");
        Assert.Equal("Settings saved.", page.QuerySelector("#saved")?.TextContent);
        Assert.NotNull(page.QuerySelector("#guestbook option[value=hold][selected]"));
        Assert.Equal("30", page.QuerySelector("#Form_RetentionDays")?.GetAttribute("value"));
        Assert.NotNull(page.QuerySelector("#Form_NotifyWaiting[checked]"));

        var unchanged = await site.CountAsync("owner_actions");
        using (await Moderation.SaveSettingsAsync(owner, guestbook: "hold", retentionDays: "30", notify: true))
        {
        }

        Assert.Equal(unchanged, await site.CountAsync("owner_actions"));

        using (await Moderation.SaveSettingsAsync(owner, guestbook: "publish", retentionDays: ""))
        {
        }

        Assert.Equal(OwnerSettings.Defaults, await settings.GetAsync(CancellationToken.None));
        Assert.Equal("Contact messages: keep until deleted", (await Moderation.ActionsAsync(site))[1].Subject);
    }
}
