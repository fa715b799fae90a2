using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Admin;

public sealed class AdminAccessTests(AdminSiteFactory site) : IClassFixture<AdminSiteFactory>
{
    // Every admin route, with a concrete request for it.
    private static readonly (string Method, string Route, string Path)[] Pages =
    [
        ("GET", "admin", "/admin"),
        ("POST", "admin", "/admin?handler=retrymail"),
        ("GET", "admin/messages", "/admin/messages?page=2"),
        ("POST", "admin/messages", "/admin/messages?handler=handled"),
        ("POST", "admin/messages", "/admin/messages?handler=bulk"),
        ("GET", "admin/messages/export.csv", "/admin/messages/export.csv?state=unhandled"),
        ("GET", "admin/guestbook", "/admin/guestbook"),
        ("POST", "admin/guestbook", "/admin/guestbook?handler=hidden"),
        ("POST", "admin/guestbook", "/admin/guestbook?handler=bulk"),
        ("GET", "admin/settings", "/admin/settings"),
        ("POST", "admin/settings", "/admin/settings"),
        ("GET", "admin/activity", "/admin/activity?page=1"),
        ("GET", "admin/pages", "/admin/pages"),
        ("GET", "admin/pages/edit/{id:long?}", "/admin/pages/edit"),
        ("GET", "admin/pages/edit/{id:long?}", "/admin/pages/edit/1"),
        ("POST", "admin/pages/edit/{id:long?}", "/admin/pages/edit/1"),
        ("POST", "admin/pages/edit/{id:long?}", "/admin/pages/edit?handler=preview"),
        ("POST", "admin/pages/edit/{id:long?}", "/admin/pages/edit/1?handler=restore"),
        ("POST", "admin/pages/edit/{id:long?}", "/admin/pages/edit/1?handler=delete"),
        ("GET", "admin/gallery", "/admin/gallery"),
        ("POST", "admin/gallery", "/admin/gallery?handler=move"),
        ("GET", "admin/gallery/upload", "/admin/gallery/upload"),
        ("POST", "admin/gallery/upload", "/admin/gallery/upload"),
        ("POST", "admin/logout", "/admin/logout"),
    ];

    private static readonly (string Method, string Route, string Path)[] Api =
    [
        ("GET", "api/admin/antiforgery", "/api/admin/antiforgery"),
        ("GET", "api/admin/messages", "/api/admin/messages"),
        ("GET", "api/admin/guestbook", "/api/admin/guestbook?page=1"),
        ("POST", "api/admin/messages/{id:long}/handled", "/api/admin/messages/1/handled"),
        ("POST", "api/admin/messages/{id:long}/unhandled", "/api/admin/messages/1/unhandled"),
        ("POST", "api/admin/guestbook/{id:long}/hide", "/api/admin/guestbook/1/hide"),
        ("POST", "api/admin/guestbook/{id:long}/restore", "/api/admin/guestbook/1/restore"),
        ("POST", "api/admin/guestbook/{id:long}/publish", "/api/admin/guestbook/1/publish"),
        ("DELETE", "api/admin/guestbook/{id:long}", "/api/admin/guestbook/1"),
        ("POST", "api/admin/guestbook/bulk", "/api/admin/guestbook/bulk"),
        ("POST", "api/admin/messages/bulk", "/api/admin/messages/bulk"),
        ("DELETE", "api/admin/messages/{id:long}", "/api/admin/messages/1"),
    ];

    public static TheoryData<string, string> PageRequests => Data(Pages);

    public static TheoryData<string, string> ApiRequests => Data(Api);

    private static TheoryData<string, string> Data((string Method, string Route, string Path)[] rows)
    {
        var data = new TheoryData<string, string>();
        foreach (var (method, _, path) in rows)
        {
            data.Add(method, path);
        }

        return data;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        return await client.SendAsync(request);
    }

    [Theory]
    [MemberData(nameof(PageRequests))]
    public async Task EveryAdminPageSendsAnonymousVisitorsToTheLoginPageAndBack(string method, string path)
    {
        using var response = await SendAsync(site.CreateOwnerClient(), method, path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal("/admin/login", location.AbsolutePath);
        Assert.Equal($"?returnUrl={Uri.EscapeDataString(path)}", location.Query);
    }

    [Theory]
    [MemberData(nameof(ApiRequests))]
    public async Task EveryAdminApiAnswersAnonymousCallersWith401ProblemDetails(string method, string path)
    {
        using var response = await SendAsync(site.CreateOwnerClient(), method, path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":401", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheAnonymousTestsCoverEveryAdminRoute()
    {
        var routes = site.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText!.TrimStart('/'))
            .Where(r => (r == "admin" || r.StartsWith("admin/", StringComparison.Ordinal) || r.StartsWith("api/admin/", StringComparison.Ordinal)) && r != "admin/login")
            .ToHashSet();

        Assert.Equal(routes.Order(), Pages.Concat(Api).Select(r => r.Route).ToHashSet().Order());
    }

    [Fact]
    public async Task AdminAnswersAreNeverStoredAndNeverIndexed()
    {
        var client = await site.SignedInClientAsync();
        foreach (var path in (string[])["/admin", "/admin/messages", "/admin/guestbook", "/admin/login?signedIn", "/api/admin/messages", "/admin/no-such-page"])
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
            Assert.Contains("noindex", string.Join(",", response.Headers.GetValues("X-Robots-Tag")), StringComparison.Ordinal);
        }

        var page = await client.GetDocumentAsync("/admin/messages");
        Assert.Equal("noindex, nofollow", page.QuerySelector("meta[name=robots]")?.GetAttribute("content"));
    }

    [Fact]
    public async Task ChangesWithoutTheAntiforgeryTokenAreRefusedAndChangeNothing()
    {
        var id = (await site.GuestbookEntriesAsync(1, $"Forgery {Guid.NewGuid():N}"[..16]))[0];
        var client = await site.SignedInClientAsync();

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["id"] = $"{id}", ["hidden"] = "true", ["page"] = "1" });
        using var pagePost = await client.PostAsync(new Uri("/admin/guestbook?handler=hidden", UriKind.Relative), form);
        using var apiPost = await client.PostAsync(new Uri($"/api/admin/guestbook/{id}/hide", UriKind.Relative), null);
        using var forged = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/guestbook/{id}/hide");
        forged.Headers.Add("RequestVerificationToken", "forged");
        using var apiForged = await client.SendAsync(forged);

        Assert.Equal(HttpStatusCode.BadRequest, pagePost.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, apiPost.StatusCode);
        Assert.Equal("application/problem+json", apiPost.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, apiForged.StatusCode);
        Assert.Equal(0, await site.CountAsync("guestbook_entries", "id = @id AND hidden = 1", new { id }));
    }

    [Fact]
    public async Task TheLoginFormWithoutItsAntiforgeryTokenIsRefused()
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Form.User"] = AdminSiteFactory.User,
            ["Form.Password"] = AdminSiteFactory.Password,
        });
        using var response = await site.CreateOwnerClient().PostAsync(new Uri("/admin/login", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("__Host-admin", StringComparison.Ordinal)));
    }
}
