using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Site.Web.Tests.Browser;

/// <summary>The gallery's lightbox: a picture opens over the page and is leafed through with keys, buttons or a swipe.</summary>
[Collection(BrowserGroup.Name)]
public sealed class LightboxTests(BrowserFixture browser)
{
    private static ILocator Dialog(IPage page) => page.GetByRole(AriaRole.Dialog);

    [Fact]
    public async Task TheKeyboardOpensAPictureLeafsThroughWithTheArrowsAndEscapeReturnsFocusToIt()
    {
        await using var session = await browser.NewSessionAsync();
        await session.OpenAsync("/gallery");
        var page = session.Page;
        var links = page.Locator(".gallery a");
        var count = await links.CountAsync();
        var second = links.Nth(1);

        await second.FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        var dialog = Dialog(page);
        await Expect(dialog).ToBeVisibleAsync();
        Assert.Equal("/gallery", new Uri(page.Url).AbsolutePath);
        await Expect(dialog).ToHaveAccessibleNameAsync("Dawn over the Sea");
        await Expect(dialog.Locator(".lightbox-count")).ToHaveTextAsync($"Picture 2 of {count}");
        await Expect(dialog.GetByRole(AriaRole.Img)).ToHaveAttributeAsync("alt", (await second.Locator("img").GetAttributeAsync("alt"))!);
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Close" })).ToBeFocusedAsync();

        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(dialog.Locator(".lightbox-count")).ToHaveTextAsync($"Picture 3 of {count}");
        await page.Keyboard.PressAsync("ArrowLeft");
        await page.Keyboard.PressAsync("ArrowLeft");
        await Expect(dialog.Locator(".lightbox-count")).ToHaveTextAsync($"Picture 1 of {count}");
        // From the first, previous wraps round to the last.
        await page.Keyboard.PressAsync("ArrowLeft");
        await Expect(dialog.Locator(".lightbox-count")).ToHaveTextAsync($"Picture {count} of {count}");

        await page.Keyboard.PressAsync("Escape");

        await Expect(dialog).ToBeHiddenAsync();
        await Expect(second).ToBeFocusedAsync();
        session.AssertNoProblems();
    }

    [Fact]
    public async Task TabStaysInsideTheOpenLightbox()
    {
        await using var session = await browser.NewSessionAsync();
        await session.OpenAsync("/gallery");
        var page = session.Page;
        await page.Locator(".gallery a").First.ClickAsync();
        var dialog = Dialog(page);
        await Expect(dialog).ToBeVisibleAsync();

        for (var i = 0; i < 8; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement.closest('dialog') !== null"), $"focus left the lightbox after {i + 1} Tab presses");
        }
    }

    [Fact]
    public async Task ButtonsAndASwipeLeafThroughAndTheLightboxPassesAxe()
    {
        await using var session = await browser.NewSessionAsync(BrowserFixture.Phone);
        await session.OpenAsync("/gallery");
        var page = session.Page;
        await page.Locator(".gallery a").First.ClickAsync();
        var dialog = Dialog(page);
        var position = dialog.Locator(".lightbox-count");
        await Expect(position).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Picture 1 of"));

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Next →" }).ClickAsync();
        await Expect(position).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Picture 2 of"));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "← Previous" }).ClickAsync();
        await Expect(position).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Picture 1 of"));

        // A finger moving right to left across the picture: the next one.
        var box = (await dialog.GetByRole(AriaRole.Img).BoundingBoxAsync())!;
        var y = box.Y + (box.Height / 2);
        await page.Mouse.MoveAsync(box.X + (box.Width * 0.8f), y);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + (box.Width * 0.2f), y, new() { Steps = 5 });
        await page.Mouse.UpAsync();
        await Expect(position).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Picture 2 of"));
        await Expect(dialog.GetByRole(AriaRole.Link, new() { Name = "Open this picture's page" }))
            .ToHaveAttributeAsync("href", await page.Locator(".gallery a").Nth(1).GetAttributeAsync("href") ?? "");

        await PageTests.AssertAccessibleAsync(session);
        await session.ScreenshotAsync("gallery-lightbox-360");
    }

    [Fact]
    public async Task WithoutJavaScriptAPictureIsALinkToItsOwnPage()
    {
        await using var session = await browser.NewSessionAsync(javaScript: false);
        await session.OpenAsync("/gallery");
        var page = session.Page;
        var first = page.Locator(".gallery a").First;
        var href = await first.GetAttributeAsync("href");

        await first.ClickAsync();

        await Expect(page).ToHaveURLAsync(new Uri(browser.BaseAddress, href).ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sunset Ridges");
        await page.GetByRole(AriaRole.Link, new() { Name = "Next →" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Dawn over the Sea");
    }
}
