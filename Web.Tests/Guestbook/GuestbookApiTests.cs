using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Guestbook;

public sealed class GuestbookApiTests(SiteFactory site) : IClassFixture<SiteFactory>
{
    private readonly HttpClient client = site.CreateClient();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task PostingAnEntryAnswers201WithItsLocationAndTheStoredEntry()
    {
        var message = $"Via the API {Guid.NewGuid():N}";
        using var response = await client.PostAsJsonAsync("/api/guestbook", new { name = "  Api  ", message });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await BodyAsync(response);
        var id = body.GetProperty("id").GetInt64();
        Assert.Equal($"/api/guestbook/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("Api", body.GetProperty("name").GetString());
        Assert.Equal(message, body.GetProperty("message").GetString());

        var fetched = await client.GetFromJsonAsync<JsonElement>(response.Headers.Location);
        Assert.Equal(message, fetched.GetProperty("message").GetString());
    }

    [Fact]
    public async Task InvalidFieldsAnswer400ProblemDetailsNamingEachField()
    {
        using var response = await client.PostAsJsonAsync("/api/guestbook", new { name = "", message = new string('m', 1001) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await BodyAsync(response);
        Assert.Equal(400, body.GetProperty("status").GetInt32());
        var errors = body.GetProperty("errors");
        Assert.Equal("Please enter your name.", errors.GetProperty("name")[0].GetString());
        Assert.Equal("A message can be at most 1000 characters; it has 1001.", errors.GetProperty("message")[0].GetString());
        Assert.Equal(32, body.GetProperty("traceId").GetString()!.Length);
    }

    [Theory]
    [InlineData("{\"name\": ")]
    [InlineData("{\"name\": 5, \"message\": true}")]
    [InlineData("[1, 2, 3]")]
    [InlineData("")]
    public async Task MalformedJsonAnswers400ProblemDetails(string json)
    {
        using var response = await client.PostAsync(new Uri("/api/guestbook", UriKind.Relative), Json(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrWhiteSpace((await BodyAsync(response)).GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task AFormBodyAnswers415()
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "x", ["message"] = "y" });
        using var response = await client.PostAsync(new Uri("/api/guestbook", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ABodyOverTheLimitAnswers413()
    {
        using var response = await client.PostAsync(new Uri("/api/guestbook", UriKind.Relative),
            Json(JsonSerializer.Serialize(new { name = "big", message = new string('x', 70_000) })));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await site.CountAsync("guestbook_entries", "name = 'big'"));
    }

    [Fact]
    public async Task TheSameIdempotencyKeyStoresOnceAndReturnsTheSameEntry()
    {
        var key = Guid.NewGuid().ToString();
        var message = $"Retried {Guid.NewGuid():N}";

        async Task<long> PostAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/guestbook") { Content = JsonContent.Create(new { name = "Retry", message }) };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await BodyAsync(response)).GetProperty("id").GetInt64();
        }

        Assert.Equal(await PostAsync(), await PostAsync());
        Assert.Equal(1, await site.CountAsync("guestbook_entries", "message = @message", new { message }));
    }

    [Fact]
    public async Task PagesAreNumberedFromOneWithANextLinkUntilTheEnd()
    {
        var marker = $"P{Guid.NewGuid():N}"[..8];
        await site.GuestbookEntriesAsync(25, marker);

        var first = await client.GetFromJsonAsync<JsonElement>("/api/guestbook?page=1");
        Assert.Equal(1, first.GetProperty("page").GetInt32());
        Assert.Equal(20, first.GetProperty("pageSize").GetInt32());
        var entries = first.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(20, entries.Count);
        Assert.Equal($"{marker} 25", entries[0].GetProperty("name").GetString());
        var ids = entries.Select(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ids.OrderDescending(), ids);
        Assert.Equal("/api/guestbook?page=2", first.GetProperty("next").GetString());

        var total = await site.CountAsync("guestbook_entries", "hidden = 0");
        var lastPage = (int)((total + 19) / 20);
        var last = await client.GetFromJsonAsync<JsonElement>($"/api/guestbook?page={lastPage}");
        Assert.Equal(JsonValueKind.Null, last.GetProperty("next").ValueKind);
        Assert.Equal(total - ((lastPage - 1) * 20), last.GetProperty("entries").GetArrayLength());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("99999999999")]
    public async Task AnInvalidPageNumberAnswers400NamingThePageParameter(string page)
    {
        using var response = await client.GetAsync(new Uri($"/api/guestbook?page={page}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await BodyAsync(response)).GetProperty("errors").TryGetProperty("page", out _));
    }

    [Fact]
    public async Task AnUnknownEntryAnswers404ProblemDetails()
    {
        using var response = await client.GetAsync(new Uri("/api/guestbook/999999999", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
