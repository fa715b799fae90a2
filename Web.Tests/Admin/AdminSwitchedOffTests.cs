using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Admin;

/// <summary>The site as deployed before the owner's secret is filled in: no password hash configured.</summary>
public sealed class AdminSwitchedOffTests(SiteFactory site) : IClassFixture<SiteFactory>
{
    [Fact]
    public async Task WithoutAPasswordHashTheLoginPageSaysSoAndNobodyGetsInWhileThePublicSiteWorks()
    {
        var client = site.CreateBrowserLikeClient();

        var login = await client.GetDocumentAsync("/admin/login");
        Assert.Contains("switched off", login.QuerySelector("#admin-disabled")?.TextContent, StringComparison.Ordinal);
        Assert.Null(login.QuerySelector("#login-form"));

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Form.User"] = "", ["Form.Password"] = "" });
        using var post = await client.PostAsync(new Uri("/admin/login", UriKind.Relative), form);
        Assert.False(post.IsSuccessStatusCode);
        Assert.False(post.Headers.Contains("Set-Cookie") && post.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("admin", StringComparison.Ordinal)));

        using var dashboard = await client.GetAsync(new Uri("/admin", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        using var api = await client.GetAsync(new Uri("/api/admin/messages", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        await client.GetDocumentAsync("/guestbook");
        await client.GetDocumentAsync("/contact");
    }

    [Theory]
    [InlineData("owner", "the-password-itself")]
    [InlineData("owner", "pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("", "pbkdf2-sha256$600000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public void AMisconfiguredOwnerAccountStopsTheSiteFromStartingAndSaysWhy(string user, string passwordHash)
    {
        using var misconfigured = site.WithWebHostBuilder(builder => builder
            .UseSetting("Admin:User", user)
            .UseSetting("Admin:PasswordHash", passwordHash));

        var error = Assert.ThrowsAny<Exception>(() => misconfigured.Server);

        var first = error is AggregateException aggregate ? aggregate.InnerException : error;
        Assert.True(first is OptionsValidationException, error.ToString());
        var validation = (OptionsValidationException)first;
        Assert.Contains(validation.Failures, f => f.Contains("Admin__", StringComparison.Ordinal));
    }
}
