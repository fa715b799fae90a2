using System.Net;
using System.Net.Http.Json;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Security;

public sealed class SecurityHeaderTests(SiteFactory site) : IClassFixture<SiteFactory>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/guestbook")]
    [InlineData("/api/guestbook")]
    [InlineData("/no/such/page")]
    public async Task EveryResponseCarriesTheSecurityHeadersAndNoServerBanner(string path)
    {
        using var response = await site.CreateClient().GetAsync(new Uri(path, UriKind.Relative));

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.False(response.Headers.Contains("Server"));
        Assert.False(response.Headers.Contains("X-Powered-By"));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS over plain HTTP is ignored by browsers and misleading");
        Assert.DoesNotContain("upgrade-insecure-requests", csp, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Cross-Origin-Opener-Policy"), "browsers ignore it on plain HTTP, with a console error");
    }

    [Theory]
    [InlineData("https", true)]
    [InlineData("http", false)]
    public async Task HstsUpgradeInsecureRequestsAndCoopAreSentWhenTheLoadBalancerSaysTheVisitorUsedHttps(string scheme, bool https)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Forwarded-Proto", scheme);
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var response = await site.CreateClient().SendAsync(request);

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Equal(https, csp.EndsWith("; upgrade-insecure-requests", StringComparison.Ordinal));
        Assert.Equal(https ? ["max-age=31536000; includeSubDomains"] : [], response.Headers.TryGetValues("Strict-Transport-Security", out var hsts) ? hsts : []);
        Assert.Equal(https ? ["same-origin"] : [], response.Headers.TryGetValues("Cross-Origin-Opener-Policy", out var coop) ? coop : []);
    }

    [Theory]
    [InlineData("/guestbook", "https", true)]
    [InlineData("/guestbook", "http", false)]
    [InlineData("/contact", "https", true)]
    [InlineData("/contact", "http", false)]
    public async Task TheAntiforgeryCookieIsSecureExactlyWhenTheVisitorUsedHttps(string path, string scheme, bool https)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Forwarded-Proto", scheme);
        using var response = await site.CreateClient().SendAsync(request);

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Equal(https, attributes.Contains("secure"));
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=strict", attributes);
    }

    [Fact]
    public async Task PagesWithFormsAreNeverCachedByShares()
    {
        using var response = await site.CreateClient().GetAsync(new Uri("/guestbook", UriKind.Relative));

        var cacheControl = response.Headers.CacheControl?.ToString() ?? "";
        Assert.DoesNotContain("public", cacheControl, StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoStore == true || response.Headers.CacheControl?.NoCache == true, cacheControl);
    }
}

public sealed class TightLimitsSiteFactory : SiteFactory
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["RateLimits:WritesPerMinute"] = "3" };
}

public sealed class EdgeLimitsSiteFactory : SiteFactory
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:WritesPerMinute"] = "3",
        [Site.Web.Hosting.ProxyHops.Key] = "2",
    };
}

/// <summary>Behind CloudFront and the load balancer, each appending the address it saw: the visitor's is the second last.</summary>
public sealed class EdgeRateLimitTests(EdgeLimitsSiteFactory site) : IClassFixture<EdgeLimitsSiteFactory>
{
    [Fact]
    public async Task TheVisitorIsCountedNotTheEdgeLocationNorWhatTheVisitorWrote()
    {
        var client = site.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/guestbook") { Content = JsonContent.Create(new { name = "Edge", message = $"edge {i}" }) };
            // Made up by the visitor, appended by CloudFront, appended by the load balancer (a different edge server each time).
            request.Headers.Add("X-Forwarded-For", $"10.9.8.{i}, 198.51.100.30, 130.176.{i}.7");
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }
}

public sealed class RateLimitTests(TightLimitsSiteFactory site) : IClassFixture<TightLimitsSiteFactory>
{
    private static HttpRequestMessage Post(string clientIp, string message)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/guestbook") { Content = JsonContent.Create(new { name = "Flood", message }) };
        request.Headers.Add("X-Forwarded-For", clientIp);
        return request;
    }

    [Fact]
    public async Task TooManyWritesFromOneClientGet429WithRetryAfterWhileOthersCarryOn()
    {
        var client = site.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.SendAsync(Post("198.51.100.1", $"flood {i} {Guid.NewGuid():N}"));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        using var other = await client.SendAsync(Post("198.51.100.2", $"calm {Guid.NewGuid():N}"));

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        Assert.Equal(3, await site.CountAsync("guestbook_entries", "message LIKE 'flood %'"));
    }

    [Fact]
    public async Task ASpoofedForwardedForChainDoesNotEscapeTheLimit()
    {
        var client = site.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var request = Post("198.51.100.9", $"spoof {i}");
            request.Headers.Remove("X-Forwarded-For");
            // The visitor sends a made-up address first; the load balancer appends the real one last.
            request.Headers.Add("X-Forwarded-For", $"10.9.8.{i}, 198.51.100.9");
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.Created));
    }
}
