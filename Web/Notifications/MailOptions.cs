using System.ComponentModel.DataAnnotations;
using System.Net;
using MimeKit;
using Site.Web.Hosting;

namespace Site.Web.Notifications;

/// <summary>
/// The SMTP server that mail to the owner goes through. Without a host, or while any field of the deployment's secret
/// still holds <see cref="MailSecret.SwitchedOff"/>, e-mail is switched off: messages are stored and nothing is queued.
/// </summary>
public sealed class MailOptions : IValidatableObject
{
    public const string SectionName = MailVariables.Section;

    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = MailSecret.SubmissionPort;

    public MailSecurity Security { get; set; } = MailSecurity.StartTls;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender: an address of the domain the SMTP server may send for (with SES, a verified identity).</summary>
    public string? From { get; set; }

    /// <summary>The owner's address, where the mail goes.</summary>
    public string? To { get; set; }

    /// <summary>The owner's guide to setting e-mail up, linked from /admin while it is not.</summary>
    public Uri? GuideUrl { get; set; }

    /// <summary>How long to wait after each failed attempt; after the last one the mail is given up as failed.</summary>
    public TimeSpan[]? RetryDelays { get; set; }

    /// <summary>How often each task looks for mail that is due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a task may take to send what it claimed before another task may claim it again.</summary>
    public TimeSpan ClaimFor { get; set; } = TimeSpan.FromMinutes(5);

    public static IReadOnlyList<TimeSpan> DefaultRetryDelays { get; } =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(6)];

    public IReadOnlyList<TimeSpan> Delays => RetryDelays is { Length: > 0 } delays ? delays : DefaultRetryDelays;

    /// <summary>The first attempt and one after each delay.</summary>
    public int MaxAttempts => Delays.Count + 1;

    public bool Enabled => !string.IsNullOrWhiteSpace(Host) && !IsOff(From) && !IsOff(To)
        && Username?.Trim() != MailSecret.SwitchedOff && Password?.Trim() != MailSecret.SwitchedOff;

    public bool HasCredentials => !string.IsNullOrEmpty(Username);

    private static bool IsOff(string? value) => string.IsNullOrWhiteSpace(value) || value.Trim() == MailSecret.SwitchedOff;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        foreach (var (name, value) in new[] { ("Mail__From", From), ("Mail__To", To) })
        {
            if (!MailboxAddress.TryParse(value, out var address) || !address.Address.Contains('@', StringComparison.Ordinal))
            {
                yield return new ValidationResult($"{name} is not an e-mail address: '{value}'.");
            }
        }

        if (string.IsNullOrEmpty(Username) != string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult("Mail__Username and Mail__Password go together: set both, or neither for a server that needs no sign-in.");
        }

        if (Security == MailSecurity.None && !IsLoopback(Host!))
        {
            yield return new ValidationResult($"Mail__Security None sends the password and the mail unencrypted: it is only for a server on loopback, not '{Host}'.");
        }

        if (Delays.Any(d => d <= TimeSpan.Zero) || PollInterval <= TimeSpan.Zero || ClaimFor <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Mail__RetryDelays, Mail__PollInterval and Mail__ClaimFor must be positive durations.");
        }
    }

    private static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
}
