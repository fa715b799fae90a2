using Microsoft.Extensions.DependencyInjection;
using Site.Web.Contact;

namespace Site.Web.Tests.Browser;

/// <summary>Every page a visitor or the owner can open, by path.</summary>
public static class SitePages
{
    public const string NotFound = "/no-such-page";

    /// <summary>Shown only right after a message is sent: opened as such, with a fresh receipt (<see cref="UrlOf"/>).</summary>
    public const string ContactSent = "/contact/sent";

    public static readonly string[] Public = ["/", "/about", "/visit", "/gallery", "/gallery/1", "/guestbook", "/contact", ContactSent, "/privacy", NotFound, "/admin/login"];

    public static readonly string[] Owner = ["/admin", "/admin/messages", "/admin/guestbook", "/admin/activity", "/admin/pages", "/admin/pages/edit", "/admin/gallery", "/admin/gallery/upload", "/admin/settings", "/admin/logout"];

    public static TheoryData<string> All => new([.. Public, .. Owner]);

    /// <summary>Every page in the light scheme and in the dark one (the system's setting, which the site follows).</summary>
    public static TheoryData<string, bool> AllInBothSchemes
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (var path in Public.Concat(Owner))
            {
                data.Add(path, false);
                data.Add(path, true);
            }

            return data;
        }
    }

    public static TheoryData<string, int, bool> AllAtBothWidthsInBothSchemes
    {
        get
        {
            var data = new TheoryData<string, int, bool>();
            foreach (var path in Public.Concat(Owner))
            {
                foreach (var dark in (bool[])[false, true])
                {
                    data.Add(path, BrowserFixture.Phone, dark);
                    data.Add(path, BrowserFixture.Desktop, dark);
                }
            }

            return data;
        }
    }

    public static bool NeedsOwner(string path) => Owner.Contains(path);

    public static int StatusOf(string path) => path == NotFound ? 404 : 200;

    /// <summary>A file name for the page's screenshots: "home", "contact-sent", "admin-guestbook".</summary>
    public static string NameOf(string path) => path == "/" ? "home" : path.Trim('/').Replace('/', '-');

    /// <summary>The address that opens the page as a visitor reaches it.</summary>
    public static string UrlOf(IServiceProvider site, string path) =>
        path == ContactSent ? site.GetRequiredService<SentReceipt>().SentPath() : path;

    /// <summary>Opens the page as the visitor or owner it is for, allowing the not-found page its 404.</summary>
    public static async Task<BrowserSession> OpenAsync(BrowserFixture browser, string path, int width = BrowserFixture.Desktop, bool dark = false)
    {
        var session = await browser.NewSessionAsync(width, asOwner: NeedsOwner(path), dark: dark);
        session.Allow(StatusOf(path), path);
        await session.OpenAsync(UrlOf(browser.Site.Services, path), StatusOf(path));
        return session;
    }
}
