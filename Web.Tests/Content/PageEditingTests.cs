using System.Net;
using AngleSharp.Dom;
using Dapper;
using Site.Web.Tests.Admin;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Content;

public sealed class PageEditingTests(AdminSiteFactory site) : IClassFixture<AdminSiteFactory>
{
    private readonly HttpClient visitor = site.CreateClient();

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private async Task<long> IdOfAsync(string slug)
    {
        await using var connection = await site.OpenDatabaseAsync();
        return await connection.QuerySingleAsync<long>("SELECT id FROM pages WHERE slug = @slug", new { slug });
    }

    private async Task<List<(string Action, string Subject)>> ActionsAsync(string subject)
    {
        await using var connection = await site.OpenDatabaseAsync();
        return (await connection.QueryAsync<(string, string)>(
            "SELECT action, subject FROM owner_actions WHERE subject = @subject ORDER BY id", new { subject })).ToList();
    }

    [Fact]
    public async Task EditingTheAboutPageChangesWhatVisitorsReadAndIsRecorded()
    {
        var owner = await site.SignedInClientAsync();
        var id = await IdOfAsync("about");
        var editor = await owner.GetDocumentAsync($"/admin/pages/edit/{id}");
        var words = Unique("Freshly");

        using var save = await PageForm.SubmitAsync(owner, editor, new Dictionary<string, string>
        {
            ["Form.Title"] = "About the café",
            ["Form.Body"] = $"## Who we are\r\n\r\n{words} baked every morning.\r\nSecond line.",
        });

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        var about = await visitor.GetDocumentAsync("/about");
        Assert.Equal("About the café", about.QuerySelector("main h1")?.TextContent);
        Assert.Equal("Who we are", about.QuerySelector("main h2")?.TextContent);
        Assert.Contains($"{words} baked every morning.", about.QuerySelector("main p")?.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("&#xD;", about.Body!.InnerHtml, StringComparison.Ordinal);
        Assert.Equal("About the café", about.QuerySelector("nav[aria-label=Main] a[href='/about']")?.TextContent);
        await using (var connection = await site.OpenDatabaseAsync())
        {
            Assert.DoesNotContain('\r', await connection.QuerySingleAsync<string>("SELECT body FROM pages WHERE id = @id", new { id }));
        }

        Assert.Equal(("edited page", "/about"), (await ActionsAsync("/about"))[^1]);
        var saved = await owner.GetDocumentAsync(save.Headers.Location!.OriginalString);
        Assert.StartsWith("Saved as version", saved.QuerySelector("#saved")?.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEditPostedWithALostFormTokenComesBackWithTheTextAndSavingAgainWorks()
    {
        var id = await IdOfAsync("about");
        var editor = await (await site.SignedInClientAsync()).GetDocumentAsync($"/admin/pages/edit/{id}");
        var words = Unique("Rewritten");
        var values = new Dictionary<string, string> { ["Form.Body"] = $"An hour of writing: {words}." };

        // The same form posted from a browser whose token cookie is another one (cleared cookies, signed in again).
        var restored = await site.SignedInClientAsync();
        using var refused = await PageForm.SubmitAsync(restored, editor, values);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var page = await Html.ParseAsync(refused);
        Assert.Equal(values["Form.Body"], page.QuerySelector("#Form_Body")?.TextContent);
        Assert.Contains(Site.Web.Common.PageModelExtensions.FormExpired, page.QuerySelector(".form-error")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await site.CountAsync("pages", "body LIKE CONCAT('%', @words, '%')", new { words }));

        using var saved = await PageForm.SubmitAsync(restored, page, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(1, await site.CountAsync("pages", "body LIKE CONCAT('%', @words, '%')", new { words }));
    }

    [Fact]
    public async Task EditingTheHomePageChangesItsHeadingAndIntroductionAndKeepsTheHeroAndCards()
    {
        var owner = await site.SignedInClientAsync();
        var id = await IdOfAsync("home");
        var words = Unique("Kippers");

        using var save = await PageForm.SubmitAsync(owner, await owner.GetDocumentAsync($"/admin/pages/edit/{id}"), new Dictionary<string, string>
        {
            ["Form.Description"] = $"{words} on toast all winter.",
            ["Form.Body"] = $"{words} and *more*.",
        });

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        var home = await visitor.GetDocumentAsync("/");
        Assert.Equal("Harbour Lights", home.QuerySelector("main h1")?.TextContent);
        Assert.Equal($"{words} on toast all winter.", home.QuerySelector(".hero .lede")?.TextContent);
        Assert.Equal($"{words} on toast all winter.", home.QuerySelector("meta[name=description]")?.GetAttribute("content"));
        Assert.Equal("more", home.QuerySelector(".home-text em")?.TextContent);
        Assert.NotNull(home.QuerySelector("img.hero-image"));
        Assert.Equal(4, home.QuerySelectorAll(".cards .card").Length);
    }

    [Fact]
    public async Task RestoringAnOlderVersionSavesItAgainAsTheNewestVersion()
    {
        var owner = await site.SignedInClientAsync();
        var slug = Unique("restore");
        var id = await PageForm.CreateAsync(owner, slug, "First title", "The first text.");
        using (var second = await PageForm.SubmitAsync(owner, await owner.GetDocumentAsync($"/admin/pages/edit/{id}"), new Dictionary<string, string>
        {
            ["Form.Title"] = "Second title",
            ["Form.Body"] = "A bad edit.",
        }))
        {
            Assert.Equal($"/admin/pages/edit/{id}?saved=2", second.Headers.Location?.OriginalString);
        }

        Assert.Equal("A bad edit.", (await visitor.GetDocumentAsync($"/{slug}")).QuerySelector("main p")?.TextContent);
        var editor = await owner.GetDocumentAsync($"/admin/pages/edit/{id}");
        Assert.Equal("Current", editor.QuerySelector("#version-2 .badge")?.TextContent);

        using var restore = await owner.SubmitAsync(editor, "#version-1 form", new Dictionary<string, string>());

        Assert.Equal($"/admin/pages/edit/{id}?saved=3", restore.Headers.Location?.OriginalString);
        var page = await visitor.GetDocumentAsync($"/{slug}");
        Assert.Equal("First title", page.QuerySelector("main h1")?.TextContent);
        Assert.Equal("The first text.", page.QuerySelector("main p")?.TextContent);
        var after = await owner.GetDocumentAsync($"/admin/pages/edit/{id}");
        Assert.Equal(["3", "2", "1"], after.QuerySelectorAll("#versions tbody tr td:first-child").Select(td => td.TextContent));
        Assert.Equal("First title", after.QuerySelector("#version-3 td:nth-child(3)")?.TextContent);
        Assert.Equal(
            [("created page", $"/{slug}"), ("edited page", $"/{slug}"), ("restored page version 1", $"/{slug}")],
            await ActionsAsync($"/{slug}"));
    }

    [Fact]
    public async Task ASaveBasedOnAnOlderVersionIsRefusedWithTheTypedTextKeptAndSavingAgainReplacesIt()
    {
        var owner = await site.SignedInClientAsync();
        var slug = Unique("race");
        var id = await PageForm.CreateAsync(owner, slug, "Race", "Original.");
        var mine = await owner.GetDocumentAsync($"/admin/pages/edit/{id}");
        var theirs = await owner.GetDocumentAsync($"/admin/pages/edit/{id}");
        using (var first = await PageForm.SubmitAsync(owner, theirs, new Dictionary<string, string> { ["Form.Body"] = "Their change." }))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        }

        using var stale = await PageForm.SubmitAsync(owner, mine, new Dictionary<string, string> { ["Form.Body"] = "My change." });

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var shown = await Html.ParseAsync(stale);
        Assert.Contains("Not saved: this page was changed by owner (now version 2)", shown.QuerySelector(".form-error")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("My change.", shown.QuerySelector("textarea[name='Form.Body']")?.TextContent.Trim());
        Assert.Equal("Their change.", (await visitor.GetDocumentAsync($"/{slug}")).QuerySelector("main p")?.TextContent);

        using var again = await PageForm.SubmitAsync(owner, shown, new Dictionary<string, string>());

        Assert.Equal($"/admin/pages/edit/{id}?saved=3", again.Headers.Location?.OriginalString);
        Assert.Equal("My change.", (await visitor.GetDocumentAsync($"/{slug}")).QuerySelector("main p")?.TextContent);
    }

    [Fact]
    public async Task PreviewShowsTheTextAsVisitorsWouldSeeItAndSavesNothing()
    {
        var owner = await site.SignedInClientAsync();
        var slug = Unique("preview");
        var id = await PageForm.CreateAsync(owner, slug, "Preview", "Saved text.");
        var versions = await site.CountAsync("page_versions", "page_id = @id", new { id });

        using var response = await PageForm.SubmitAsync(owner, await owner.GetDocumentAsync($"/admin/pages/edit/{id}"),
            new Dictionary<string, string> { ["Form.Title"] = "Unsaved title", ["Form.Body"] = "## Soon\n\n**Unsaved** <script>alert(1)</script>" }, "#preview");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var shown = await Html.ParseAsync(response);
        Assert.Equal("Soon", shown.QuerySelector("#page-preview h2:not(#preview-title)")?.TextContent);
        Assert.Equal("Unsaved", shown.QuerySelector("#page-preview strong")?.TextContent);
        Assert.Empty(shown.QuerySelectorAll("main script"));
        Assert.Equal("Unsaved title", shown.QuerySelector("input[name='Form.Title']")?.GetAttribute("value"));
        Assert.Equal("Saved text.", (await visitor.GetDocumentAsync($"/{slug}")).QuerySelector("main p")?.TextContent);
        Assert.Equal(versions, await site.CountAsync("page_versions", "page_id = @id", new { id }));
    }

    [Fact]
    public async Task HostileMarkdownOnAPublishedPageIsInert()
    {
        var owner = await site.SignedInClientAsync();
        var slug = Unique("hostile");
        await PageForm.CreateAsync(owner, slug, "Hostile",
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1))\n\n![x](https://evil.example/x.gif)");

        var page = await visitor.GetDocumentAsync($"/{slug}");

        var main = page.QuerySelector("main")!;
        Assert.Empty(main.QuerySelectorAll("script, img"));
        Assert.Empty(main.QuerySelectorAll("a[href^='javascript']"));
        Assert.Contains("<script>alert(1)</script>", main.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(main.QuerySelectorAll("*").SelectMany(e => e.Attributes), a => a.Name.StartsWith("on", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("gallery", "is already used by the site itself")]
    [InlineData("guestbook", "is already used by the site itself")]
    [InlineData("contact", "is already used by the site itself")]
    [InlineData("admin", "is already used by the site itself")]
    [InlineData("api", "is already used by the site itself")]
    [InlineData("media", "is already used by the site itself")]
    [InlineData("health", "is already used by the site itself")]
    [InlineData("privacy", "is already used by the site itself")]
    [InlineData("sitemap", "is already used by the site itself")]
    [InlineData("home", "is already used by the site itself")]
    [InlineData("visit", "Another page already has the address /visit")]
    [InlineData("about", "Another page already has the address /about")]
    [InlineData("Opening Times!", "lower-case letters, digits and single hyphens")]
    [InlineData("", "Please enter an address")]
    public async Task ReservedTakenAndMalformedAddressesAreRefusedWithTheFormAsTyped(string slug, string message)
    {
        var owner = await site.SignedInClientAsync();
        var pages = await site.CountAsync("pages");
        var body = Unique("Typed");

        using var response = await PageForm.SubmitAsync(owner, await owner.GetDocumentAsync("/admin/pages/edit"), new Dictionary<string, string>
        {
            ["Form.Slug"] = slug,
            ["Form.Title"] = "Clash",
            ["Form.Description"] = "A page that cannot be saved.",
            ["Form.Body"] = body,
            ["Form.MenuOrder"] = "5",
        });

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Conflict, $"{response.StatusCode}");
        var shown = await Html.ParseAsync(response);
        Assert.Contains(message, shown.QuerySelector("#page-slug-error")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("true", shown.QuerySelector("input[name='Form.Slug']")?.GetAttribute("aria-invalid"));
        Assert.Equal(body, shown.QuerySelector("textarea[name='Form.Body']")?.TextContent.Trim());
        Assert.Equal(slug, shown.QuerySelector("input[name='Form.Slug']")?.GetAttribute("value"));
        Assert.Equal(pages, await site.CountAsync("pages"));
    }

    [Fact]
    public async Task MissingFieldsAndABadMenuPositionAreEachNamed()
    {
        var owner = await site.SignedInClientAsync();

        using var response = await PageForm.SubmitAsync(owner, await owner.GetDocumentAsync("/admin/pages/edit"), new Dictionary<string, string>
        {
            ["Form.Slug"] = Unique("fields"),
            ["Form.Title"] = " ",
            ["Form.Description"] = "",
            ["Form.Body"] = "",
            ["Form.MenuOrder"] = "first",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var shown = await Html.ParseAsync(response);
        Assert.Equal("Please enter a title.", shown.QuerySelector("#page-title-error")?.TextContent);
        Assert.Equal("Please enter a short description.", shown.QuerySelector("#page-description-error")?.TextContent);
        Assert.Equal("Please enter the page's text.", shown.QuerySelector("#page-body-error")?.TextContent);
        Assert.Equal("The menu position must be a whole number from 0 to 999.", shown.QuerySelector("#page-order-error")?.TextContent);
    }

    [Fact]
    public async Task ADraftIsNotFoundByVisitorsButTheOwnerCanPreviewAndThenPublishIt()
    {
        var owner = await site.SignedInClientAsync();
        var slug = Unique("draft");
        var id = await PageForm.CreateAsync(owner, slug, "Winter menu", "Soup of the day.", published: false, inMenu: true);

        using (var hidden = await visitor.GetAsync(new Uri($"/{slug}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
            Assert.Equal("Page not found", (await Html.ParseAsync(hidden)).QuerySelector("main h1")?.TextContent.Trim());
        }

        Assert.Null((await visitor.GetDocumentAsync("/")).QuerySelector($"nav a[href='/{slug}']"));
        var editor = await owner.GetDocumentAsync($"/admin/pages/edit/{id}");
        using (var preview = await PageForm.SubmitAsync(owner, editor, new Dictionary<string, string>(), "#preview"))
        {
            Assert.Equal("Soup of the day.", (await Html.ParseAsync(preview)).QuerySelector("#page-preview p")?.TextContent);
        }

        Assert.Equal("Draft, in menu", (await owner.GetDocumentAsync("/admin/pages")).QuerySelector($"#page-{id} td:nth-child(3)")?.TextContent);

        using (var publish = await PageForm.SubmitAsync(owner, editor, new Dictionary<string, string> { ["Form.Published"] = "true" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, publish.StatusCode);
        }

        Assert.Equal("Soup of the day.", (await visitor.GetDocumentAsync($"/{slug}")).QuerySelector("main p")?.TextContent);
    }

    [Fact]
    public async Task TheMenuListsPublishedPagesMarkedForItInTheirOrderAfterTheFixedLinks()
    {
        var owner = await site.SignedInClientAsync();
        var late = Unique("late");
        var early = Unique("early");
        var off = Unique("off");
        await PageForm.CreateAsync(owner, late, "Late", "Later in the menu.", inMenu: true, order: 30);
        await PageForm.CreateAsync(owner, early, "Early", "Early in the menu.", inMenu: true, order: 15);
        await PageForm.CreateAsync(owner, off, "Off", "Not in the menu.");

        var menu = (await visitor.GetDocumentAsync("/guestbook")).QuerySelectorAll("nav[aria-label=Main] a").Select(a => a.GetAttribute("href")).ToList();

        Assert.Equal(["/", "/gallery", "/guestbook", "/contact"], menu[..4]);
        var owned = menu.Where(href => href is "/about" or "/visit" || href == $"/{late}" || href == $"/{early}").ToList();
        Assert.Equal(["/about", $"/{early}", "/visit", $"/{late}"], owned);
        Assert.DoesNotContain($"/{off}", menu);
        Assert.DoesNotContain("/home", menu);
        var early2 = await visitor.GetDocumentAsync($"/{early}");
        Assert.Equal("page", early2.QuerySelector($"nav a[href='/{early}']")?.GetAttribute("aria-current"));
    }

    [Fact]
    public async Task DeletingAPageRemovesItAndItsVersionsWhileTheHomeAndAboutPagesCannotBeDeletedMovedOrUnpublished()
    {
        var owner = await site.SignedInClientAsync();
        var slug = Unique("gone");
        var id = await PageForm.CreateAsync(owner, slug, "Gone", "Soon gone.");
        var editor = await owner.GetDocumentAsync($"/admin/pages/edit/{id}");

        using var delete = await owner.SubmitAsync(editor, "#delete-form", new Dictionary<string, string>());

        Assert.Equal($"/admin/pages?deleted=%2F{slug}", delete.Headers.Location?.OriginalString);
        using (var response = await visitor.GetAsync(new Uri($"/{slug}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        Assert.Equal(0, await site.CountAsync("page_versions", "page_id = @id", new { id }));
        Assert.Equal(("deleted page", $"/{slug}"), (await ActionsAsync($"/{slug}"))[^1]);

        foreach (var fixedSlug in (string[])["home", "about"])
        {
            var fixedId = await IdOfAsync(fixedSlug);
            var fixedEditor = await owner.GetDocumentAsync($"/admin/pages/edit/{fixedId}");
            Assert.Null(fixedEditor.QuerySelector("#delete-form"));
            Assert.Null(fixedEditor.QuerySelector("input[name='Form.Slug']"));
            using (var moved = await PageForm.SubmitAsync(owner, fixedEditor, new Dictionary<string, string> { ["Form.Slug"] = $"{fixedSlug}-moved", ["Form.Published"] = "false" }))
            {
                Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
            }

            fixedEditor = await owner.GetDocumentAsync($"/admin/pages/edit/{fixedId}");
            using var forced = await owner.PostAsync(new Uri($"/admin/pages/edit/{fixedId}?handler=delete", UriKind.Relative),
                new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = fixedEditor.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("input[name=__RequestVerificationToken]")!.Value }));
            Assert.Equal(HttpStatusCode.NotFound, forced.StatusCode);
        }

        Assert.Equal(2, await site.CountAsync("pages", "slug IN ('home', 'about') AND published = TRUE"));
        Assert.Equal(0, await site.CountAsync("pages", "slug LIKE '%-moved'"));
    }

    [Fact]
    public async Task TheOwnersListShowsEveryPageWithItsAddressStatusAndWhoEditedItLast()
    {
        var owner = await site.SignedInClientAsync();
        var slug = Unique("listed");
        var id = await PageForm.CreateAsync(owner, slug, "Listed", "In the list.", published: false);

        var list = await owner.GetDocumentAsync("/admin/pages");

        var cells = list.QuerySelectorAll($"#page-{id} td").Select(td => td.TextContent.Trim()).ToArray();
        Assert.Equal("Listed", cells[0]);
        Assert.Equal($"/{slug}", cells[1]);
        Assert.Equal("Draft", cells[2]);
        Assert.EndsWith("by owner", cells[3], StringComparison.Ordinal);
        Assert.Equal("/", list.QuerySelector($"#page-{await IdOfAsync("home")} td:nth-child(2)")?.TextContent);
        Assert.NotNull(list.QuerySelector("a#new-page[href='/admin/pages/edit']"));
    }
}
