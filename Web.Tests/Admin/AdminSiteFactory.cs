using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Site.Web.Admin;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Admin;

/// <summary>The site with the owner account configured, and a clock the lockout tests can move forward.</summary>
public class AdminSiteFactory : SiteFactory
{
    public const string User = "owner";
    public const string Password = "correct horse battery staple";

    // PBKDF2 at 600 000 iterations takes a moment; one hash serves every test.
    public static readonly string PasswordHash = AdminPassword.Hash(Password);

    public AdminSiteFactory()
        : this(new MovableClock())
    {
    }

    private AdminSiteFactory(MovableClock clock) => Clock = clock;

    public MovableClock Clock { get; }

    /// <summary>A second task of the same site: the same database, settings and clock.</summary>
    public AdminSiteFactory SecondTask()
    {
        var second = new AdminSiteFactory(Clock);
        second.ShareDatabaseOf(this);
        return second;
    }

    /// <summary>The settings that switch the admin area on, as the deployment's secret would.</summary>
    public static IReadOnlyDictionary<string, string?> OwnerSettings { get; } = new Dictionary<string, string?>
    {
        ["Admin:User"] = User,
        ["Admin:PasswordHash"] = PasswordHash,
    };

    /// <summary>Options for a client like the owner's browser, over https as the load balancer serves the site.</summary>
    public static WebApplicationFactoryClientOptions OwnerClientOptions => new()
    {
        BaseAddress = new Uri("https://localhost"),
        AllowAutoRedirect = false,
        HandleCookies = true,
    };

    protected override IReadOnlyDictionary<string, string?> Settings => OwnerSettings;

    public HttpClient CreateOwnerClient() => CreateClient(OwnerClientOptions);

    public async Task<HttpClient> SignedInClientAsync()
    {
        var client = CreateOwnerClient();
        using var response = await SignInAsync(client);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>Fills in and posts the login form, as the owner would.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string user = User, string password = Password, string loginPath = "/admin/login")
    {
        var page = await client.GetDocumentAsync(loginPath);
        return await client.SubmitAsync(page, "#login-form", new Dictionary<string, string> { ["Form.User"] = user, ["Form.Password"] = password });
    }

    /// <summary>A POST to the admin API, with the antiforgery header token fetched for this session.</summary>
    public static Task<HttpResponseMessage> PostApiAsync(HttpClient client, string path) => SendApiAsync(client, HttpMethod.Post, path);

    /// <summary>A change through the admin API, with the antiforgery header token fetched for this session.</summary>
    public static async Task<HttpResponseMessage> SendApiAsync(HttpClient client, HttpMethod method, string path, object? json = null)
    {
        using var token = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/admin/antiforgery", UriKind.Relative)));
        using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : System.Net.Http.Json.JsonContent.Create(json) };
        request.Headers.Add(token.RootElement.GetProperty("headerName").GetString()!, token.RootElement.GetProperty("token").GetString());
        return await client.SendAsync(request);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>Real time plus an offset the test moves forward, to see what happens fifteen minutes later without waiting.</summary>
public sealed class MovableClock : TimeProvider
{
    private long offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);
}
