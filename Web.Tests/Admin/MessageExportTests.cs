using System.Net;
using System.Text;
using Dapper;
using Site.Web.Admin;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Admin;

public sealed class MessageExportTests(AdminSiteFactory site) : IClassFixture<AdminSiteFactory>
{
    private async Task<long> MessageAsync(string name, string message, bool handled = false)
    {
        await using var connection = await site.OpenDatabaseAsync();
        return await connection.ExecuteScalarAsync<long>(
            "INSERT INTO contact_messages (name, email, message, handled) VALUES (@name, 'ann@example.org', @message, @handled); SELECT LAST_INSERT_ID();",
            new { name, message, handled });
    }

    /// <summary>An RFC 4180 reader, written from the RFC rather than from the exporter, to read back what a spreadsheet would.</summary>
    private static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else
            {
                Assert.False(c is '\r' or '\n', "A line break outside quotes that is not CRLF.");
                field.Append(c);
            }
        }

        Assert.Empty(row);
        Assert.Equal(0, field.Length);
        return rows;
    }

    [Fact]
    public async Task TheExportIsUtf8CsvWithABomAndEveryMessageReadsBackExactlyExceptFormulasWhichStayText()
    {
        var marker = $"{Guid.NewGuid():N}"[..10];
        var tricky = await MessageAsync("Smith, \"Jo\"", $"{marker} line one\r\nline two, with \"quotes\" and ünïcödé ✓");
        var formula = await MessageAsync("=HYPERLINK(\"http://evil.example\",\"click\")", $"{marker} +1 dial");
        var minus = await MessageAsync("-2+3", $"@SUM(A1) {marker}", handled: true);
        var owner = await site.SignedInClientAsync();

        using var response = await owner.GetAsync(new Uri($"{MessageExport.Path}?q={marker}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.StartsWith("attachment; filename=\"messages-", response.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var rows = ParseCsv(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes[3..]));

        Assert.Equal(["id", "received_utc", "name", "email", "message", "handled"], rows[0]);
        Assert.Equal([$"{minus}", $"{formula}", $"{tricky}"], rows.Skip(1).Select(r => r[0]));
        Assert.All(rows, r => Assert.Equal(6, r.Count));
        Assert.Equal(["'-2+3", "ann@example.org", $"'@SUM(A1) {marker}", "yes"], rows[1][2..]);
        Assert.Equal(["'=HYPERLINK(\"http://evil.example\",\"click\")", "ann@example.org", $"{marker} +1 dial", "no"], rows[2][2..]);
        Assert.Equal(["Smith, \"Jo\"", "ann@example.org", $"{marker} line one\r\nline two, with \"quotes\" and ünïcödé ✓", "no"], rows[3][2..]);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", rows[1][1]);
    }

    [Fact]
    public async Task TheExportHonoursTheFilterAndIsRecorded()
    {
        var marker = $"{Guid.NewGuid():N}"[..10];
        await MessageAsync("Open", $"{marker} a");
        var handled = await MessageAsync("Done", $"{marker} b", handled: true);
        var owner = await site.SignedInClientAsync();
        var inbox = await owner.GetDocumentAsync($"/admin/messages?state=handled&q={marker}");
        var link = inbox.QuerySelector("#export")?.GetAttribute("href");
        Assert.Equal($"{MessageExport.Path}?state=handled&q={marker}", link);

        var csv = await owner.GetStringAsync(new Uri(link!, UriKind.Relative));

        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"{handled},", lines[1], StringComparison.Ordinal);
        Assert.Equal(("owner", "exported messages", $"1 message, handled, search \"{marker}\""), (await Moderation.ActionsAsync(site))[0]);
    }

    [Fact]
    public async Task TheExportNeedsTheOwnerAndAKnownState()
    {
        using var anonymous = await site.CreateOwnerClient().GetAsync(new Uri(MessageExport.Path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Equal("/admin/login", anonymous.Headers.Location?.AbsolutePath);

        var owner = await site.SignedInClientAsync();
        var before = await site.CountAsync("owner_actions");
        using var unknown = await owner.GetAsync(new Uri($"{MessageExport.Path}?state=spam", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await site.CountAsync("owner_actions"));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("\tTab", "'\tTab")]
    [InlineData("\rCR", "\"'\rCR\"")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("", "")]
    public void AFieldIsQuotedWhenItMustBeAndNeverStartsAFormula(string value, string field) =>
        Assert.Equal(field, MessageExport.Field(value));
}
