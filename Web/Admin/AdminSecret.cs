namespace Site.Web.Admin;

/// <summary>
/// The owner's account as a Secrets Manager secret, compiled into both the app and the CDK app: the JSON fields
/// ECS injects as Admin__User and Admin__PasswordHash, and the value a newly deployed secret starts with.
/// </summary>
public static class AdminSecret
{
    public const string UserField = "user";
    public const string PasswordHashField = "passwordHash";
    public const string DefaultUser = "owner";

    /// <summary>
    /// The password hash of a new deploy: the admin area stays switched off (the public site runs as usual) until
    /// the owner stores the output of `hash-password` in its place. A word rather than an empty value, so that
    /// the secret says what to do when the owner opens it.
    /// </summary>
    public const string SwitchedOff = "off";
}
