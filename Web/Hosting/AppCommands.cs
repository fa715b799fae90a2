namespace Site.Web.Hosting;

/// <summary>
/// The modes the app's own entry point runs in besides serving, compiled into the CDK app too: the task definition
/// names them, and a rename must break the build, not the deploy.
/// </summary>
public static class AppCommands
{
    /// <summary>The container health check: exits 0 when the running app answers its liveness endpoint.</summary>
    public const string Probe = "probe";

    /// <summary>The init container: creates the IAM database user with the master password, then exits.</summary>
    public const string ProvisionDatabase = "provision-database";
}
