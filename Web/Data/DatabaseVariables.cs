namespace Site.Web.Data;

/// <summary>
/// The names under which the deployment sets the database options. The CDK app compiles this same file, so the
/// variable a task definition sets is the one DatabaseOptions binds (written out: the CDK app has no DatabaseOptions).
/// </summary>
public static class DatabaseVariables
{
    public const string Section = "Database";

    public const string Host = Section + "__Host";
    public const string Port = Section + "__Port";
    public const string Name = Section + "__Name";
    public const string User = Section + "__User";
    public const string Password = Section + "__Password";
    public const string Auth = Section + "__Auth";
    public const string SslMode = Section + "__SslMode";
    public const string SslCa = Section + "__SslCa";

    /// <summary>
    /// The SslMode the deployment sets: MySqlConnector's MySqlSslMode.VerifyFull, written out because the CDK app has
    /// no MySqlConnector; DatabaseVariablesTests holds it to the enum.
    /// </summary>
    public const string VerifyFullSslMode = "VerifyFull";
    public const string IamUser = Section + "__IamUser";

    /// <summary>
    /// DatabaseOptions.MaxPoolSize. The pool exhaustion test sets the pool through this name, so a renamed option
    /// fails it.
    /// </summary>
    public const string MaxPoolSize = Section + "__MaxPoolSize";
}
