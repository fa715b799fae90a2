using Dapper;
using Microsoft.AspNetCore.Hosting;
using Site.Web.Tests.Admin;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Browser;

/// <summary>The site with the owner account on a real port, where a browser (or a proxy) can reach it.</summary>
public sealed class BrowserSiteFactory : AdminSiteFactory
{
    private readonly string? environment;

    public BrowserSiteFactory()
        : this(null)
    {
    }

    private BrowserSiteFactory(string? environment)
    {
        this.environment = environment;
        UseKestrel(0);
    }

    /// <summary>
    /// The site in the Production environment, as ECS runs it: nothing relaxed for Development or Testing, so only the
    /// request (and the load balancer's X-Forwarded-Proto) decides what assumes HTTPS.
    /// </summary>
    public static BrowserSiteFactory AsDeployed() => new("Production");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (environment is not null)
        {
            builder.UseEnvironment(environment);
        }
    }
}

/// <summary>
/// The browser tests share one site and one Chromium and run one at a time: on a small machine a browser per
/// test class, all started at once by xunit's parallel classes, would be slow and flaky. (Those behind the load
/// balancer need a browser of their own, and run alone: <see cref="LoadBalancerGroup"/>.)
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

    private Chromium? chromium;
    private Task<string>? ownerState;

    public BrowserSiteFactory Site { get; } = new();

    public Uri BaseAddress => Site.Address;

    public async Task InitializeAsync()
    {
        chromium = await Chromium.LaunchAsync();
        await Site.InitializeAsync();
        await SeedAsync();
    }

    public async Task DisposeAsync()
    {
        if (chromium is not null)
        {
            await chromium.DisposeAsync();
        }

        await Site.DisposeAsync();
    }

    /// <summary>A fresh browser context (own cookies, own viewport) with one page open on nothing yet.</summary>
    public async Task<BrowserSession> NewSessionAsync(
        int width = Desktop, bool javaScript = true, bool asOwner = false, bool dark = false, string? zone = null, string? locale = null) =>
        await chromium!.NewSessionAsync(BaseAddress, width, javaScript, asOwner ? await OwnerStateAsync() : null, dark, zone, locale);

    /// <summary>Signs the owner in through the login form once (the collection runs one test at a time); later sessions start with its cookies.</summary>
    private Task<string> OwnerStateAsync() => ownerState ??= SignInAsync();

    private async Task<string> SignInAsync()
    {
        await using var session = await chromium!.NewSessionAsync(BaseAddress);
        await session.SignInAsync(AdminSiteFactory.User, AdminSiteFactory.Password);
        session.AssertNoProblems();
        return await session.Context.StorageStateAsync();
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
