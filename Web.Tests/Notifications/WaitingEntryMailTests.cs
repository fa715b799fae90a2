using System.Net;
using Site.Web.Tests.Admin;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Notifications;

public sealed class WaitingEntryMailTests(MailSiteFactory site) : IClassFixture<MailSiteFactory>
{
    private readonly HttpClient visitor = site.CreateBrowserLikeClient();

    private async Task<HttpResponseMessage> SignAsync(string message)
    {
        var form = await visitor.GetDocumentAsync("/guestbook");
        return await visitor.SubmitAsync(form, "#guestbook-form", new Dictionary<string, string> { ["Form.Name"] = "Ada", ["Form.Message"] = message });
    }

    [Fact]
    public async Task WithEntriesHeldAndNotificationsOnTheOwnerIsMailedEachWaitingEntryOnce()
    {
        var owner = await site.SignedInClientAsync();
        using (await Moderation.SaveSettingsAsync(owner, guestbook: "hold", notify: true)) { }
        var message = $"Waiting {Guid.NewGuid():N}";

        using var posted = await SignAsync(message);

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var mail = Assert.Single(await site.Smtp.WaitForAsync(message));
        Assert.Equal(MailSiteFactory.OwnerAddress, mail.To.Mailboxes.Single().Address);
        Assert.Equal("Guestbook entry from Ada waiting for review", mail.Subject);
        Assert.Contains("/admin/guestbook", mail.TextBody, StringComparison.Ordinal);
        Assert.Equal(1, await site.CountAsync("mail_outbox", "body LIKE CONCAT('%', @message, '%')", new { message }));
    }

    [Fact]
    public async Task WithNotificationsOffOrEntriesPublishedAtOnceNoMailIsQueued()
    {
        var owner = await site.SignedInClientAsync();
        var held = $"Held quietly {Guid.NewGuid():N}";
        var published = $"Published {Guid.NewGuid():N}";

        using (await Moderation.SaveSettingsAsync(owner, guestbook: "hold", notify: false)) { }
        using (var first = await SignAsync(held)) { Assert.Equal(HttpStatusCode.Redirect, first.StatusCode); }
        using (await Moderation.SaveSettingsAsync(owner, guestbook: "publish", notify: true)) { }
        using (var second = await SignAsync(published)) { Assert.Equal(HttpStatusCode.Redirect, second.StatusCode); }

        Assert.Equal(1, await site.CountAsync("guestbook_entries", "message = @held AND held = 1", new { held }));
        Assert.Equal(1, await site.CountAsync("guestbook_entries", "message = @published AND held = 0", new { published }));
        Assert.Equal(0, await site.CountAsync("mail_outbox", "body LIKE CONCAT('%', @held, '%') OR body LIKE CONCAT('%', @published, '%')", new { held, published }));
    }
}
