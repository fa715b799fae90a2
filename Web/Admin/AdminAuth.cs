using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Site.Web.Hosting;

namespace Site.Web.Admin;

public static class AdminAuth
{
    public const string Scheme = "Admin";
    public const string Policy = "Admin";
    public const string CookieName = "__Host-admin";
    public const string LoginPath = AdminPaths.Login;
    private const string StampClaim = "admin_stamp";

    /// <summary>The owner's session cookie, and every page in Admin/ behind it.</summary>
    public static IServiceCollection AddAdminAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(Scheme).AddCookie(Scheme, options =>
        {
            options.Cookie.Name = CookieName;
            options.Cookie.Path = "/";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            // The scheme the visitor used at the load balancer (X-Forwarded-Proto): a Secure cookie set over plain HTTP
            // (a deployment without a domain, `make run`) is refused by the browser, and nobody could sign in.
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.CookieManager = new AdminCookieManager();
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            options.LoginPath = LoginPath;
            options.LogoutPath = "/admin/logout";
            options.ReturnUrlParameter = "returnUrl";
            options.Events.OnRedirectToLogin = context => Refuse(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => Refuse(context, StatusCodes.Status403Forbidden);
            options.Events.OnValidatePrincipal = async context =>
            {
                var admin = context.HttpContext.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value;
                if (context.Principal is null || !IsCurrent(context.Principal, admin))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(Scheme);
                }
            };
        });
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());

        // Every page in Admin/ needs the owner, including pages added later; only the login page is open.
        services.Configure<RazorPagesOptions>(options => options.Conventions
            .AuthorizeFolder("/Admin", Policy)
            .AllowAnonymousToPage("/Admin/Login"));
        return services;
    }

    public static ClaimsPrincipal Principal(AdminOptions admin) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, admin.User!), new Claim(StampClaim, Stamp(admin))], Scheme));

    /// <summary>
    /// The cookie's name as this request sees it: __Host-… whenever it is Secure, that is over HTTPS (the prefix makes
    /// browsers insist on Secure, Path=/ and no Domain), and without the prefix over plain HTTP, where browsers would
    /// drop a __Host- cookie.
    /// </summary>
    public static string CookieNameFor(HttpContext context, string name) =>
        context.Request.IsHttps ? name : name.Replace("__Host-", "", StringComparison.Ordinal);

    /// <summary>A session stays valid only while the configured user and password hash are the ones it was issued for.</summary>
    private static bool IsCurrent(ClaimsPrincipal principal, AdminOptions admin) =>
        admin.Enabled && principal.Identity?.Name == admin.User && principal.FindFirst(StampClaim)?.Value == Stamp(admin);

    private static string Stamp(AdminOptions admin) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(admin.PasswordHash ?? "")))[..16];

    /// <summary>Pages send the visitor to the login page; API callers get the status, and a problem-details body from the status code pages.</summary>
    private static Task Refuse(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (status == StatusCodes.Status401Unauthorized && !WebExtensions.IsApi(context.HttpContext))
        {
            context.Response.Redirect(context.RedirectUri);
        }
        else
        {
            context.Response.StatusCode = status;
        }

        return Task.CompletedTask;
    }

    /// <summary>Names the session cookie __Host-admin over HTTPS and plain "admin" over plain HTTP (<see cref="CookieNameFor"/>).</summary>
    private sealed class AdminCookieManager : ICookieManager
    {
        private readonly ChunkingCookieManager inner = new();

        public string? GetRequestCookie(HttpContext context, string key) => inner.GetRequestCookie(context, CookieNameFor(context, key));

        public void AppendResponseCookie(HttpContext context, string key, string? value, CookieOptions options) =>
            inner.AppendResponseCookie(context, CookieNameFor(context, key), value, options);

        public void DeleteCookie(HttpContext context, string key, CookieOptions options) => inner.DeleteCookie(context, CookieNameFor(context, key), options);
    }
}
