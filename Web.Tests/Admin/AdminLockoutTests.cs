using System.Diagnostics;
using System.Net;
using Site.Web.Admin;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Admin;

/// <summary>Failed sign-ins. Each test first moves the clock past any lockout or failure window an earlier test left behind.</summary>
public sealed class AdminLockoutTests : IClassFixture<AdminSiteFactory>
{
    private readonly AdminSiteFactory site;
    private readonly HttpClient client;

    public AdminLockoutTests(AdminSiteFactory site)
    {
        this.site = site;
        client = site.CreateOwnerClient();
        site.Clock.Advance(TimeSpan.FromMinutes(31));
    }

    private async Task<(HttpResponseMessage Response, AngleSharp.Dom.IDocument Page)> TryAsync(string user, string password)
    {
        var response = await AdminSiteFactory.SignInAsync(client, user, password);
        return (response, await Html.ParseAsync(response));
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
    public async Task AfterFiveFailuresEvenTheRightPasswordIsRefusedForFifteenMinutes()
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
        var secondClient = second.CreateOwnerClient();

        for (var i = 0; i < AdminSignIn.MaxFailures; i++)
        {
            var onSecond = i % 2 == 1;
            var response = await AdminSiteFactory.SignInAsync(onSecond ? secondClient : client, AdminSiteFactory.User, $"guess {i}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        AssertRefused(await TryAsync(AdminSiteFactory.User, AdminSiteFactory.Password), HttpStatusCode.TooManyRequests, LoginModel.LockedOut);
        using (var onSecond = await AdminSiteFactory.SignInAsync(secondClient))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, onSecond.StatusCode);
        }

        site.Clock.Advance(AdminSignIn.LockoutTime);
        using var afterwards = await AdminSiteFactory.SignInAsync(secondClient);
        Assert.Equal(HttpStatusCode.Redirect, afterwards.StatusCode);
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
