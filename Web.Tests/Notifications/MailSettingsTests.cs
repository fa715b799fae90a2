using Microsoft.Extensions.Options;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Notifications;

public sealed class MailSettingsTests
{
    [Theory]
    [InlineData("smtp.example.org", "None", "site@example.org", "owner@example.org", "user", "password", "Mail__Security None")]
    [InlineData("127.0.0.1", "None", "not an address", "owner@example.org", "", "", "Mail__From")]
    [InlineData("127.0.0.1", "None", "site@example.org", "owner", "", "", "Mail__To")]
    [InlineData("email-smtp.us-east-1.amazonaws.com", "StartTls", "site@example.org", "owner@example.org", "user", "", "Mail__Username and Mail__Password")]
    public async Task MailSettingsThatCannotWorkStopTheSiteFromStartingAndSayWhich(
        string host, string security, string from, string to, string username, string password, string named)
    {
        await using var site = new ConfiguredSiteFactory(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = "Server=127.0.0.1;Port=1;User ID=site;Password=unused;Database=site",
            ["Mail:Host"] = host,
            ["Mail:Security"] = security,
            ["Mail:From"] = from,
            ["Mail:To"] = to,
            ["Mail:Username"] = username,
            ["Mail:Password"] = password,
        });

        var failure = Assert.Throws<OptionsValidationException>(() => site.CreateClient());

        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }
}
