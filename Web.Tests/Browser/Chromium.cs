using Microsoft.Playwright;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Browser;

/// <summary>
/// The machine's Chromium (on PATH, at Debian's or the macOS app's path, or any Chromium or Chrome at CHROMIUM_PATH)
/// driven by Playwright; Playwright's own browser download is not used.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    private const string DebianPath = "/usr/bin/chromium";
    private const string MacAppPath = "/Applications/Chromium.app/Contents/MacOS/Chromium";
    private static readonly string[] Args =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly IPlaywright playwright;
    private readonly IBrowser browser;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        this.playwright = playwright;
        this.browser = browser;
    }

    public static async Task<Chromium> LaunchAsync(params string[] extraArgs)
    {
        var path = FindExecutable();
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = path,
                Headless = true,
                Args = [.. Args, .. extraArgs],
            });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A fresh browser context (own cookies, own viewport) on a site, with one page open on nothing yet; with
    /// <paramref name="dark"/> the page sees a system set to dark mode, and a time zone (an IANA id) and locale
    /// other than the machine's when given.
    /// </summary>
    public async Task<BrowserSession> NewSessionAsync(
        Uri site, int width = BrowserFixture.Desktop, bool javaScript = true, string? storageState = null, bool dark = false,
        string? zone = null, string? locale = null)
    {
        var options = new BrowserNewContextOptions
        {
            BaseURL = site.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = 800 },
            JavaScriptEnabled = javaScript,
            StorageState = storageState,
            ColorScheme = dark ? ColorScheme.Dark : ColorScheme.Light,
            TimezoneId = zone,
            Locale = locale,
        };
        return await BrowserSession.StartAsync(await browser.NewContextAsync(options), javaScript);
    }

    public async ValueTask DisposeAsync()
    {
        await browser.CloseAsync();
        playwright.Dispose();
    }

    private static string FindExecutable()
    {
        var configured = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new FileNotFoundException($"No Chromium or Chrome at CHROMIUM_PATH={configured}.", configured);
        }
        return LocalMachine.FindProgram("chromium", DebianPath)
            ?? (File.Exists(MacAppPath) ? MacAppPath : null)
            ?? throw new FileNotFoundException(
                "No Chromium found. Install it (scripts/install-deps.sh browser: apt-get install chromium, or " +
                "brew install --cask chromium) or set CHROMIUM_PATH to a Chromium or Chrome executable.");
    }
}
