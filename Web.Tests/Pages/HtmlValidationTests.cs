using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Site.Web.Hosting;
using Site.Web.Tests.Admin;
using Site.Web.Tests.Browser;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Pages;

/// <summary>
/// The HTML of every page, public and the owner's, and of the error pages and the forms redisplayed with their
/// messages, as the Nu Html Checker (npm vnu-jar, run with Java) reads it: no errors.
/// </summary>
public sealed class HtmlValidationTests(AdminSiteFactory site) : IClassFixture<AdminSiteFactory>
{
    private static readonly string Checker = RepositoryFiles.PathOf("node_modules/vnu-jar/build/dist/vnu.jar");

    [Fact]
    public async Task EveryPageIsValidHtml()
    {
        var visitor = site.CreateBrowserLikeClient();
        var owner = await site.SignedInClientAsync();
        var pages = new Dictionary<string, string>(StringComparer.Ordinal);
        async Task KeepAsync(string name, HttpResponseMessage response, int? status = null)
        {
            using (response)
            {
                Assert.True(status is null || (int)response.StatusCode == status, $"{name} answered {response.StatusCode}");
                pages[name] = await response.Content.ReadAsStringAsync();
            }
        }

        async Task<HttpResponseMessage> SignGuestbookAsync(string name, string message) => await visitor.SubmitAsync(
            await visitor.GetDocumentAsync("/guestbook"), "#guestbook-form", new Dictionary<string, string> { ["Form.Name"] = name, ["Form.Message"] = message });

        // Content with what visitors type: a message posted without JavaScript, its line breaks as "\r\n".
        (await SignGuestbookAsync("Plain Visitor", "First line\r\nsecond line\r\n\r\nA new paragraph.")).Dispose();
        foreach (var path in SitePages.Public)
        {
            await KeepAsync(path, await visitor.GetAsync(new Uri(SitePages.UrlOf(site.Services, path), UriKind.Relative)), SitePages.StatusOf(path));
        }

        foreach (var path in SitePages.Owner)
        {
            await KeepAsync(path, await owner.GetAsync(new Uri(path, UriKind.Relative)), SitePages.StatusOf(path));
        }

        // The error page as the status code pages re-execute it (asked for directly, /error/413 is a 404).
        using (var tooLarge = new ByteArrayContent(new byte[site.Services.GetRequiredService<IOptions<SiteOptions>>().Value.MaxRequestBodyBytes + 1]))
        {
            await KeepAsync("/guestbook with a body too large", await visitor.PostAsync(new Uri("/guestbook", UriKind.Relative), tooLarge), 413);
        }

        await KeepAsync("/guestbook with mistakes", await SignGuestbookAsync("", "Two\r\nlines but no name"), 400);
        await KeepAsync("/contact with mistakes", await visitor.SubmitAsync(await visitor.GetDocumentAsync("/contact"), "main form", new Dictionary<string, string>
        {
            ["Form.Name"] = "",
            ["Form.Email"] = "not an address",
            ["Form.Message"] = "Two\r\nlines",
        }), 400);
        await KeepAsync("/admin/login with mistakes", await AdminSiteFactory.SignInAsync(site.CreateOwnerClient(), password: "wrong"));

        var problems = await CheckAsync(pages);

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    /// <summary>Runs the checker once over all the pages: its errors, each with the page it is on.</summary>
    private static async Task<List<string>> CheckAsync(Dictionary<string, string> pages)
    {
        var java = LocalMachine.FindProgram("java", "/usr/bin/java")
            ?? throw new FileNotFoundException("No Java found: scripts/install-deps.sh java installs one.");
        Assert.True(File.Exists(Checker), $"No {Checker}: run npm ci.");
        var folder = Directory.CreateTempSubdirectory("html-check-");
        try
        {
            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            var info = new ProcessStartInfo(java) { ArgumentList = { "-jar", Checker, "--errors-only", "--format", "json" } };
            foreach (var (name, html) in pages)
            {
                var file = $"page-{files.Count}.html";
                await File.WriteAllTextAsync(Path.Combine(folder.FullName, file), html);
                files[file] = name;
                info.ArgumentList.Add(Path.Combine(folder.FullName, file));
            }

            var (_, output) = await LocalMachine.RunAsync(info, TimeSpan.FromMinutes(5));
            using var report = JsonDocument.Parse(output);
            return [.. report.RootElement.GetProperty("messages").EnumerateArray()
                .Where(message => message.GetProperty("type").GetString() is "error" or "non-document-error")
                .Select(message =>
                {
                    var url = message.TryGetProperty("url", out var u) ? u.GetString() ?? "" : "";
                    var page = files.GetValueOrDefault(url[(url.LastIndexOf('/') + 1)..], url);
                    var line = message.TryGetProperty("lastLine", out var l) ? l.GetInt32() : 0;
                    var extract = message.TryGetProperty("extract", out var e) ? e.GetString() : "";
                    return $"{page} line {line}: {message.GetProperty("message").GetString()}\n    {extract}";
                })];
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
