using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Site.Web.Notifications;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Notifications;

public sealed class OutboxClaimTests(IdleSenderMailSiteFactory site) : IClassFixture<IdleSenderMailSiteFactory>
{
    private const string ClaimUpdate = "INFO LIKE 'UPDATE mail_outbox SET attempts%'";

    // A visitor's message queues its mail in the message's own transaction. A claim that locked the gaps of the index it
    // scans (REPEATABLE READ) made that insert wait until the claim ended, and at times deadlocked with it, the visitor's
    // transaction being the one rolled back (a 503). A trigger holds the claim between its SELECT and its UPDATE
    // (SLEEP returns 0) until the test ends it, so the post certainly lands in the middle of the claim.
    [Fact]
    public async Task AVisitorsMessageDoesNotWaitForASenderInTheMiddleOfClaimingMail()
    {
        var visitor = site.CreateBrowserLikeClient();
        using (var first = await ContactForm.SendAsync(visitor, $"Already waiting {Guid.NewGuid():N}"))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        }

        var page = await visitor.GetDocumentAsync("/contact");
        await using var connection = await site.OpenDatabaseAsync();
        await connection.ExecuteAsync("CREATE TRIGGER slow_claim BEFORE UPDATE ON mail_outbox FOR EACH ROW SET NEW.attempts = NEW.attempts + SLEEP(120)");
        try
        {
            var claim = site.Services.GetRequiredService<MailOutbox>().ClaimAsync(TimeSpan.FromMinutes(5), CancellationToken.None);
            var claimThread = await WaitForTheClaimsUpdateAsync(connection);

            var message = $"Sent while mail was being claimed {Guid.NewGuid():N}";
            using (var response = await ContactForm.SendAsync(visitor, message, page))
            {
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            }

            Assert.Equal(1, await site.CountAsync("mail_outbox", "body LIKE CONCAT('%', @message, '%')", new { message }));
            Assert.Equal(claimThread, await ClaimUpdateThreadAsync(connection));

            await connection.ExecuteAsync($"KILL QUERY {claimThread}");
            await Assert.ThrowsAsync<MySqlException>(() => claim);
        }
        finally
        {
            await connection.ExecuteAsync("DROP TRIGGER slow_claim");
        }
    }

    private static Task<long?> ClaimUpdateThreadAsync(MySqlConnection connection) =>
        connection.ExecuteScalarAsync<long?>($"SELECT ID FROM information_schema.PROCESSLIST WHERE {ClaimUpdate}");

    private static async Task<long> WaitForTheClaimsUpdateAsync(MySqlConnection connection)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (await ClaimUpdateThreadAsync(connection) is { } thread)
            {
                return thread;
            }

            Assert.True(DateTime.UtcNow < deadline, "The claim never reached its update.");
            await Task.Delay(20);
        }
    }
}
