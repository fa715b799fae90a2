using System.Net;
using Site.Web.Common;
using Site.Web.Hosting;
using Site.Web.Tests.Infrastructure;
using static Site.Web.Tests.Infrastructure.LogsInsights;

namespace Site.Web.Tests.Contact;

/// <summary>
/// A phone restores a tab, or cookies were cleared: the form posts without its security cookie. The visitor gets the
/// form back with the text and a clear message, the log a line that says why, and sending again works.
/// </summary>
public sealed class LostFormTokenTests(SiteFactory site) : IClassFixture<SiteFactory>
{
    public static TheoryData<string, string, string> Forms => new()
    {
        { "/contact", "main form", "contact_messages" },
        { "/guestbook", "#guestbook-form", "guestbook_entries" },
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task TheFormComesBackWithTheTextAndTheLogSaysWhy(string path, string formSelector, string table)
    {
        var message = $"Written before the tab was restored {Guid.NewGuid():N}";
        var values = new Dictionary<string, string> { ["Form.Name"] = "Restored Tab", ["Form.Email"] = "tab@example.org", ["Form.Message"] = message };
        var form = await site.CreateBrowserLikeClient().GetDocumentAsync(path);

        // The same page posted by a browser that no longer has the cookie the page's token belongs to.
        var restored = site.CreateBrowserLikeClient();
        using var refused = await restored.SubmitAsync(form, formSelector, values);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var page = await Html.ParseAsync(refused);
        var traceId = refused.Headers.GetValues(WebExtensions.TraceIdHeader).Single();
        Assert.Equal("Restored Tab", page.QuerySelector("#Form_Name")?.GetAttribute("value"));
        Assert.Equal(message, page.QuerySelector("#Form_Message")?.TextContent);
        var error = page.QuerySelector(".form-error")?.TextContent;
        Assert.Contains(PageModelExtensions.FormExpired, error, StringComparison.Ordinal);
        Assert.Contains(traceId, error, StringComparison.Ordinal);
        Assert.Equal(0, await site.CountAsync(table, "message = @message", new { message }));

        var line = (await site.Logs.ForRequestAsync(traceId)).Single(e => Text(e, LogFields.Template) == LogFields.RequestCompletedTemplate);
        Assert.Equal(("Warning", path, "400", "Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException"),
            (Text(line, LogFields.Level), Text(line, LogFields.Route), Text(line, LogFields.StatusCode), Text(line, LogFields.ExceptionType)));
        Assert.Contains("cookie", Text(line, LogFields.ExceptionMessage), StringComparison.Ordinal);

        // The form it got back carries a fresh token, and the response the cookie for it.
        using var sent = await restored.SubmitAsync(page, formSelector, values);
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal(1, await site.CountAsync(table, "message = @message", new { message }));
    }
}
