using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Site.Web.Tests.Admin;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Security;

/// <summary>
/// Characters that make text display as something other than what it says (a name posted as "\u202ENIMDA" reads
/// "ADMIN") are refused with a message naming them, and visitors' text is shown isolated from what surrounds it.
/// </summary>
public sealed class InvisibleCharacterTests(AdminSiteFactory site) : IClassFixture<AdminSiteFactory>
{
    private const string Direction = "Your name contains a hidden character that changes the direction of the text around it";

    private readonly HttpClient browser = site.CreateBrowserLikeClient();

    public static TheoryData<string, string> RefusedInNames => new()
    {
        { "\u202E", $"{Direction} (U+202E). Please retype it." },
        { "\u202D", $"{Direction} (U+202D). Please retype it." },
        { "\u2067", $"{Direction} (U+2067). Please retype it." },
        { "\u200F", $"{Direction} (U+200F). Please retype it." },
        { "\u061C", $"{Direction} (U+061C). Please retype it." },
        { "\u200B", "Your name contains an invisible character (U+200B). Please retype it." },
        { "\uFEFF", "Your name contains an invisible character (U+FEFF). Please retype it." },
        { "\u2060", "Your name contains an invisible character (U+2060). Please retype it." },
        { "\u00AD", "Your name contains an invisible character (U+00AD). Please retype it." },
        { "\U000E0041", "Your name contains an invisible character (U+E0041). Please retype it." },
        { "\u2028", "Your name must be a single line without control characters." },
        { "\uFFFF", "Your name contains U+FFFF, which is not a character. Please retype it." },
        { "\uFDD0", "Your name contains U+FDD0, which is not a character. Please retype it." },
        { "\U0010FFFE", "Your name contains U+10FFFE, which is not a character. Please retype it." },
    };

    private async Task<HttpResponseMessage> PostToApiAsync(string name, string message) =>
        await browser.PostAsJsonAsync("/api/guestbook", new { name, message });

    [Theory]
    [MemberData(nameof(RefusedInNames))]
    public async Task TheApiRefusesANameWithTheCharacterNamedInTheMessage(string character, string expected)
    {
        var message = $"Invisible {Guid.NewGuid():N}";
        using var response = await PostToApiAsync($"NI{character}MDA", message);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(expected, body.GetProperty("errors").GetProperty("name")[0].GetString());
        Assert.Equal(0, await site.CountAsync("guestbook_entries", "message = @message", new { message }));
    }

    [Fact]
    public async Task TheGuestbookFormRefusesAReversedNameAndRedisplaysWhatWasTyped()
    {
        var message = $"Spoofed {Guid.NewGuid():N}";
        var form = await browser.GetDocumentAsync("/guestbook");
        using var response = await browser.SubmitAsync(form, "#guestbook-form",
            new Dictionary<string, string> { ["Form.Name"] = "\u202ENIMDA", ["Form.Message"] = message });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Equal($"{Direction} (U+202E). Please retype it.", page.QuerySelector("#name-error")?.TextContent);
        Assert.Equal("\u202ENIMDA", page.QuerySelector("#Form_Name")?.GetAttribute("value"));
        Assert.Equal(message, page.QuerySelector("#Form_Message")?.TextContent);
        Assert.Equal(0, await site.CountAsync("guestbook_entries", "message = @message", new { message }));
    }

    [Fact]
    public async Task TheContactFormRefusesThemInEachFieldAndKeepsWhatWasTyped()
    {
        var form = await browser.GetDocumentAsync("/contact");
        using var response = await browser.SubmitAsync(form, "main form", new Dictionary<string, string>
        {
            ["Form.Name"] = "Eve\u200B",
            ["Form.Email"] = "eve\u202E@example.org",
            ["Form.Message"] = "First line\u2028second line",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Equal("Your name contains an invisible character (U+200B). Please retype it.", page.QuerySelector("#contact-name-error")?.TextContent);
        Assert.Equal(
            "Your email address contains a hidden character that changes the direction of the text around it (U+202E). Please retype it.",
            page.QuerySelector("#contact-email-error")?.TextContent);
        Assert.Equal(
            "A message contains a Unicode line separator (U+2028). Please use an ordinary line break instead.",
            page.QuerySelector("#contact-message-error")?.TextContent);
        Assert.Equal("eve\u202E@example.org", page.QuerySelector("#Form_Email")?.GetAttribute("value"));
        Assert.Equal(0, await site.CountAsync("contact_messages", "name LIKE 'Eve%'"));
    }

    [Theory]
    [InlineData("\U0001F469\u200D\U0001F4BB Ada")]
    [InlineData("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645")]
    [InlineData("\u05DE\u05E8\u05D9\u05DD \u05DB\u05D4\u05DF")]
    [InlineData("\u2764\uFE0F Zo\u00EB")]
    public async Task JoinersEmojiAndRightToLeftScriptsAreStoredAsTyped(string name)
    {
        var message = $"Welcome {Guid.NewGuid():N}";
        using var response = await PostToApiAsync(name, message);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await using var connection = await site.OpenDatabaseAsync();
        Assert.Equal(name, await connection.ExecuteScalarAsync<string>("SELECT name FROM guestbook_entries WHERE message = @message", new { message }));
    }

    [Fact]
    public async Task VisitorsTextIsIsolatedWhereverItIsShown()
    {
        // As stored before these characters were refused.
        var marker = $"{Guid.NewGuid():N}"[..8];
        await using (var connection = await site.OpenDatabaseAsync())
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO guestbook_entries (name, message) VALUES (@name, @message);
                INSERT INTO contact_messages (name, email, message) VALUES (@name, 'old@example.org', @message);
                """,
                new { name = "\u202ENIMDA", message = $"\u202Eold {marker}" });
        }

        var owner = await site.SignedInClientAsync();
        foreach (var (client, path) in new[] { (browser, "/guestbook"), (owner, "/admin/guestbook"), (owner, "/admin/messages") })
        {
            var page = await client.GetDocumentAsync(path);
            var texts = page.QuerySelectorAll(".entry-name, .entry-message, .entry-meta a[href^='mailto:']").ToList();
            Assert.Contains(texts, e => e.TextContent == $"\u202Eold {marker}");
            Assert.All(texts, e => Assert.True(e.GetAttribute("dir") == "auto", $"{path}: <{e.LocalName} class=\"{e.ClassName}\"> is not isolated"));
        }
    }
}
