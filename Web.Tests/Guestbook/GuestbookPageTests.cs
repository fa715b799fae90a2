using System.Net;
using Dapper;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Guestbook;

/// <summary>The guestbook as a browser without JavaScript uses it: plain form posts and links.</summary>
public sealed class GuestbookPageTests(SiteFactory site) : IClassFixture<SiteFactory>
{
    private readonly HttpClient client = site.CreateBrowserLikeClient();

    private async Task<HttpResponseMessage> PostAsync(string name, string message)
    {
        var page = await client.GetDocumentAsync("/guestbook");
        return await client.SubmitAsync(page, "#guestbook-form", new Dictionary<string, string> { ["Form.Name"] = name, ["Form.Message"] = message });
    }

    private async Task<AngleSharp.Dom.IDocument> FollowAsync(HttpResponseMessage redirect)
    {
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        return await client.GetDocumentAsync(redirect.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task PostingAnEntryShowsItHighlightedAtTheTopOfTheList()
    {
        var name = $"Ada {Guid.NewGuid():N}"[..12];
        using var response = await PostAsync($"  {name}  ", "  Hello from the test.  ");

        var page = await FollowAsync(response);
        var first = page.QuerySelector("#entries .entry");
        Assert.NotNull(first);
        Assert.Contains("posted", first.ClassList);
        Assert.Equal(name, first.QuerySelector(".entry-name")?.TextContent);
        Assert.Equal("Hello from the test.", first.QuerySelector(".entry-message")?.TextContent);
        Assert.Equal(1, await site.CountAsync("guestbook_entries", "name = @name", new { name }));
    }

    [Fact]
    public async Task LineBreaksPostedByAFormAreKeptAsPlainNewlinesAndShownWithoutCarriageReturns()
    {
        var name = $"Lines {Guid.NewGuid():N}"[..14];
        using var response = await PostAsync(name, "First line\r\nsecond\rthird\r\n");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        using var shown = await client.GetAsync(new Uri(response.Headers.Location!.OriginalString, UriKind.Relative));
        var html = await shown.Content.ReadAsStringAsync();

        await using var connection = await site.OpenDatabaseAsync();
        Assert.Equal("First line\nsecond\nthird", await connection.QuerySingleAsync<string>("SELECT message FROM guestbook_entries WHERE name = @name", new { name }));
        var entry = (await Html.ParseAsync(shown)).QuerySelector("#entries .entry.posted .entry-message");
        Assert.Equal("First line\nsecond\nthird", entry?.TextContent);
        Assert.DoesNotContain("&#xD;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMessageOverTheLimitCountedInCharactersNotUtf16UnitsIsRefusedWithBothCounts()
    {
        var max = Site.Web.Guestbook.GuestbookRules.MessageMaxLength;

        // As many emoji as the limit (twice as many UTF-16 units), with Windows line breaks that count as one each.
        using var fits = await PostAsync("Emoji Fan", string.Concat(Enumerable.Repeat("🌊", max - 2)) + "\r\nx");
        using var over = await PostAsync("Emoji Fan", string.Concat(Enumerable.Repeat("🌊", max - 1)) + "\r\nx");

        Assert.Equal(HttpStatusCode.Redirect, fits.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
        var page = await Html.ParseAsync(over);
        Assert.Equal($"A message can be at most {max} characters; it has {max + 1}.", page.QuerySelector("#message-error")?.TextContent);
    }

    [Fact]
    public async Task PostingAnEmptyMessageKeepsTheFormAndSaysWhy()
    {
        var name = $"Grace {Guid.NewGuid():N}"[..14];
        using var response = await PostAsync(name, "   ");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Equal(name, page.QuerySelector("#Form_Name")?.GetAttribute("value"));
        Assert.Equal("Please enter a message.", page.QuerySelector("#message-error")?.TextContent);
        Assert.Equal("true", page.QuerySelector("#Form_Message")?.GetAttribute("aria-invalid"));
        Assert.Null(page.QuerySelector("#Form_Name")?.GetAttribute("aria-invalid"));
        Assert.Equal(0, await site.CountAsync("guestbook_entries", "name = @name", new { name }));
    }

    [Fact]
    public async Task AnOverlongNameIsRejectedWithItsLengthAndTheMessageIsKept()
    {
        var message = $"Kept text {Guid.NewGuid():N}";
        using var response = await PostAsync(new string('n', 61), message);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Equal("Your name can be at most 60 characters; it has 61.", page.QuerySelector("#name-error")?.TextContent);
        Assert.Equal(message, page.QuerySelector("#Form_Message")?.TextContent);
        Assert.Equal(0, await site.CountAsync("guestbook_entries", "message = @message", new { message }));
    }

    [Fact]
    public async Task SixtyEmojiAreSixtyCharactersAndRoundTripIntact()
    {
        var name = string.Concat(Enumerable.Repeat("🦊", 60));
        var message = $"Grüße, 你好, مرحبا, こんにちは 👋🏽 {Guid.NewGuid():N}";
        using var response = await PostAsync(name, message);

        var page = await FollowAsync(response);
        var entry = page.QuerySelector("#entries .entry.posted");
        Assert.Equal(name, entry?.QuerySelector(".entry-name")?.TextContent);
        Assert.Equal(message, entry?.QuerySelector(".entry-message")?.TextContent);
        await using var connection = await site.OpenDatabaseAsync();
        Assert.Equal(name, await connection.ExecuteScalarAsync<string>("SELECT name FROM guestbook_entries WHERE message = @message", new { message }));
    }

    [Fact]
    public async Task HtmlInAnEntryIsShownAsTextNotMarkup()
    {
        var message = $"<script>alert('x')</script><b>bold</b> {Guid.NewGuid():N}";
        using var response = await PostAsync("<img src=x onerror=alert(1)>", message);

        var redirect = response.Headers.Location!.OriginalString;
        using var raw = await client.GetAsync(new Uri(redirect, UriKind.Relative));
        var html = await raw.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert('x')</script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        var page = await Html.ParseAsync(raw);
        Assert.Equal(message, page.QuerySelector(".entry.posted .entry-message")?.TextContent);
        Assert.Empty(page.QuerySelectorAll("main script, main img[onerror]"));
    }

    [Fact]
    public async Task SqlMetacharactersAreStoredVerbatim()
    {
        var message = $"Robert'); DROP TABLE guestbook_entries;-- \\ \" ` % _ {Guid.NewGuid():N}";
        using var response = await PostAsync("O'Brien \"Bobby\"", message);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var connection = await site.OpenDatabaseAsync();
        var stored = await connection.QuerySingleAsync<(string Name, string Message)>(
            "SELECT name, message FROM guestbook_entries WHERE message = @message", new { message });
        Assert.Equal("O'Brien \"Bobby\"", stored.Name);
        Assert.Equal(message, stored.Message);
    }

    [Fact]
    public async Task ResubmittingTheSameFormStoresTheEntryOnce()
    {
        var message = $"Double click {Guid.NewGuid():N}";
        var page = await client.GetDocumentAsync("/guestbook");
        var values = new Dictionary<string, string> { ["Form.Name"] = "Twice", ["Form.Message"] = message };

        using var first = await client.SubmitAsync(page, "#guestbook-form", values);
        using var second = await client.SubmitAsync(page, "#guestbook-form", values);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(1, await site.CountAsync("guestbook_entries", "message = @message", new { message }));
    }

    [Fact]
    public async Task TheSameFormSentAgainWithOtherTextSays422KeepsTheTextAndTakesItWithANewKey()
    {
        var first = $"First words {Guid.NewGuid():N}";
        var second = $"Second thoughts {Guid.NewGuid():N}";
        var page = await client.GetDocumentAsync("/guestbook");

        using var posted = await client.SubmitAsync(page, "#guestbook-form", new Dictionary<string, string> { ["Form.Name"] = "Twice", ["Form.Message"] = first });
        using var reused = await client.SubmitAsync(page, "#guestbook-form", new Dictionary<string, string> { ["Form.Name"] = "Twice", ["Form.Message"] = second });

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        var redisplayed = await Html.ParseAsync(reused);
        Assert.Equal(Site.Web.Guestbook.IndexModel.KeyReused, redisplayed.QuerySelector(".form-error li")?.TextContent);
        Assert.Equal(second, redisplayed.QuerySelector("#Form_Message")?.TextContent);
        Assert.Equal(0, await site.CountAsync("guestbook_entries", "message = @second", new { second }));

        using var again = await client.SubmitAsync(redisplayed, "#guestbook-form", new Dictionary<string, string> { ["Form.Name"] = "Twice", ["Form.Message"] = second });
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(1, await site.CountAsync("guestbook_entries", "message = @second", new { second }));
        Assert.Equal(1, await site.CountAsync("guestbook_entries", "message = @first", new { first }));
    }

    [Fact]
    public async Task AFormWhoseKeyWasMangledComesBackWithTheKeyItWasCheckedUnderSoSendingItTwiceStoresOnce()
    {
        var message = $"Mangled key {Guid.NewGuid():N}";
        var page = await client.GetDocumentAsync("/guestbook");
        using var refused = await client.SubmitAsync(page, "#guestbook-form", new Dictionary<string, string>
        {
            ["Form.Name"] = "Careful", ["Form.Message"] = "", ["Form.IdempotencyKey"] = "not a key",
        });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var redisplayed = await Html.ParseAsync(refused);
        var key = (redisplayed.QuerySelector("#Form_IdempotencyKey") as AngleSharp.Html.Dom.IHtmlInputElement)?.Value;
        Assert.True(Guid.TryParse(key, out _), $"the form came back with the key '{key}'");
        var values = new Dictionary<string, string> { ["Form.Name"] = "Careful", ["Form.Message"] = message };
        using var first = await client.SubmitAsync(redisplayed, "#guestbook-form", values);
        using var second = await client.SubmitAsync(redisplayed, "#guestbook-form", values);

        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Redirect), (first.StatusCode, second.StatusCode));
        Assert.Equal(1, await site.CountAsync("guestbook_entries", "message = @message", new { message }));
    }

    [Fact]
    public async Task APostWithoutTheAntiforgeryTokenIsRefused()
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Form.Name"] = "Mallory", ["Form.Message"] = "forged" });
        using var response = await client.PostAsync(new Uri("/guestbook", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await site.CountAsync("guestbook_entries", "message = 'forged'"));
    }
}
