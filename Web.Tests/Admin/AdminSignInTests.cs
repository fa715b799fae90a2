using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Hosting;
using Site.Web.Admin;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Admin;

public sealed class AdminSignInTests(AdminSiteFactory site) : IClassFixture<AdminSiteFactory>
{
    private static string SessionCookie(HttpResponseMessage response, string name) =>
        Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(name + "=", StringComparison.Ordinal));

    [Fact]
    public async Task TheOwnerSignsInAndLandsOnTheDashboard()
    {
        var client = site.CreateOwnerClient();
        using var response = await AdminSiteFactory.SignInAsync(client);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin", response.Headers.Location?.OriginalString);
        var dashboard = await client.GetDocumentAsync("/admin");
        Assert.Equal("Dashboard", dashboard.QuerySelector("main h1")?.TextContent);
        Assert.Contains(AdminSiteFactory.User, dashboard.QuerySelector("#logout-form button")?.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SigningInReturnsToTheAdminPageThatAskedForIt()
    {
        var client = site.CreateOwnerClient();
        using var refused = await client.GetAsync(new Uri("/admin/messages?page=2", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);

        using var response = await AdminSiteFactory.SignInAsync(client, loginPath: refused.Headers.Location!.PathAndQuery);

        Assert.Equal("/admin/messages?page=2", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/admin")]
    [InlineData("/\\evil.example")]
    public async Task AReturnUrlOffTheSiteIsIgnored(string returnUrl)
    {
        var client = site.CreateOwnerClient();
        using var response = await AdminSiteFactory.SignInAsync(client, loginPath: $"/admin/login?returnUrl={Uri.EscapeDataString(returnUrl)}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/\u202E//evil.example", "/%E2%80%AE//evil.example")]
    [InlineData("/admin/gästebuch", "/admin/g%C3%A4stebuch")]
    [InlineData("/admin/messages?page=2 &x=\u00A0", "/admin/messages?page=2%20&x=%C2%A0")]
    public async Task AReturnUrlIsFollowedPercentEncodedAndStaysOnTheSite(string returnUrl, string location)
    {
        var client = site.CreateOwnerClient();
        var loginPath = $"/admin/login?returnUrl={Uri.EscapeDataString(returnUrl)}";
        using var signIn = await AdminSiteFactory.SignInAsync(client, loginPath: loginPath);
        using var signedIn = await client.GetAsync(new Uri(loginPath, UriKind.Relative));
        using var token = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/admin/antiforgery", UriKind.Relative)));
        using var again = new HttpRequestMessage(HttpMethod.Post, "/admin/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Form.User"] = AdminSiteFactory.User,
                ["Form.Password"] = AdminSiteFactory.Password,
                ["ReturnUrl"] = returnUrl,
            }),
        };
        again.Headers.Add(token.RootElement.GetProperty("headerName").GetString()!, token.RootElement.GetProperty("token").GetString());
        using var signedInAgain = await client.SendAsync(again);

        Assert.All(new[] { signIn, signedIn, signedInAgain }, response =>
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal(location, response.Headers.Location?.OriginalString);
        });
    }

    [Fact]
    public async Task OverHttpsTheSessionCookieIsHostPrefixedSecureHttpOnlyStrictAndEndsWithTheBrowserSession()
    {
        using var response = await AdminSiteFactory.SignInAsync(site.CreateOwnerClient());

        var attributes = SessionCookie(response, AdminAuth.CookieName).Split(';', StringSplitOptions.TrimEntries).Skip(1)
            .Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("secure", attributes);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Contains("path=/", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain=", StringComparison.Ordinal) || a.StartsWith("expires=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OverPlainHttpTheCookieDropsSecureAndTheHostPrefixButStaysHttpOnlyAndStrict()
    {
        var client = site.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using var response = await AdminSiteFactory.SignInAsync(client);

        var attributes = SessionCookie(response, "admin").ToLowerInvariant().Split(';', StringSplitOptions.TrimEntries);
        Assert.DoesNotContain("secure", attributes);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/admin", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task SigningOutEndsTheSession()
    {
        var client = await site.SignedInClientAsync();
        var dashboard = await client.GetDocumentAsync("/admin");

        using var response = await client.SubmitAsync(dashboard, "#logout-form", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(AdminAuth.LoginPath, response.Headers.Location?.OriginalString);
        using var after = await client.GetAsync(new Uri("/admin", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal(AdminAuth.LoginPath, after.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task ChangingThePasswordHashEndsSessionsIssuedBeforeIt()
    {
        using var signIn = await AdminSiteFactory.SignInAsync(site.CreateOwnerClient());
        var cookie = SessionCookie(signIn, AdminAuth.CookieName).Split(';')[0];

        async Task<HttpStatusCode> DashboardWithCookieAsync(WebApplicationFactory<Program> instance)
        {
            var client = instance.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
            using var request = new HttpRequestMessage(HttpMethod.Get, "/admin");
            request.Headers.Add("Cookie", cookie);
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        // Another instance with the same settings honours the cookie, so a refusal below is down to the new hash alone.
        await using var unchanged = site.WithWebHostBuilder(_ => { });
        await using var rotated = site.WithWebHostBuilder(builder =>
            builder.UseSetting("Admin:PasswordHash", AdminPassword.Hash("a brand new password")));

        Assert.Equal(HttpStatusCode.OK, await DashboardWithCookieAsync(unchanged));
        Assert.Equal(HttpStatusCode.Redirect, await DashboardWithCookieAsync(rotated));
    }
}
