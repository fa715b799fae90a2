using System.Net;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Security;

public sealed class HoneypotTests(SiteFactory site) : IClassFixture<SiteFactory>
{
    private readonly HttpClient client = site.CreateBrowserLikeClient();

    [Theory]
    [InlineData("/guestbook", "#guestbook-form", "/guestbook", "guestbook_entries")]
    [InlineData("/contact", "main form", "/contact/sent", "contact_messages")]
    public async Task ABotFillingTheHiddenFieldSeemsToSucceedButNothingIsStored(string path, string form, string redirect, string table)
    {
        var message = $"Buy cheap {Guid.NewGuid():N}";
        var page = await client.GetDocumentAsync(path);
        Assert.Equal("true", page.QuerySelector("#Form_Website")?.ParentElement?.GetAttribute("aria-hidden"));
        Assert.Equal("-1", page.QuerySelector("#Form_Website")?.GetAttribute("tabindex"));

        using var response = await client.SubmitAsync(page, form, new Dictionary<string, string>
        {
            ["Form.Name"] = "Bot",
            ["Form.Email"] = "bot@example.com",
            ["Form.Message"] = message,
            ["Form.Website"] = "http://spam.example",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(redirect, response.Headers.Location?.OriginalString.Split('?')[0]);
        Assert.Equal(0, await site.CountAsync(table, "message = @message", new { message }));
    }
}
