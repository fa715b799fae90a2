using System.Net;
using System.Text;
using System.Text.Json;
using Site.Web.Hosting;
using Site.Web.Tests.Infrastructure;
using static Site.Web.Tests.Infrastructure.LogsInsights;

namespace Site.Web.Tests.Hosting;

/// <summary>The one line each request ends with: its own route whatever runs after it, why it was refused, and whose trace id it carries.</summary>
public sealed class RequestLineTests(SiteFactory site) : IClassFixture<SiteFactory>
{
    private const string ClientTraceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private readonly HttpClient client = site.CreateClient();

    [Theory]
    [InlineData("/api/guestbook", "/api/guestbook")]
    [InlineData("/api/guestbook/", "/api/guestbook")]
    [InlineData("/api/guestbook/123456789", "/api/guestbook/{id:long}")]
    [InlineData("/guestbook", "/guestbook")]
    [InlineData("/", "/")]
    // The not-found page is re-executed as /error/404; the request itself matched nothing.
    [InlineData("/no/such/page", LogFields.NoRoute)]
    public async Task TheRouteIsTheTemplateOfTheRequestsOwnEndpointAsTheDocsWriteIt(string path, string route)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(route, Text(await LineOfAsync(response), LogFields.Route));
    }

    public static TheoryData<string, string, HttpStatusCode, string?> RefusedBodies => new()
    {
        { "application/json", new string('x', 70_000), HttpStatusCode.RequestEntityTooLarge, null },
        // Refused by routing itself, before the endpoint runs: the status is the reason.
        { "text/plain", "hello", HttpStatusCode.UnsupportedMediaType, null },
        { "application/json", "{\"name\": ", HttpStatusCode.BadRequest, "PostDto" },
    };

    [Theory]
    [MemberData(nameof(RefusedBodies))]
    public async Task ARefusedApiBodyIsLoggedUnderItsRouteWithWhyAndNoStack(string contentType, string body, HttpStatusCode status, string? reason)
    {
        using var response = await client.PostAsync(new Uri("/api/guestbook", UriKind.Relative), new StringContent(body, Encoding.UTF8, contentType));
        var line = await LineOfAsync(response);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(("/api/guestbook", (int)status, "Information"), (Text(line, LogFields.Route), Field(line, LogFields.StatusCode)!.Value.GetInt32(), Text(line, LogFields.Level)));
        Assert.Null(Field(line, LogFields.Exception));
        if (reason is not null)
        {
            Assert.Equal("Microsoft.AspNetCore.Http.BadHttpRequestException", Text(line, LogFields.ExceptionType));
            Assert.Contains(reason, Text(line, LogFields.ExceptionMessage), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheLoadBalancersIdIsTheTraceIdWhenItMadeTheHeader()
    {
        var (header, id) = NewLoadBalancerId("Root");
        using var response = await SendAsync(header, traceparent: null);

        Assert.Equal(id, TraceIdOf(response));
        Assert.Equal(id, Text(await LineOfAsync(response), LogFields.TraceId));
    }

    [Fact]
    public async Task WhenTheClientSentARootOfItsOwnTheLoadBalancersSelfIsTheTraceId()
    {
        var (self, id) = NewLoadBalancerId("Self");
        using var response = await SendAsync($"{self};{NewLoadBalancerId("Root").Header};CalledFrom=app", traceparent: null);

        Assert.Equal(id, TraceIdOf(response));
    }

    [Fact]
    public async Task AClientsTraceparentNeverChoosesTheIdAndIsLoggedBesideIt()
    {
        var (header, id) = NewLoadBalancerId("Root");
        using var behindTheLoadBalancer = await SendAsync(header, ClientTraceparent);
        using var direct = await SendAsync(amazonTraceId: null, ClientTraceparent);

        Assert.Equal(id, TraceIdOf(behindTheLoadBalancer));
        Assert.NotEqual("0af7651916cd43dd8448eb211c80319c", TraceIdOf(direct));
        foreach (var response in (HttpResponseMessage[])[behindTheLoadBalancer, direct])
        {
            var line = await LineOfAsync(response);
            Assert.Equal(TraceIdOf(response), Text(line, LogFields.TraceId));
            Assert.Equal("0af7651916cd43dd8448eb211c80319c", Text(line, LogFields.ClientTraceId));
        }
    }

    /// <summary>A field of X-Amzn-Trace-Id as the load balancer writes it (1-{8 hex}-{24 hex}), and the trace id it is.</summary>
    private static (string Header, string Id) NewLoadBalancerId(string field)
    {
        var id = Guid.NewGuid().ToString("N");
        return ($"{field}=1-{id[..8]}-{id[8..]}", id);
    }

    private static string TraceIdOf(HttpResponseMessage response) => response.Headers.GetValues(WebExtensions.TraceIdHeader).Single();

    private async Task<HttpResponseMessage> SendAsync(string? amazonTraceId, string? traceparent)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/about");
        if (amazonTraceId is not null)
        {
            request.Headers.Add(AmazonTraceIdPropagator.AmazonHeader, amazonTraceId);
        }

        if (traceparent is not null)
        {
            request.Headers.Add(AmazonTraceIdPropagator.TraceparentHeader, traceparent);
        }

        return await client.SendAsync(request);
    }

    private async Task<JsonElement> LineOfAsync(HttpResponseMessage response) =>
        (await site.Logs.ForRequestAsync(TraceIdOf(response))).Single(e => Text(e, LogFields.Template) == LogFields.RequestCompletedTemplate);
}
