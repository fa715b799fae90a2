using System.Collections.Concurrent;
using Microsoft.Playwright;
using Site.Web.Admin;
using Site.Web.Tests.Admin;
using Site.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Site.Web.Tests.Browser;

/// <summary>
/// The deployed site as a visitor reaches it through the load balancer: over plain HTTP (a deployment without a
/// domain) and over HTTPS, by a host name rather than a loopback address.
/// </summary>
[Collection(LoadBalancerGroup.Name)]
public sealed class BehindTheLoadBalancerTests(LoadBalancerFixture site)
{
    public static TheoryData<string> Schemes => new("http", "https");

    public static TheoryData<string, bool> SchemesWithAndWithoutJavaScript => new()
    {
        { "http", true },
        { "http", false },
        { "https", true },
        { "https", false },
    };

    [Theory]
    [MemberData(nameof(Schemes))]
    public async Task EveryStylesheetScriptAndImageLoadsFromTheEntryTheVisitorUsedAndTheStylesApply(string scheme)
    {
        await using var session = await site.NewSessionAsync(scheme);
        var requests = Record(session);

        var headerColours = new List<string>();
        foreach (var path in (string[])["/", "/gallery", "/guestbook"])
        {
            await session.OpenAsync(path);
            await session.LoadEverythingAsync();
            headerColours.Add($"{path}: {await session.Page.EvalOnSelectorAsync<string>(".site-header", "header => getComputedStyle(header).backgroundColor")}");
        }

        session.AssertNoProblems();
        AssertAllFrom(site.Proxy.Address(scheme), requests);

        // Only site.css colours the header: unstyled, it would be transparent.
        Assert.Equal(["/: rgb(15, 42, 61)", "/gallery: rgb(15, 42, 61)", "/guestbook: rgb(15, 42, 61)"], headerColours);
        Assert.Superset(new HashSet<string> { "document", "stylesheet", "script", "image" }, requests.Select(r => r.ResourceType).ToHashSet());
    }

    [Theory]
    [InlineData("http", false)]
    [InlineData("https", true)]
    public async Task HstsAndUpgradeInsecureRequestsComeWithHttpsResponsesOnly(string scheme, bool https)
    {
        await using var session = await site.NewSessionAsync(scheme);
        var responses = new ConcurrentQueue<IResponse>();
        session.Context.Response += (_, response) => responses.Enqueue(response);

        await session.OpenAsync("/guestbook");
        await session.LoadEverythingAsync();

        Assert.Contains(responses, r => r.Request.ResourceType == "stylesheet");
        foreach (var response in responses)
        {
            var headers = await response.AllHeadersAsync();
            Assert.True(https == headers.ContainsKey("strict-transport-security"), $"{response.Url}: HSTS {(https ? "missing" : "sent")}");
            var csp = headers["content-security-policy"];
            Assert.True(https == csp.Contains("upgrade-insecure-requests", StringComparison.Ordinal), $"{response.Url}: {csp}");
        }

        session.AssertNoProblems();
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public async Task ThePagesOwnAddressesAreOnTheEntryTheVisitorUsed(string scheme)
    {
        await using var session = await site.NewSessionAsync(scheme);
        var origin = site.Proxy.Address(scheme).GetLeftPart(UriPartial.Authority);

        await session.OpenAsync("/about");
        await Expect(session.Page.Locator("link[rel=canonical]")).ToHaveAttributeAsync("href", $"{origin}/about");
        await Expect(session.Page.Locator("meta[property='og:url']")).ToHaveAttributeAsync("content", $"{origin}/about");
        await Expect(session.Page.Locator("meta[property='og:image']")).ToHaveAttributeAsync("content", new System.Text.RegularExpressions.Regex($"^{System.Text.RegularExpressions.Regex.Escape(origin)}/"));
        await session.OpenAsync("/robots.txt");

        Assert.Contains($"Sitemap: {origin}/sitemap.xml", await session.Page.Locator("body").TextContentAsync(), StringComparison.Ordinal);
        session.AssertNoProblems();
    }

    [Theory]
    [MemberData(nameof(SchemesWithAndWithoutJavaScript))]
    public async Task AGuestbookEntryIsPostedThroughTheEntryTheVisitorUsed(string scheme, bool javaScript)
    {
        var entry = site.Proxy.Address(scheme);
        await using var session = await site.NewSessionAsync(scheme, javaScript);
        var requests = Record(session);
        await session.OpenAsync("/guestbook");
        var page = session.Page;

        var message = $"Through the load balancer over {scheme} {Guid.NewGuid():N}";
        await page.GetByLabel("Your name").FillAsync("Proxied Visitor");
        await page.GetByLabel("Message", new() { Exact = true }).FillAsync(message);
        var post = await page.RunAndWaitForRequestAsync(() => FormTests.PostAsync(page), request => request.Method == "POST");

        Assert.Equal(new Uri(entry, javaScript ? "/api/guestbook" : "/guestbook"), new Uri(post.Url));
        await Expect(page.Locator("#entries > li.posted")).ToContainTextAsync(message);
        Assert.Equal(1, await site.Site.CountAsync("guestbook_entries", "message = @message", new { message }));
        session.AssertNoProblems();
        AssertAllFrom(entry, requests);
    }

    [Theory]
    [InlineData("http", false)]
    [InlineData("https", true)]
    public async Task TheOwnerSignsInAndTheSitesCookiesAreSecureExactlyWhenTheEntryIsHttps(string scheme, bool https)
    {
        await using var session = await site.NewSessionAsync(scheme);

        await session.SignInAsync(AdminSiteFactory.User, AdminSiteFactory.Password);

        var cookies = await session.Context.CookiesAsync();
        Assert.Contains(cookies, c => c.Name == (https ? AdminAuth.CookieName : "admin"));
        Assert.Contains(cookies, c => c.Name.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        Assert.All(cookies, c => Assert.True(c.Secure == https, $"{c.Name} is {(c.Secure ? "" : "not ")}Secure over {scheme}"));
        session.AssertNoProblems();
    }

    private static ConcurrentQueue<IRequest> Record(BrowserSession session)
    {
        var requests = new ConcurrentQueue<IRequest>();
        session.Context.Request += (_, request) => requests.Enqueue(request);
        return requests;
    }

    /// <summary>Every request went to the scheme, host and port the visitor came in by: none was upgraded to where nothing listens.</summary>
    private static void AssertAllFrom(Uri entry, IEnumerable<IRequest> requests)
    {
        var origin = entry.GetLeftPart(UriPartial.Authority);
        var elsewhere = requests.Select(r => r.Url).Where(url => new Uri(url).GetLeftPart(UriPartial.Authority) != origin).Distinct().ToList();
        Assert.True(elsewhere.Count == 0, $"Requested from elsewhere than {origin}:\n{string.Join('\n', elsewhere)}");
    }
}
