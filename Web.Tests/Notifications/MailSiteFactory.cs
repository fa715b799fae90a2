using System.Globalization;
using Site.Web.Tests.Admin;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Notifications;

/// <summary>
/// The site with the owner account and e-mail set up, sending through a real SMTP server of its own that wants the
/// credentials from the settings; retries come within seconds instead of minutes.
/// </summary>
public class MailSiteFactory : AdminSiteFactory
{
    public const string OwnerAddress = "owner@harbour-lights.test";
    public const string SiteAddress = "site@harbour-lights.test";
    private const string SmtpUser = "smtp-user";
    private const string SmtpPassword = "smtp-password";

    public SmtpServer Smtp { get; } = new(SmtpUser, SmtpPassword);

    /// <summary>The waits after each failed attempt: many, so that a test can bring the server back in time.</summary>
    protected virtual IReadOnlyList<TimeSpan> RetryDelays { get; } =
        [.. new[] { 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120 }.Select(TimeSpan.FromSeconds)];

    protected virtual bool SmtpRunsFromTheStart => true;

    /// <summary>How often each task looks for due mail: often, so that tests see mail sent within moments.</summary>
    protected virtual TimeSpan PollInterval => TimeSpan.FromMilliseconds(100);

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(OwnerSettings)
    {
        ["Mail:Host"] = "127.0.0.1",
        ["Mail:Port"] = Smtp.Port.ToString(CultureInfo.InvariantCulture),
        ["Mail:Security"] = "None",
        ["Mail:Username"] = SmtpUser,
        ["Mail:Password"] = SmtpPassword,
        ["Mail:From"] = SiteAddress,
        ["Mail:To"] = OwnerAddress,
        ["Mail:PollInterval"] = PollInterval.ToString("c", CultureInfo.InvariantCulture),
    }.Concat(RetryDelays.Select((delay, i) => KeyValuePair.Create($"Mail:RetryDelays:{i}", (string?)delay.ToString("c", CultureInfo.InvariantCulture))))
        .ToDictionary();

    public override async Task InitializeAsync()
    {
        if (SmtpRunsFromTheStart)
        {
            await Smtp.StartAsync();
        }

        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>E-mail set up for an SMTP server that is not there yet: each mail is tried twice, then given up.</summary>
public sealed class GivingUpMailSiteFactory : MailSiteFactory
{
    protected override IReadOnlyList<TimeSpan> RetryDelays { get; } = [TimeSpan.FromMilliseconds(200)];

    protected override bool SmtpRunsFromTheStart => false;
}

/// <summary>E-mail set up, but the senders look for due mail only once an hour: the test claims mail itself.</summary>
public sealed class IdleSenderMailSiteFactory : MailSiteFactory
{
    protected override TimeSpan PollInterval => TimeSpan.FromHours(1);
}
