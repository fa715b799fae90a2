using System.Net;
using Dapper;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Contact;

public sealed class ContactTests(SiteFactory site) : IClassFixture<SiteFactory>
{
    private readonly HttpClient client = site.CreateBrowserLikeClient();

    private async Task<HttpResponseMessage> SendAsync(string name, string email, string message, AngleSharp.Dom.IDocument? page = null)
    {
        page ??= await client.GetDocumentAsync("/contact");
        return await client.SubmitAsync(page, "main form", new Dictionary<string, string>
        {
            ["Form.Name"] = name,
            ["Form.Email"] = email,
            ["Form.Message"] = message,
        });
    }

    [Fact]
    public async Task AMessageIsStoredExactlyOnceAndConfirmed()
    {
        var message = $"Hello owner {Guid.NewGuid():N}\nSecond line.";
        var page = await client.GetDocumentAsync("/contact");

        using var first = await SendAsync("Linus", "linus@example.org", message, page);
        using var again = await SendAsync("Linus", "linus@example.org", message, page);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var sent = first.Headers.Location?.OriginalString;
        Assert.StartsWith("/contact/sent?receipt=", sent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        var confirmation = await client.GetDocumentAsync(sent!);
        Assert.Contains("your message was sent", confirmation.QuerySelector("h1")?.TextContent, StringComparison.Ordinal);
        await using var connection = await site.OpenDatabaseAsync();
        var stored = (await connection.QueryAsync<(string Name, string Email, bool Handled)>(
            "SELECT name, email, handled FROM contact_messages WHERE message = @message", new { message })).ToList();
        Assert.Equal(("Linus", "linus@example.org", false), Assert.Single(stored));
    }

    [Theory]
    [InlineData("/contact/sent")]
    [InlineData("/contact/sent?receipt=")]
    [InlineData("/contact/sent?receipt=CfDJ8forged")]
    public async Task TheThankYouPageOpenedWithoutSendingAMessageSendsTheVisitorToTheForm(string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/contact", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task LineBreaksPostedWithoutJavaScriptAreStoredAsPlainNewlines()
    {
        var tag = Guid.NewGuid().ToString("N");

        using var response = await SendAsync("Linus", "linus@example.org", $"First {tag}\r\nsecond\rthird\n");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var connection = await site.OpenDatabaseAsync();
        Assert.Equal($"First {tag}\nsecond\nthird", await connection.QuerySingleAsync<string>(
            "SELECT message FROM contact_messages WHERE message LIKE @like", new { like = $"First {tag}%" }));
    }

    [Fact]
    public async Task TheSameFormSentAgainWithOtherTextSays422KeepsTheTextAndTakesItWithANewKey()
    {
        var first = $"First words {Guid.NewGuid():N}";
        var second = $"Second thoughts {Guid.NewGuid():N}";
        var page = await client.GetDocumentAsync("/contact");

        using var sent = await SendAsync("Linus", "linus@example.org", first, page);
        using var reused = await SendAsync("Linus", "linus@example.org", second, page);

        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        var redisplayed = await Html.ParseAsync(reused);
        Assert.Equal(Site.Web.Contact.IndexModel.KeyReused, redisplayed.QuerySelector(".form-error li")?.TextContent);
        Assert.Equal(second, redisplayed.QuerySelector("#Form_Message")?.TextContent);
        Assert.Equal(0, await site.CountAsync("contact_messages", "message = @second", new { second }));

        using var again = await SendAsync("Linus", "linus@example.org", second, redisplayed);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(1, await site.CountAsync("contact_messages", "message = @second", new { second }));
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("a@b")]
    [InlineData("two@@example.com")]
    [InlineData("spaces in@example.com")]
    public async Task AnInvalidEmailKeepsEverythingTypedAndSaysWhatIsWrong(string email)
    {
        var message = $"Keep me {Guid.NewGuid():N}";
        using var response = await SendAsync("Margaret", email, message);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Equal("Please enter an email address like name@example.com.", page.QuerySelector("#contact-email-error")?.TextContent);
        Assert.Equal("Margaret", page.QuerySelector("#Form_Name")?.GetAttribute("value"));
        Assert.Equal(email, page.QuerySelector("#Form_Email")?.GetAttribute("value"));
        Assert.Equal(message, page.QuerySelector("#Form_Message")?.TextContent);
        Assert.Equal(0, await site.CountAsync("contact_messages", "message = @message", new { message }));
    }

    [Fact]
    public async Task EveryMissingFieldIsNamed()
    {
        using var response = await SendAsync("", "", "");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Equal("Please enter your name.", page.QuerySelector("#contact-name-error")?.TextContent);
        Assert.Equal("Please enter your email address.", page.QuerySelector("#contact-email-error")?.TextContent);
        Assert.Equal("Please enter a message.", page.QuerySelector("#contact-message-error")?.TextContent);
    }
}
