using System.Diagnostics;
using System.Net;
using Site.Web.Admin;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Admin;

/// <summary>
/// Failed sign-ins, counted per client: a browser that signed in before, or else the client address the load balancer
/// saw (X-Forwarded-For). Each test first moves the clock past any lockout or failure window an earlier test left behind.
/// </summary>
public sealed class AdminLockoutTests : IClassFixture<AdminSiteFactory>
{
    private const string Attacker = "198.51.100.7";
    private const string Owner = "203.0.113.9";

    private readonly AdminSiteFactory site;
    private readonly HttpClient client;

    public AdminLockoutTests(AdminSiteFactory site)
    {
        this.site = site;
        client = site.CreateOwnerClient();
        site.Clock.Advance(TimeSpan.FromMinutes(31));
    }

    private async Task<(HttpResponseMessage Response, AngleSharp.Dom.IDocument Page)> TryAsync(string user, string password) => await TryAsync(client, user, password);

    private static async Task<(HttpResponseMessage Response, AngleSharp.Dom.IDocument Page)> TryAsync(HttpClient from, string user, string password)
    {
        var response = await AdminSiteFactory.SignInAsync(from, user, password);
        return (response, await Html.ParseAsync(response));
    }

    /// <summary>A browser of its own, behind the load balancer at <paramref name="address"/>.</summary>
    private static HttpClient At(AdminSiteFactory task, string address)
    {
        var browser = task.CreateOwnerClient();
        browser.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return browser;
    }

    private static async Task FailFiveTimesAsync(HttpClient from)
    {
        for (var i = 0; i < AdminSignIn.MaxFailures; i++)
        {
            AssertRefused(await TryAsync(from, AdminSiteFactory.User, $"guess {i}"), HttpStatusCode.BadRequest, LoginModel.WrongCredentials);
        }
    }

    private static async Task AssertLockedOutAsync(HttpClient from) =>
        AssertRefused(await TryAsync(from, AdminSiteFactory.User, AdminSiteFactory.Password), HttpStatusCode.TooManyRequests, LoginModel.LockedOut);

    private static async Task AssertSignsInAsync(HttpClient from)
    {
        using var response = await AdminSiteFactory.SignInAsync(from);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    /// <summary>Signs in and out again, as the owner does on a browser that then keeps only the device cookie.</summary>
    private static async Task SignInAndOutAsync(HttpClient browser)
    {
        await AssertSignsInAsync(browser);
        using var signedOut = await browser.SubmitAsync(await browser.GetDocumentAsync("/admin"), "#logout-form", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
    }

    private static void AssertRefused((HttpResponseMessage Response, AngleSharp.Dom.IDocument Page) attempt, HttpStatusCode status, string message)
    {
        Assert.Equal(status, attempt.Response.StatusCode);
        Assert.Equal(message, attempt.Page.QuerySelector(".form-error li")?.TextContent);
        Assert.False(attempt.Response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(AdminAuth.CookieName, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AWrongUserAndAWrongPasswordGetTheSameAnswerInSimilarTime()
    {
        var wrongUser = new List<TimeSpan>();
        var wrongPassword = new List<TimeSpan>();
        for (var i = 0; i < 2; i++)
        {
            var clock = Stopwatch.StartNew();
            var byUser = await TryAsync("intruder", AdminSiteFactory.Password);
            wrongUser.Add(clock.Elapsed);
            clock.Restart();
            var byPassword = await TryAsync(AdminSiteFactory.User, "not the password");
            wrongPassword.Add(clock.Elapsed);

            AssertRefused(byUser, HttpStatusCode.BadRequest, LoginModel.WrongCredentials);
            AssertRefused(byPassword, HttpStatusCode.BadRequest, LoginModel.WrongCredentials);
            Assert.Equal(byPassword.Page.QuerySelector("main")!.TextContent, byUser.Page.QuerySelector("main")!.TextContent);
            Assert.Equal("intruder", byUser.Page.QuerySelector("#Form_User")?.GetAttribute("value"));
            Assert.Null(byPassword.Page.QuerySelector("#Form_Password")?.GetAttribute("value"));
        }

        // Without the password check for unknown names, a wrong user would answer hundreds of times faster. The margin
        // is wide because the tests share two cores with each other: a busy moment can slow either side several times.
        Assert.True(wrongUser.Min() * 10 > wrongPassword.Min(), $"wrong user {wrongUser.Min()}, wrong password {wrongPassword.Min()}");
    }

    [Fact]
    public async Task AfterFiveFailuresEvenTheRightPasswordIsRefusedForFifteenMinutesFromThatClient()
    {
        for (var i = 0; i < AdminSignIn.MaxFailures; i++)
        {
            AssertRefused(await TryAsync(i % 2 == 0 ? AdminSiteFactory.User : "someone", $"guess {i}"), HttpStatusCode.BadRequest, LoginModel.WrongCredentials);
        }

        var locked = await TryAsync(AdminSiteFactory.User, AdminSiteFactory.Password);
        AssertRefused(locked, HttpStatusCode.TooManyRequests, LoginModel.LockedOut);
        Assert.InRange(int.Parse(locked.Response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 890, 900);

        site.Clock.Advance(TimeSpan.FromMinutes(14));
        AssertRefused(await TryAsync(AdminSiteFactory.User, AdminSiteFactory.Password), HttpStatusCode.TooManyRequests, LoginModel.LockedOut);

        site.Clock.Advance(TimeSpan.FromMinutes(1));
        var (response, _) = await TryAsync(AdminSiteFactory.User, AdminSiteFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task FailuresOnEveryTaskCountTogetherAndTheLockoutHoldsOnAll()
    {
        await using var second = site.SecondTask();
        await second.InitializeAsync();
        var onFirst = At(site, Attacker);
        var onSecond = At(second, Attacker);

        for (var i = 0; i < AdminSignIn.MaxFailures; i++)
        {
            using var response = await AdminSiteFactory.SignInAsync(i % 2 == 1 ? onSecond : onFirst, AdminSiteFactory.User, $"guess {i}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        await AssertLockedOutAsync(onFirst);
        await AssertLockedOutAsync(onSecond);
        await AssertSignsInAsync(At(second, Owner));

        site.Clock.Advance(AdminSignIn.LockoutTime);
        await AssertSignsInAsync(onSecond);
    }

    [Fact]
    public async Task FailuresFromOneAddressNeverLockOutAnother()
    {
        var attacker = At(site, Attacker);
        await FailFiveTimesAsync(attacker);

        await AssertLockedOutAsync(attacker);
        await AssertSignsInAsync(At(site, Owner));
        await AssertLockedOutAsync(attacker);
    }

    [Fact]
    public async Task TheOwnersBrowserSignsInEvenWhileOthersAtItsAddressAreLockedOut()
    {
        var owner = At(site, Owner);
        await SignInAndOutAsync(owner);

        // Someone behind the same address (a shared network, a carrier's NAT), with no cookie or a forged one.
        var neighbour = At(site, Owner);
        await FailFiveTimesAsync(neighbour);
        var forger = At(site, Owner);
        forger.DefaultRequestHeaders.Add("Cookie", $"{AdminDevices.CookieName}=forged");

        await AssertLockedOutAsync(neighbour);
        await AssertLockedOutAsync(forger);
        await AssertSignsInAsync(owner);
    }

    [Fact]
    public async Task ABrowserThatSignedInBeforeIsLockedOutByItsOwnFailures()
    {
        var owner = At(site, Owner);
        await SignInAndOutAsync(owner);

        await FailFiveTimesAsync(owner);

        await AssertLockedOutAsync(owner);
        await AssertSignsInAsync(At(site, Owner));
    }

    [Fact]
    public async Task TheAddressesOfOneIpv6NetworkCountAsOneClient()
    {
        for (var i = 0; i < AdminSignIn.MaxFailures; i++)
        {
            AssertRefused(await TryAsync(At(site, $"2001:db8:1:2::{i + 1}"), AdminSiteFactory.User, $"guess {i}"), HttpStatusCode.BadRequest, LoginModel.WrongCredentials);
        }

        await AssertLockedOutAsync(At(site, "2001:db8:1:2:ffff::99"));
        await AssertSignsInAsync(At(site, "2001:db8:1:3::1"));
    }

    [Fact]
    public async Task TheDeviceCookieIsHostPrefixedSecureHttpOnlyStrictAndLastsNinetyDays()
    {
        using var response = await AdminSiteFactory.SignInAsync(At(site, Owner));

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(AdminDevices.CookieName + "=", StringComparison.Ordinal));
        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("secure", attributes);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Contains("path=/", attributes);
        Assert.Contains($"max-age={(int)AdminDevices.Lifetime.TotalSeconds}", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FailuresOlderThanFifteenMinutesNoLongerCount()
    {
        for (var i = 0; i < AdminSignIn.MaxFailures - 1; i++)
        {
            await TryAsync(AdminSiteFactory.User, $"old guess {i}");
        }

        site.Clock.Advance(TimeSpan.FromMinutes(16));
        for (var i = 0; i < AdminSignIn.MaxFailures - 1; i++)
        {
            AssertRefused(await TryAsync(AdminSiteFactory.User, $"new guess {i}"), HttpStatusCode.BadRequest, LoginModel.WrongCredentials);
        }

        var (response, _) = await TryAsync(AdminSiteFactory.User, AdminSiteFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task SignInsAreLoggedWithTheUserAndClientAddressButNeverThePassword()
    {
        const string wrongPassword = "wrong-password-that-must-not-be-logged";
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");

        await TryAsync("mallory", wrongPassword);
        await TryAsync(AdminSiteFactory.User, AdminSiteFactory.Password);

        var events = site.Logs.Events.ToList();
        Assert.Contains(events, e => Is(e, "Admin sign-in failed", "mallory"));
        Assert.Contains(events, e => Is(e, "Admin sign-in succeeded", AdminSiteFactory.User));
        Assert.DoesNotContain(site.Logs.Lines, line => line.Contains(wrongPassword, StringComparison.Ordinal)
            || line.Contains(AdminSiteFactory.Password, StringComparison.Ordinal));

        static bool Is(System.Text.Json.JsonElement e, string template, string user) =>
            e.GetProperty("template").GetString()!.StartsWith(template, StringComparison.Ordinal)
            && e.TryGetProperty("AdminUser", out var u) && u.GetString() == user
            && e.TryGetProperty("ClientIp", out var ip) && ip.GetString() == "203.0.113.9";
    }
}
