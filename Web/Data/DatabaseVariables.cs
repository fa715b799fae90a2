namespace Site.Web.Data;

/// <summary>
/// The names under which the deployment sets the database options it derives. The CDK app compiles this same file, so
/// the variable a task definition sets is the one DatabaseOptions binds.
/// </summary>
public static class DatabaseVariables
{
    public const string Section = "Database";

    /// <summary>
    /// DatabaseOptions.MaxPoolSize, as an environment variable (written out: the CDK app has no DatabaseOptions). The
    /// pool exhaustion test sets the pool through this name, so a renamed option fails it.
    /// </summary>
    public const string MaxPoolSize = Section + "__MaxPoolSize";
}
