using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Site.Web.Tests.Browser;

/// <summary>Everything can be reached and seen with the keyboard alone.</summary>
[Collection(BrowserGroup.Name)]
public sealed class KeyboardTests(BrowserFixture browser)
{
    private const string Describe =
        "element => [element.tagName.toLowerCase(), element.getAttribute('href') ?? element.getAttribute('name') ?? '', " +
        "(element.textContent || element.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ').slice(0, 40)].join(' ')";

    // Every control a visitor can operate, in document order: what Tab should visit. The honeypot is out of reach on purpose.
    private const string Controls =
        "() => [...document.querySelectorAll('a[href], button, input, textarea, select, summary, video[controls]')]" +
        "  .filter(element => element.tagName === 'VIDEO' || (!element.disabled && element.type !== 'hidden' && element.tabIndex >= 0))" +
        "  .filter(element => element.getClientRects().length > 0 && !element.closest('[aria-hidden=true]'))" +
        // What a closed <details> holds is out of reach until it is opened.
        "  .filter(element => !element.closest('details:not([open]) > :not(summary)'))" +
        $"  .map({Describe})";

    // The video's own buttons live inside it, so focus on any of them shows as the video; the browser draws their focus ring.
    private const string Focused =
        "() => { const element = document.activeElement;" +
        "  if (!element || element === document.body) return null;" +
        "  const style = getComputedStyle(element);" +
        "  const ring = element.matches(':focus-visible') && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;" +
        $"  return {{ control: ({Describe})(element), visible: element.tagName === 'VIDEO' || ring }}; }}";

    [Theory]
    [MemberData(nameof(SitePages.All), MemberType = typeof(SitePages))]
    public async Task TabReachesEveryControlInOrderAndAlwaysShowsWhereTheFocusIs(string path)
    {
        await using var session = await SitePages.OpenAsync(browser, path);
        var expected = await session.Page.EvaluateAsync<string[]>(Controls);

        var reached = new List<string>();
        for (var presses = 0; presses < expected.Length + 20; presses++)
        {
            await session.Page.Keyboard.PressAsync("Tab");
            var focus = await session.Page.EvaluateAsync<JsonElement?>(Focused);
            if (focus?.GetProperty("control").GetString() is not { } control || (reached.Count > 1 && control == reached[0]))
            {
                break;
            }

            Assert.True(focus.Value.GetProperty("visible").GetBoolean(), $"{path}: no visible focus on {control}");
            // The video's several buttons all show as the video: count it once.
            if (!(control.StartsWith("video", StringComparison.Ordinal) && reached.LastOrDefault() == control))
            {
                reached.Add(control);
            }
        }

        Assert.Equal(expected, reached);
        session.AssertNoProblems();
    }

    [Fact]
    public async Task TheSkipLinkComesFirstAppearsWhenFocusedAndMovesFocusToTheContent()
    {
        await using var session = await browser.NewSessionAsync(BrowserFixture.Phone);
        await session.OpenAsync("/guestbook");
        var page = session.Page;
        var skip = page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" });
        await Expect(skip).Not.ToBeInViewportAsync();

        await page.Keyboard.PressAsync("Tab");
        await Expect(skip).ToBeFocusedAsync();
        await Expect(skip).ToBeInViewportAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("main")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Your name")).ToBeFocusedAsync();
        session.AssertNoProblems();
    }
}
