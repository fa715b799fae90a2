using Dapper;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Site.Web.Tests.Admin;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Browser;

/// <summary>The site with the owner account on a real port, where a browser can reach it.</summary>
public sealed class BrowserSiteFactory : AdminSiteFactory
{
    public BrowserSiteFactory() => UseKestrel(0);
}

/// <summary>
/// All browser tests share one site and one Chromium and run one at a time: on a small machine a browser per
/// test class, all started at once by xunit's parallel classes, would be slow and flaky.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserGroup : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}

public sealed class BrowserFixture : IAsyncLifetime
{
    public const int Phone = 360;
    public const int Desktop = 1280;

    // Playwright's own browser download is not used: the machine's Chromium (or CI's Chrome) is driven instead.
    private const string DefaultChromium = "/usr/bin/chromium";
    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private IPlaywright? playwright;
    private IBrowser? browser;
    private Task<string>? ownerState;

    public BrowserSiteFactory Site { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var chromium = FindChromium();
        await Site.InitializeAsync();
        var address = Site.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        await SeedAsync();

        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.CloseAsync();
        }

        playwright?.Dispose();
        await Site.DisposeAsync();
    }

    /// <summary>A fresh browser context (own cookies, own viewport) with one page open on nothing yet.</summary>
    public async Task<BrowserSession> NewSessionAsync(int width = Desktop, bool javaScript = true, bool asOwner = false)
    {
        var options = new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = 800 },
            JavaScriptEnabled = javaScript,
            StorageState = asOwner ? await OwnerStateAsync() : null,
        };
        return await BrowserSession.StartAsync(await browser!.NewContextAsync(options), javaScript);
    }

    /// <summary>Signs the owner in through the login form once (the collection runs one test at a time); later sessions start with its cookies.</summary>
    private Task<string> OwnerStateAsync() => ownerState ??= SignInAsync();

    private async Task<string> SignInAsync()
    {
        await using var session = await BrowserSession.StartAsync(await browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString() }), javaScript: true);
        await session.SignInAsync(AdminSiteFactory.User, AdminSiteFactory.Password);
        session.AssertNoProblems();
        return await session.Context.StorageStateAsync();
    }

    private static string FindChromium()
    {
        var configured = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        var path = string.IsNullOrEmpty(configured) ? DefaultChromium : configured;
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"No Chromium at {path}. Install it (scripts/install-deps.sh browser, or apt-get install chromium) " +
                "or set CHROMIUM_PATH to a Chromium or Chrome executable.", path);
    }

    /// <summary>Content for every page, including what tends to break layouts: long names, unbroken words, long addresses.</summary>
    private async Task SeedAsync()
    {
        await Site.GuestbookEntriesAsync(3, "Visitor");
        await using var connection = await Site.OpenDatabaseAsync();
        await connection.ExecuteAsync(
            "INSERT INTO guestbook_entries (name, message, hidden) VALUES (@name, @message, 0), ('Spammer', 'Buy now', 1)",
            new { name = "Maximilian Alexander Bartholomew-Featherstonehaugh", message = "Loved it! " + new string('a', 120) });
        await connection.ExecuteAsync(
            "INSERT INTO contact_messages (name, email, message, handled) VALUES (@name, @email, @message, 0), ('Ann', 'ann@example.org', 'Done.', 1)",
            new
            {
                name = "Visitor With A Question",
                email = "a.very.long.email.address.for.testing.wrapping@subdomain.example-organisation.org",
                message = "Hello,\nhow do I reach you by phone?",
            });
    }
}
