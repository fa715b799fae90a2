namespace Site.Web.Data;

/// <summary>
/// The names under which the deployment sets the database options it derives. The CDK app compiles this same file, so
/// the variable a task definition sets is the one <see cref="DatabaseOptions"/> binds.
/// </summary>
public static class DatabaseVariables
{
    public const string Section = "Database";

    /// <summary><see cref="DatabaseOptions.MaxPoolSize"/>, as an environment variable.</summary>
    public const string MaxPoolSize = Section + "__" + nameof(DatabaseOptions.MaxPoolSize);
}
