namespace Site.Web.Admin;

/// <summary>The owner's sign-in page, compiled into the CDK app too: the web firewall limits posts to it per client.</summary>
public static class AdminPaths
{
    public const string Login = "/admin/login";
}
