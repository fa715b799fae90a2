using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Security;

/// <summary>
/// Hundreds of malformed, oversized and malicious submissions against every form and API endpoint:
/// never a 5xx, every refusal a 4xx that says why, nothing half-stored, and what is stored is shown escaped.
/// </summary>
public sealed class HostileInputTests(SiteFactory site) : IClassFixture<SiteFactory>
{
    private static readonly string[] Texts =
    [
        "", " ", "\t\n", new string('a', 61), new string('b', 1001), new string('c', 5000), new string('d', 70_000),
        "\0", "nul\0inside", "\u0007bell", "\u001b[31mred", "\u202Eevil RTL override", "\uFEFFbom", "\r\n\r\n",
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg/onload=alert(1)>", "javascript:alert(1)",
        "'; DROP TABLE guestbook_entries; --", "1' OR '1'='1", "\\'; SELECT SLEEP(10); --", "%00%27", "${jndi:ldap://x}",
        "🦊🦊🦊", "Zalgo: Z̷̨̛a̴͖̚l̸̰͌g̶̗̈o̷͚̍", "日本語のテキスト", "مرحبا بالعالم", "\uD800 lone high surrogate", "\uDC00 lone low",
        "𝕳𝖊𝖑𝖑𝖔", "a\u0301\u0301\u0301", "{{7*7}}", "@(1+1)", "<!--", "]]>", "\u2028line separator",
    ];

    private static readonly string[] JsonBodies =
    [
        "", "null", "true", "42", "\"text\"", "[]", "[{}]", "{}", "{\"name\":null,\"message\":null}",
        "{\"name\":123,\"message\":\"x\"}", "{\"name\":\"x\",\"message\":[\"a\"]}", "{\"name\":{\"$ne\":1},\"message\":\"x\"}",
        "{\"name\":\"x\",\"message\":\"y\",\"name\":\"z\"}", "{\"name\":\"x\"", "{name:'x',message:'y'}", "{\"name\":\"x\",\"message\":\"y\"}garbage",
        new string('[', 5000) + new string(']', 5000), "{\"name\":\"x\",\"message\":\"" + new string('m', 200_000) + "\"}",
        "{\"name\":\"\\ud800\",\"message\":\"lone surrogate escape\"}", "{\"name\":\"x\",\"message\":\"\\u0000\"}",
    ];

    private static readonly (string ContentType, string Body)[] WrongContentTypes =
    [
        ("text/plain", "{\"name\":\"x\",\"message\":\"y\"}"),
        ("application/xml", "<entry><name>x</name></entry>"),
        ("application/x-www-form-urlencoded", "name=x&message=y"),
        ("multipart/form-data; boundary=abc", "--abc\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nx\r\n--abc--"),
        ("application/json; charset=utf-16", "{\"name\":\"x\",\"message\":\"y\"}"),
    ];

    private readonly List<string> failures = [];
    private readonly Dictionary<string, string> accepted = [];
    private int count;

    private async Task CheckAsync(string label, HttpResponseMessage response, string? marker = null, string? name = null, string? message = null)
    {
        count++;
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        if (status >= 500)
        {
            failures.Add($"{label}: {status}");
        }
        else if (status >= 400 && body.Trim().Length == 0)
        {
            failures.Add($"{label}: {status} with an empty body");
        }
        else if (status >= 400 && response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            using var problem = JsonDocument.Parse(body);
            var root = problem.RootElement;
            if (!root.TryGetProperty("detail", out _) && !root.TryGetProperty("errors", out _))
            {
                failures.Add($"{label}: problem details without a message: {body}");
            }
        }
        else if (status < 400 && marker is not null)
        {
            accepted[marker] = $"{name?.Trim()}\u0001{message?.Trim()}";
        }
    }

    [Theory]
    [InlineData("a[")]
    [InlineData("Form[Name")]
    [InlineData("Form.Name[0")]
    public async Task AFieldOrQueryNameWithAnUnclosedBracketIsJustAnotherName(string name)
    {
        var browser = site.CreateBrowserLikeClient();
        var message = $"Bracketed {Guid.NewGuid():N}";

        using var page = await browser.GetAsync(new Uri($"/guestbook?{Uri.EscapeDataString(name)}=1", UriKind.Relative));
        using var posted = await browser.SubmitAsync(await browser.GetDocumentAsync("/guestbook"), "#guestbook-form",
            new Dictionary<string, string> { ["Form.Name"] = "Brackets", ["Form.Message"] = message, [name] = "1" });

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal(1, await site.CountAsync("guestbook_entries", "message = @message", new { message }));
    }

    [Fact]
    public async Task NoHostileInputCausesAServerErrorOrAPartialWrite()
    {
        var http = site.CreateClient();
        var browser = site.CreateBrowserLikeClient();
        var guestbookForm = await browser.GetDocumentAsync("/guestbook");
        var contactForm = await browser.GetDocumentAsync("/contact");

        var i = 0;
        foreach (var text in Texts)
        {
            foreach (var asName in new[] { true, false })
            {
                var marker = $"hostile-{i++:D4}";
                var (name, message) = asName ? (text, marker) : (marker, text);

                using (var api = await http.PostAsync(new Uri("/api/guestbook", UriKind.Relative),
                           new StringContent(JsonSerializer.Serialize(new { name, message }), Encoding.UTF8, "application/json")))
                {
                    await CheckAsync($"api {marker}", api, marker + "-api", name, message);
                }

                var formMarker = marker + "-form";
                var fields = new Dictionary<string, string>
                {
                    ["Form.Name"] = asName ? text : formMarker,
                    ["Form.Message"] = asName ? formMarker : text,
                    ["Form.IdempotencyKey"] = Guid.NewGuid().ToString(),
                };
                using (var form = await browser.SubmitAsync(guestbookForm, "#guestbook-form", fields))
                {
                    await CheckAsync($"guestbook form {formMarker}", form, formMarker, fields["Form.Name"], fields["Form.Message"]);
                }

                using var contact = await browser.SubmitAsync(contactForm, "main form", new Dictionary<string, string>
                {
                    ["Form.Name"] = text,
                    ["Form.Email"] = text,
                    ["Form.Message"] = marker + "-contact " + text,
                    ["Form.IdempotencyKey"] = Guid.NewGuid().ToString(),
                });
                await CheckAsync($"contact form {marker}", contact);
            }
        }

        foreach (var json in JsonBodies)
        {
            using var response = await http.PostAsync(new Uri("/api/guestbook", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
            await CheckAsync($"json {json[..Math.Min(40, json.Length)]}", response);
        }

        foreach (var (contentType, body) in WrongContentTypes)
        {
            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            using var response = await http.PostAsync(new Uri("/api/guestbook", UriKind.Relative), content);
            await CheckAsync($"content type {contentType}", response);
        }

        // Bytes that are not UTF-8 at all, in JSON and in a form post.
        var invalidUtf8 = new byte[] { 0xC3, 0x28, 0xA0, 0xA1, 0xE2, 0x28, 0xA1, 0xF0, 0x28, 0x8C, 0xBC };
        using (var json = new ByteArrayContent([.. "{\"name\":\""u8.ToArray(), .. invalidUtf8, .. "\",\"message\":\"x\"}"u8.ToArray()]))
        {
            json.Headers.TryAddWithoutValidation("Content-Type", "application/json");
            using var response = await http.PostAsync(new Uri("/api/guestbook", UriKind.Relative), json);
            await CheckAsync("invalid utf-8 json", response);
        }

        foreach (var query in new[] { "page=-5", "page=1e9", "page=%00", "page=1&page=2", "page=" + new string('9', 400), "page=1%27%20OR%201=1" })
        {
            using var response = await http.GetAsync(new Uri($"/api/guestbook?{query}", UriKind.Relative));
            await CheckAsync($"GET /api/guestbook?{query}", response);
        }

        foreach (var query in new[] { "before=abc", "after=-1", "before=99999999999999999999", "before=1&after=2", "posted=%3Cscript%3E" })
        {
            using var response = await http.GetAsync(new Uri($"/guestbook?{query}", UriKind.Relative));
            await CheckAsync($"GET /guestbook?{query}", response);
        }

        foreach (var path in new[] { "/api/guestbook/abc", "/api/guestbook/-1", "/api/guestbook/99999999999999999999999", "/media/%2e%2e/appsettings.json", "/media/" + new string('a', 500) + ".webp" })
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            await CheckAsync($"GET {path}", response);
        }

        Assert.True(count > 200, $"only {count} payloads were sent");
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // Everything stored belongs to an accepted submission, exactly as submitted (trimmed), and nothing else got in.
        await using var connection = await site.OpenDatabaseAsync();
        var stored = (await connection.QueryAsync<(string Name, string Message)>(
            "SELECT name, message FROM guestbook_entries WHERE name LIKE 'hostile-%' OR message LIKE 'hostile-%'")).ToList();
        Assert.Equal(accepted.Count, stored.Count);
        Assert.All(stored, row => Assert.Contains($"{row.Name}\u0001{row.Message}", accepted.Values));
        Assert.Equal(0, await site.CountAsync("guestbook_entries", "name = 'x' OR name = 'z'"));

        // And what was stored comes back as text, never as markup.
        var html = await (await http.GetAsync(new Uri("/guestbook", UriKind.Relative))).Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x onerror", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg/onload", html, StringComparison.Ordinal);
    }
}
