using System.Net;
using Site.Web.Notifications;
using Site.Web.Tests.Admin;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Notifications;

/// <summary>The site as a new deploy starts it: the mail secret still holds its placeholder in every field.</summary>
public sealed class MailPlaceholderSiteFactory : AdminSiteFactory
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(OwnerSettings)
    {
        ["Mail:Host"] = "email-smtp.us-east-1.amazonaws.com",
        ["Mail:Port"] = "587",
        ["Mail:Username"] = MailSecret.SwitchedOff,
        ["Mail:Password"] = MailSecret.SwitchedOff,
        ["Mail:From"] = MailSecret.SwitchedOff,
        ["Mail:To"] = MailSecret.SwitchedOff,
        ["Mail:GuideUrl"] = "https://github.com/example/site/blob/main/docs/owner-guide.md#e-mail",
    };
}

public sealed class MailNotSetUpTests(MailPlaceholderSiteFactory site) : IClassFixture<MailPlaceholderSiteFactory>
{
    [Fact]
    public async Task MessagesAreStoredAndNothingIsQueuedAndTheDashboardSaysEmailIsNotSetUpWithALinkToTheGuide()
    {
        var message = $"Is anyone there? {Guid.NewGuid():N}";

        using var response = await ContactForm.SendAsync(site.CreateBrowserLikeClient(), message);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(1, await site.CountAsync("contact_messages", "message = @message", new { message }));
        Assert.Equal(0, await site.CountAsync("mail_outbox"));
        var dashboard = await (await site.SignedInClientAsync()).GetDocumentAsync("/admin");
        Assert.StartsWith("E-mail is not set up", dashboard.QuerySelector("#mail-status")?.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("https://github.com/example/site/blob/main/docs/owner-guide.md#e-mail", dashboard.QuerySelector("#mail-status a")?.GetAttribute("href"));
        Assert.Equal("0", dashboard.QuerySelector("#mail-waiting")?.TextContent);
    }

    [Fact]
    public async Task TheContactPageSaysTheOwnerAnswersFromTheirOwnAddress()
    {
        var page = await site.CreateClient().GetDocumentAsync("/contact");

        var how = page.QuerySelector("#contact-how")?.TextContent;
        Assert.Contains("answers from their own email address", how, StringComparison.Ordinal);
        Assert.DoesNotContain("don't send", page.Body?.TextContent, StringComparison.Ordinal);
    }
}
