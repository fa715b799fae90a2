using System.Net;
using Dapper;
using Site.Web.Hosting;
using Site.Web.Tests.Infrastructure;
using static Site.Web.Tests.Infrastructure.LogsInsights;

namespace Site.Web.Tests.Notifications;

public sealed class MailFailureTests(GivingUpMailSiteFactory site) : IClassFixture<GivingUpMailSiteFactory>
{
    [Fact]
    public async Task AMailThatKeepsFailingIsGivenUpShownToTheOwnerWithItsErrorAndSentWhenTheyRetryIt()
    {
        var message = $"Nobody is listening {Guid.NewGuid():N}";
        using (var response = await ContactForm.SendAsync(site.CreateBrowserLikeClient(), message))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        long id;
        await using (var connection = await site.OpenDatabaseAsync())
        {
            id = await connection.QuerySingleAsync<long>("SELECT id FROM mail_outbox WHERE body LIKE CONCAT('%', @message, '%')", new { message });
        }

        var gaveUp = await site.Logs.WaitForAsync(
            e => Text(e, LogFields.EventName) == LogFields.Events.MailGaveUp && Field(e, LogFields.OutboxId)?.GetInt64() == id, $"give-up of mail {id}");
        Assert.Equal("Error", Text(gaveUp, LogFields.Level));
        Assert.Contains($"127.0.0.1:{site.Smtp.Port}", Text(gaveUp, LogFields.MailError), StringComparison.Ordinal);
        Assert.Single(site.Logs.Events, e => Text(e, LogFields.EventName) == LogFields.Events.MailSendFailed && Field(e, LogFields.OutboxId)?.GetInt64() == id);

        var owner = await site.SignedInClientAsync();
        var dashboard = await owner.GetDocumentAsync("/admin");
        Assert.Equal("1", dashboard.QuerySelector("#mail-failed-count")?.TextContent);
        Assert.Equal("Message from Ada", dashboard.QuerySelector($"#mail-{id} .entry-name")?.TextContent);
        Assert.Contains($"127.0.0.1:{site.Smtp.Port}", dashboard.QuerySelector($"#mail-{id} .mail-error")?.TextContent, StringComparison.Ordinal);

        await site.Smtp.StartAsync();
        using (var retry = await owner.SubmitAsync(dashboard, $"#mail-{id} form", new Dictionary<string, string>()))
        {
            Assert.Equal(HttpStatusCode.Redirect, retry.StatusCode);
        }

        Assert.Single(await site.Smtp.WaitForAsync(message));
        Assert.Equal(1, await site.CountAsync("owner_actions", "action = 'retried failed e-mail' AND subject = @subject AND actor = @actor",
            new { subject = $"#{id}", actor = Admin.AdminSiteFactory.User }));
        Assert.Null((await owner.GetDocumentAsync("/admin")).QuerySelector($"#mail-{id}"));
    }

    [Fact]
    public async Task RetryingAMailThatHasNotFailedAnswers404AndRecordsNothing()
    {
        var owner = await site.SignedInClientAsync();
        var dashboard = await owner.GetDocumentAsync("/admin");
        var token = dashboard.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value");
        Assert.NotNull(token);

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["id"] = "987654321", ["__RequestVerificationToken"] = token });
        using var response = await owner.PostAsync(new Uri("/admin?handler=retrymail", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, await site.CountAsync("owner_actions", "subject = '#987654321'"));
    }
}
