using System.Net;
using System.Text.Json;
using Dapper;
using Site.Web.Hosting;
using Site.Web.Tests.Infrastructure;
using static Site.Web.Tests.Infrastructure.LogsInsights;

namespace Site.Web.Tests.Notifications;

public sealed class OwnerMailTests(MailSiteFactory site) : IClassFixture<MailSiteFactory>
{
    private readonly HttpClient visitor = site.CreateBrowserLikeClient();

    private static string Unique(string text) => $"{text} {Guid.NewGuid():N}";

    private async Task<(long Id, int Attempts, bool Sent)> OutboxRowAsync(string text)
    {
        await using var connection = await site.OpenDatabaseAsync();
        return await connection.QuerySingleAsync<(long, int, bool)>(
            "SELECT id, attempts, sent_at IS NOT NULL FROM mail_outbox WHERE body LIKE CONCAT('%', @text, '%')", new { text });
    }

    private async Task WaitUntilSentAsync(string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!(await OutboxRowAsync(text)).Sent)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The mail with '{text}' was not marked sent.");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task AContactMessageIsStoredBeforeTheAnswerAndReachesTheOwnerAsAMailTheyCanReplyTo()
    {
        var message = Unique("Do you have a table for six on Friday?");

        using var response = await ContactForm.SendAsync(visitor, message, name: "Grace", email: "grace@example.org");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(1, await site.CountAsync("contact_messages", "message = @message", new { message }));
        var mail = Assert.Single(await site.Smtp.WaitForAsync(message));
        Assert.Equal(MailSiteFactory.OwnerAddress, mail.To.Mailboxes.Single().Address);
        Assert.Equal(MailSiteFactory.SiteAddress, mail.From.Mailboxes.Single().Address);
        Assert.Equal("grace@example.org", mail.ReplyTo.Mailboxes.Single().Address);
        Assert.Equal("Message from Grace", mail.Subject);
        Assert.Contains("Grace <grace@example.org>", mail.TextBody, StringComparison.Ordinal);
        await WaitUntilSentAsync(message);
    }

    [Fact]
    public async Task TheSameFormPostedTwiceQueuesAndSendsOneMail()
    {
        var message = Unique("Posted twice");
        var page = await visitor.GetDocumentAsync("/contact");

        using var first = await ContactForm.SendAsync(visitor, message, page);
        using var again = await ContactForm.SendAsync(visitor, message, page);

        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(1, await site.CountAsync("mail_outbox", "body LIKE CONCAT('%', @message, '%')", new { message }));
        await WaitUntilSentAsync(message);
        Assert.Single(site.Smtp.Containing(message));
    }

    [Fact]
    public async Task WhileTheSmtpServerIsDownMessagesAreTakenAndTheMailIsSentOnceItIsBack()
    {
        var message = Unique("Sent while the mail server was down");
        await site.Smtp.StopAsync();
        try
        {
            using var response = await ContactForm.SendAsync(visitor, message);

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/contact/sent?receipt=", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
            var (id, _, _) = await OutboxRowAsync(message);
            var failed = await site.Logs.WaitForAsync(
                e => Text(e, LogFields.EventName) == LogFields.Events.MailSendFailed && Field(e, LogFields.OutboxId)?.GetInt64() == id,
                $"failed attempt of mail {id}");
            Assert.Equal("Warning", Text(failed, LogFields.Level));
            Assert.Equal(JsonValueKind.Number, Field(failed, LogFields.OutboxId)?.ValueKind);
            Assert.Contains($"127.0.0.1:{site.Smtp.Port}", Text(failed, LogFields.MailError), StringComparison.Ordinal);
            Assert.Contains($"Mail {id} not sent (attempt 1 of", Text(failed, LogFields.Message), StringComparison.Ordinal);
        }
        finally
        {
            await site.Smtp.StartAsync();
        }

        Assert.Single(await site.Smtp.WaitForAsync(message));
        await WaitUntilSentAsync(message);
        Assert.True((await OutboxRowAsync(message)).Attempts >= 2);
    }

    [Fact]
    public async Task TwoTasksOnOneDatabaseSendEachMessageExactlyOnce()
    {
        await using var second = Infrastructure.SiteFactory.SharingDatabaseWith(site);
        await second.InitializeAsync();
        var marker = Unique("Busy evening");
        var messages = Enumerable.Range(1, 12).Select(i => $"{marker} #{i}.").ToList();
        var visitors = new[] { visitor, second.CreateBrowserLikeClient() };

        for (var i = 0; i < messages.Count; i++)
        {
            using var response = await ContactForm.SendAsync(visitors[i % 2], messages[i]);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        foreach (var message in messages)
        {
            await WaitUntilSentAsync(message);
        }

        Assert.All(messages, message => Assert.Single(site.Smtp.Containing(message)));
    }
}
