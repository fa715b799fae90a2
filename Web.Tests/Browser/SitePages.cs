namespace Site.Web.Tests.Browser;

/// <summary>Every page a visitor or the owner can open, by path.</summary>
public static class SitePages
{
    public const string NotFound = "/no-such-page";

    public static readonly string[] Public = ["/", "/about", "/visit", "/gallery", "/gallery/1", "/guestbook", "/contact", "/contact/sent", NotFound, "/admin/login"];

    public static readonly string[] Owner = ["/admin", "/admin/messages", "/admin/guestbook", "/admin/activity", "/admin/pages", "/admin/pages/edit", "/admin/gallery", "/admin/gallery/upload", "/admin/settings", "/admin/logout"];

    public static TheoryData<string> All => new([.. Public, .. Owner]);

    public static TheoryData<string, int> AllAtBothWidths
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (var path in Public.Concat(Owner))
            {
                data.Add(path, BrowserFixture.Phone);
                data.Add(path, BrowserFixture.Desktop);
            }

            return data;
        }
    }

    public static bool NeedsOwner(string path) => Owner.Contains(path);

    public static int StatusOf(string path) => path == NotFound ? 404 : 200;

    /// <summary>A file name for the page's screenshots: "home", "contact-sent", "admin-guestbook".</summary>
    public static string NameOf(string path) => path == "/" ? "home" : path.Trim('/').Replace('/', '-');

    /// <summary>Opens the page as the visitor or owner it is for, allowing the not-found page its 404.</summary>
    public static async Task<BrowserSession> OpenAsync(BrowserFixture browser, string path, int width = BrowserFixture.Desktop)
    {
        var session = await browser.NewSessionAsync(width, asOwner: NeedsOwner(path));
        session.Allow(StatusOf(path), path);
        await session.OpenAsync(path, StatusOf(path));
        return session;
    }
}
