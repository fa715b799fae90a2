using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Site.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Site.Web.Tests.Browser;

/// <summary>The owner writes a page in the browser: preview first, then save, then see it on the site.</summary>
[Collection(BrowserGroup.Name)]
public sealed class PageEditorTests(BrowserFixture browser)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TheOwnerPreviewsANewPageSavesItAndFindsItOnTheSite(bool javaScript)
    {
        await using var session = await browser.NewSessionAsync(javaScript: javaScript, asOwner: true);
        await session.OpenAsync("/admin/pages");
        var page = session.Page;
        var slug = $"events-{Guid.NewGuid():N}"[..15];

        await page.GetByRole(AriaRole.Link, new() { Name = "New page" }).ClickAsync();
        await page.GetByLabel("Title").FillAsync("Events");
        await page.GetByLabel("Address").FillAsync(slug);
        await page.GetByLabel("Short description").FillAsync("Music and talks in the loft.");
        await page.GetByLabel("Text (Markdown)").FillAsync("## This month\n\n- **Friday:** sea shanties\n- Sunday: a talk on the lifeboat");
        await page.GetByLabel("Published").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();

        var preview = page.Locator("#page-preview");
        await Expect(preview.Locator("h2").Nth(1)).ToHaveTextAsync("This month");
        await Expect(preview.Locator("li strong")).ToHaveTextAsync("Friday:");
        await Expect(page.GetByLabel("Text (Markdown)")).ToHaveValueAsync(new Regex("sea shanties"));
        Assert.Equal(0, await browser.Site.CountAsync("pages", "slug = @slug", new { slug }));
        if (javaScript)
        {
            await PageTests.AssertAccessibleAsync(session);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(page.Locator("#saved")).ToContainTextAsync("Saved as version 1.");
        await page.GetByRole(AriaRole.Link, new() { Name = "See it on the site" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/{slug}$"));
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Events");
        await Expect(page.Locator("main li").First).ToHaveTextAsync("Friday: sea shanties");
        session.AssertNoProblems();
    }
}
