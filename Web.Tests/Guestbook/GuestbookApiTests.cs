using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Site.Web.Common;
using Site.Web.Guestbook;
using Site.Web.Hosting;
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

    private async Task<HttpResponseMessage> PostWithKeyAsync(string key, string message)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/guestbook") { Content = JsonContent.Create(new { name = "Retry", message }) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task AnIdempotencyKeySentAgainWithAnotherEntryAnswers422AndStoresNothing()
    {
        var key = Guid.NewGuid().ToString();
        var first = $"First text {Guid.NewGuid():N}";
        var second = $"Second text {Guid.NewGuid():N}";

        using var stored = await PostWithKeyAsync(key, first);
        using var reused = await PostWithKeyAsync(key, second);
        using var retried = await PostWithKeyAsync(key, first);

        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
        var problem = await BodyAsync(reused);
        Assert.Equal(422, problem.GetProperty("status").GetInt32());
        Assert.Equal(IdempotencyKey.ReusedTitle, problem.GetProperty("title").GetString());
        Assert.Equal(IdempotencyKey.ReusedDetail, problem.GetProperty("detail").GetString());
        Assert.False(problem.TryGetProperty("id", out _));
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal((await BodyAsync(stored)).GetProperty("id").GetInt64(), (await BodyAsync(retried)).GetProperty("id").GetInt64());
        Assert.Equal(0, await site.CountAsync("guestbook_entries", "message = @second", new { second }));
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("8e03978e-40d5-43e8-bc93")]
    [InlineData("<script>")]
    public async Task AnIdempotencyKeyThatIsNotAUuidAnswers400AndStoresNothing(string key)
    {
        var message = $"Badly keyed {Guid.NewGuid():N}";
        using var response = await PostWithKeyAsync(key, message);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(IdempotencyKey.MalformedDetail, (await BodyAsync(response)).GetProperty("detail").GetString());
        Assert.Equal(0, await site.CountAsync("guestbook_entries", "message = @message", new { message }));
    }

    [Fact]
    public async Task AnIdempotencyKeySentAsAStructuredFieldStringIsTheSameKey()
    {
        var key = Guid.NewGuid().ToString();
        var message = $"Quoted key {Guid.NewGuid():N}";

        using var quoted = await PostWithKeyAsync($"\"{key}\"", message);
        using var bare = await PostWithKeyAsync(key, message);

        Assert.Equal(HttpStatusCode.Created, quoted.StatusCode);
        Assert.Equal((await BodyAsync(quoted)).GetProperty("id").GetInt64(), (await BodyAsync(bare)).GetProperty("id").GetInt64());
        Assert.Equal(1, await site.CountAsync("guestbook_entries", "message = @message", new { message }));
    }

    [Theory]
    [InlineData("application/json; charset=nonsense")]
    [InlineData("application/json; charset=\"\"")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json; charset=iso-8859-1")]
    public async Task AJsonBodyInAnyCharsetButUtf8Answers415SayingToSendUtf8(string contentType)
    {
        var message = $"Charset {Guid.NewGuid():N}";
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new { name = "Charset", message }));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await client.PostAsync(new Uri("/api/guestbook", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(JsonCharset.Detail, (await BodyAsync(response)).GetProperty("detail").GetString());
        Assert.Equal(0, await site.CountAsync("guestbook_entries", "message = @message", new { message }));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=UTF-8")]
    [InlineData("application/json; charset=\"utf-8\"")]
    public async Task AJsonBodyInUtf8IsAcceptedWithOrWithoutItsCharset(string contentType)
    {
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new { name = "Charset", message = "Grüße" }));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await client.PostAsync(new Uri("/api/guestbook", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Grüße", (await BodyAsync(response)).GetProperty("message").GetString());
    }

    private static List<long> Ids(JsonElement page) =>
        [.. page.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("id").GetInt64())];

    private static string? Link(JsonElement page, string name) => page.GetProperty(name).GetString();

    [Fact]
    public async Task PageOneLinksOnwardWithCursorsThatReachEveryVisibleEntryOnceNewestFirst()
    {
        await site.GuestbookEntriesAsync(45, $"W{Guid.NewGuid():N}"[..8]);
        await using (var connection = await site.OpenDatabaseAsync())
        {
            await connection.ExecuteAsync("UPDATE guestbook_entries SET hidden = 1 WHERE id % 7 = 0");
        }

        var first = await client.GetFromJsonAsync<JsonElement>("/api/guestbook?page=1");
        Assert.Equal(1, first.GetProperty("page").GetInt32());
        Assert.Equal(20, first.GetProperty("pageSize").GetInt32());
        Assert.Null(Link(first, "previous"));

        var walked = Ids(first);
        var next = Link(first, "next");
        Assert.Equal($"/api/guestbook?before={walked[^1]}", next);
        while (next is not null)
        {
            var page = await client.GetFromJsonAsync<JsonElement>(next);
            Assert.Equal(JsonValueKind.Null, page.GetProperty("page").ValueKind);
            Assert.InRange(page.GetProperty("entries").GetArrayLength(), 1, 20);
            walked.AddRange(Ids(page));
            next = Link(page, "next");
        }

        await using var check = await site.OpenDatabaseAsync();
        var visible = (await check.QueryAsync<long>("SELECT id FROM guestbook_entries WHERE hidden = 0 ORDER BY id DESC")).ToList();
        Assert.Equal(visible, walked);
    }

    [Fact]
    public async Task TheNextCursorMatchesPageTwoAndThePreviousLinkLeadsBack()
    {
        await site.GuestbookEntriesAsync(45, $"C{Guid.NewGuid():N}"[..8]);

        var first = await client.GetFromJsonAsync<JsonElement>("/api/guestbook");
        var second = await client.GetFromJsonAsync<JsonElement>(Link(first, "next"));
        var numbered = await client.GetFromJsonAsync<JsonElement>("/api/guestbook?page=2");
        Assert.Equal(Ids(numbered), Ids(second));
        Assert.Equal($"/api/guestbook?after={Ids(second)[0]}", Link(numbered, "previous"));

        var back = await client.GetFromJsonAsync<JsonElement>(Link(second, "previous"));
        Assert.Equal(Ids(first), Ids(back));
        Assert.Null(Link(back, "previous"));
    }

    [Fact]
    public async Task AnEntryAddedWhileAClientReadsDoesNotShiftTheNextPage()
    {
        await site.GuestbookEntriesAsync(45, $"S{Guid.NewGuid():N}"[..8]);
        var first = await client.GetFromJsonAsync<JsonElement>("/api/guestbook");
        var secondBefore = Ids(await client.GetFromJsonAsync<JsonElement>("/api/guestbook?page=2"));

        await site.GuestbookEntriesAsync(1, "Newcomer");

        Assert.Equal(secondBefore, Ids(await client.GetFromJsonAsync<JsonElement>(Link(first, "next"))));
        Assert.NotEqual(secondBefore, Ids(await client.GetFromJsonAsync<JsonElement>("/api/guestbook?page=2")));
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=-1", "page")]
    [InlineData("page=abc", "page")]
    [InlineData("page=101", "page")]
    [InlineData("page=99999999999", "page")]
    [InlineData("before=0", "before")]
    [InlineData("before=x", "before")]
    [InlineData("after=-3", "after")]
    [InlineData("page=1&before=5", "page")]
    [InlineData("before=5&after=9", "page")]
    public async Task AnInvalidPageOrCursorAnswers400NamingTheParameter(string query, string parameter)
    {
        using var response = await client.GetAsync(new Uri($"/api/guestbook?{query}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await BodyAsync(response)).GetProperty("errors").TryGetProperty(parameter, out _));
    }

    [Fact]
    public async Task PagesBeyondTheDeepestNumberSayHowToReadFurther()
    {
        using var deepest = await client.GetAsync(new Uri($"/api/guestbook?page={GuestbookApi.MaxNumberedPage}", UriKind.Relative));
        using var beyond = await client.GetAsync(new Uri($"/api/guestbook?page={GuestbookApi.MaxNumberedPage + 1}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, deepest.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, beyond.StatusCode);
        var message = (await BodyAsync(beyond)).GetProperty("errors").GetProperty("page")[0].GetString();
        Assert.Contains("follow the next link", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownEntryAnswers404ProblemDetails()
    {
        using var response = await client.GetAsync(new Uri("/api/guestbook/999999999", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
