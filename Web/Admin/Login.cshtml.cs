using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Site.Web.Common;
using Site.Web.Data;
using Site.Web.Hosting;

namespace Site.Web.Admin;

[EnableRateLimiting(RateLimits.Login)]
public sealed class LoginModel(AdminSignIn signIn, AdminDevices devices, IOptions<AdminOptions> options) : PageModel
{
    // One answer for a wrong user name and a wrong password, so the form can't be used to find the user name.
    public const string WrongCredentials = "That user name and password don't match. Please try again.";
    public const string LockedOut = "Too many failed sign-in attempts from here. Signing in from here is paused for 15 minutes; please try again later.";
    public const string DatabaseUnavailable = "Signing in needs the database, which isn't answering. Please try again in a few seconds.";

    public sealed class FormInput
    {
        public string? User { get; set; }

        public string? Password { get; set; }
    }

    [BindProperty]
    public FormInput Form { get; set; } = new();

    /// <summary>Where to go after signing in: only a path on this site, never another host.</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public bool Disabled => !options.Value.Enabled;

    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true && !Disabled ? Redirect(Target) : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Disabled)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }

        if (string.IsNullOrEmpty(Form.User) || string.IsNullOrEmpty(Form.Password))
        {
            return Refuse(StatusCodes.Status400BadRequest, "Please enter the user name and the password.");
        }

        AdminSignInResult result;
        try
        {
            result = await signIn.CheckAsync(
                Form.User, Form.Password, devices.ClientKey(HttpContext), HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        }
        catch (Exception exception) when (DatabaseErrors.IsUnavailable(exception))
        {
            this.AnswerDatabaseUnavailable(DatabaseUnavailable);
            return Page();
        }

        switch (result.Outcome)
        {
            case SignInOutcome.SignedIn:
                await HttpContext.SignInAsync(AdminAuth.Scheme, AdminAuth.Principal(options.Value));
                devices.Remember(HttpContext);
                return Redirect(Target);
            case SignInOutcome.LockedOut:
                Response.Headers.RetryAfter = Math.Ceiling(result.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                return Refuse(StatusCodes.Status429TooManyRequests, LockedOut);
            default:
                return Refuse(StatusCodes.Status400BadRequest, WrongCredentials);
        }
    }

    /// <summary>
    /// The return URL when it is a path on this site, with everything but printable ASCII percent-encoded: a Location
    /// header carries ASCII only (Kestrel refuses to send anything else), and an encoded U+202E can't reorder how the
    /// address reads.
    /// </summary>
    private string Target => Url.IsLocalUrl(ReturnUrl) && PercentEncoded(ReturnUrl) is var target && Url.IsLocalUrl(target) ? target : "/admin";

    private static string PercentEncoded(string url) => string.Concat(Encoding.UTF8.GetBytes(url).Select(b => b is > 0x20 and < 0x7F ? ((char)b).ToString() : $"%{b:X2}"));

    private PageResult Refuse(int status, string message)
    {
        ModelState.AddModelError(string.Empty, message);
        Response.StatusCode = status;
        return Page();
    }
}
