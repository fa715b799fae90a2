using System.Net;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Security;

/// <summary>
/// The error pages are shown for failed requests only. Were /error/500 an address answering 500, anyone could raise the
/// load balancer's 5xx count at will, and the alarm on it rolls deployments back.
/// </summary>
public sealed class ErrorPageAddressTests(SiteFactory site) : IClassFixture<SiteFactory>
{
    [Theory]
    [InlineData("GET", "/error/500")]
    [InlineData("HEAD", "/error/500")]
    [InlineData("GET", "/error/503")]
    [InlineData("HEAD", "/error/503")]
    [InlineData("POST", "/error/500")]
    [InlineData("GET", "/error/429")]
    [InlineData("GET", "/error/404")]
    [InlineData("GET", "/error")]
    public async Task AnErrorPageAskedForByItsAddressIsAPageThatDoesNotExist(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        using var response = await site.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(response.Headers.Contains("Retry-After"));
        if (method == "GET")
        {
            var page = await Html.ParseAsync(response);
            Assert.Equal("Page not found", page.QuerySelector("main h1")?.TextContent);
        }
    }

    [Fact]
    public async Task AMissingPageStillShowsTheErrorPageWithItsOwnStatus()
    {
        using var response = await site.CreateClient().GetAsync(new Uri("/no/such/page", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Error 404", (await Html.ParseAsync(response)).QuerySelector(".error-code")?.TextContent);
    }
}
