using Site.Web.Hosting;

namespace Site.Web.Notifications;

/// <summary>
/// The owner's SMTP account as a Secrets Manager secret, compiled into both the app and the CDK app: the JSON fields
/// ECS injects as Mail__Username, Mail__Password, Mail__From and Mail__To, the value a newly deployed secret starts
/// with, and the SMTP server the deployment points the app at.
/// </summary>
public static class MailSecret
{
    public const string UsernameField = "username";
    public const string PasswordField = "password";
    public const string FromField = "from";
    public const string ToField = "to";

    /// <summary>SMTP submission with STARTTLS, as Amazon SES's SMTP interface takes it.</summary>
    public const int SubmissionPort = 587;

    /// <summary>Amazon SES's SMTP endpoint in a region.</summary>
    public static string SesSmtpHost(string region) => $"email-smtp.{region}.amazonaws.com";

    /// <summary>Each field paired with the setting ECS injects it as.</summary>
    public static IReadOnlyList<(string Field, string Setting)> Settings { get; } =
    [
        (UsernameField, MailVariables.Username),
        (PasswordField, MailVariables.Password),
        (FromField, MailVariables.From),
        (ToField, MailVariables.To),
    ];

    /// <summary>
    /// What every field of a new deploy's secret holds: e-mail stays switched off (contact messages are still stored
    /// and shown in /admin) until the owner replaces all four. A word rather than an empty value, so that the secret
    /// says what it is when the owner opens it.
    /// </summary>
    public const string SwitchedOff = "off";
}

public enum MailSecurity
{
    /// <summary>Plain SMTP upgraded with STARTTLS, refused if the server doesn't offer it: Amazon SES on 587.</summary>
    StartTls,

    /// <summary>TLS from the first byte, usually on 465.</summary>
    Tls,

    /// <summary>No encryption: only for a server on this machine's loopback.</summary>
    None,
}
