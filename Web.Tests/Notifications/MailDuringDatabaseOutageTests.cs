using System.Net;
using Site.Web.Hosting;
using Site.Web.Tests.Infrastructure;
using static Site.Web.Tests.Infrastructure.LogsInsights;

namespace Site.Web.Tests.Notifications;

/// <summary>E-mail set up, on a database server of its own that the test stops and starts again.</summary>
public sealed class PrivateDatabaseMailSiteFactory : MailSiteFactory
{
    protected override bool OwnServer => true;
}

public sealed class MailDuringDatabaseOutageTests(PrivateDatabaseMailSiteFactory site) : IClassFixture<PrivateDatabaseMailSiteFactory>
{
    [Fact]
    public async Task TheSenderWaitsOutADatabaseOutageAsOneOutageAndSendsAgainOnceItIsBack()
    {
        var visitor = site.CreateBrowserLikeClient();
        await site.DatabaseServer!.StopAsync();
        try
        {
            // Nobody visits: the outage is noticed by the sender looking for mail.
            await site.Logs.WaitForAsync(e => Text(e, LogFields.EventName) == LogFields.Events.DatabaseOutageStarted, "outage noticed by the sender");
            using var live = await visitor.GetAsync(new Uri("/health/live", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }
        finally
        {
            await site.DatabaseServer.StartAsync();
        }

        await site.Logs.WaitForAsync(e => Text(e, LogFields.EventName) == LogFields.Events.DatabaseOutageEnded, "outage end noticed by the sender");
        var message = $"After the outage {Guid.NewGuid():N}";
        using (var response = await ContactForm.SendAsync(visitor, message))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        Assert.Single(await site.Smtp.WaitForAsync(message));
        Assert.Single(site.Logs.Events, e => Text(e, LogFields.EventName) == LogFields.Events.DatabaseOutageStarted);
        Assert.DoesNotContain(site.Logs.Events, e => Text(e, LogFields.EventName) == "MailOutboxFailed");
    }
}
