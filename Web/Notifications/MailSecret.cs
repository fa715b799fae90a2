namespace Site.Web.Notifications;

/// <summary>
/// The owner's SMTP account as a Secrets Manager secret, compiled into both the app and the CDK app: the JSON fields
/// ECS injects as Mail__Username, Mail__Password, Mail__From and Mail__To, and the value a newly deployed secret
/// starts with.
/// </summary>
public static class MailSecret
{
    public const string UsernameField = "username";
    public const string PasswordField = "password";
    public const string FromField = "from";
    public const string ToField = "to";

    /// <summary>Each field paired with the setting ECS injects it as.</summary>
    public static IReadOnlyList<(string Field, string Setting)> Settings { get; } =
    [
        (UsernameField, "Mail__Username"),
        (PasswordField, "Mail__Password"),
        (FromField, "Mail__From"),
        (ToField, "Mail__To"),
    ];

    /// <summary>
    /// What every field of a new deploy's secret holds: e-mail stays switched off (contact messages are still stored
    /// and shown in /admin) until the owner replaces all four. A word rather than an empty value, so that the secret
    /// says what it is when the owner opens it.
    /// </summary>
    public const string SwitchedOff = "off";
}
