namespace Site.Web.Data;

/// <summary>
/// How the app signs in to the database (Database__Auth). The CDK app compiles this same file, so the value a task
/// definition sets is one DatabaseOptions can bind.
/// </summary>
public enum DatabaseAuth
{
    Password,
    Iam,
}
