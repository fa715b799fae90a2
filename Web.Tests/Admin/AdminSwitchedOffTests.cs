using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Site.Web.Hosting;
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
    public async Task AMisconfiguredOwnerAccountStopsTheSiteFromStartingAndSaysWhy(string user, string passwordHash)
    {
        var run = await SiteProcess.RunAsync([], new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["Database__ConnectionString"] = "Server=127.0.0.1;Port=1;User ID=site;Password=unused;Database=site",
            ["Admin__User"] = user,
            ["Admin__PasswordHash"] = passwordHash,
        });

        Assert.NotEqual(0, run.ExitCode);
        var failure = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .FirstOrDefault(e => e.GetProperty("level").GetString() == "Error");
        Assert.True(failure.ValueKind == JsonValueKind.Object, "No error was logged:\n" + run.Output + run.Error);
        Assert.Equal(typeof(OptionsValidationException).FullName, failure.GetProperty(LogFields.ExceptionType).GetString());
        Assert.Contains("Admin__", failure.GetProperty(LogFields.ExceptionMessage).GetString(), StringComparison.Ordinal);
    }
}
