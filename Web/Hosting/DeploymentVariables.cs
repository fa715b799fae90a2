namespace Site.Web.Hosting;

// The settings the deployment passes as environment variables (Section__Key), one class per options section; the
// database's are DatabaseVariables. The CDK app compiles this same file and the options classes take their section
// names from it, so renaming a setting breaks the build of both instead of a deploy.

public static class SiteVariables
{
    public const string Section = "Site";
    public const string Environment = Section + "__Environment";

    /// <summary>The commit the running image was built from.</summary>
    public const string AppVersion = "APP_VERSION";
}

public static class MediaVariables
{
    public const string Section = "Media";
    public const string Provider = Section + "__Provider";
    public const string Bucket = Section + "__Bucket";
}

public static class MailVariables
{
    public const string Section = "Mail";
    public const string Host = Section + "__Host";
    public const string Port = Section + "__Port";
    public const string Security = Section + "__Security";
    public const string Username = Section + "__Username";
    public const string Password = Section + "__Password";
    public const string From = Section + "__From";
    public const string To = Section + "__To";
    public const string GuideUrl = Section + "__GuideUrl";
}

public static class AdminVariables
{
    public const string Section = "Admin";
    public const string User = Section + "__User";
    public const string PasswordHash = Section + "__PasswordHash";
}

public static class DataProtectionVariables
{
    public const string Section = "DataProtection";
    public const string KeyEncryptionKey = Section + "__KeyEncryptionKey";
}
