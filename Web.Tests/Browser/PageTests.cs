using Deque.AxeCore.Playwright;

namespace Site.Web.Tests.Browser;

[Collection(BrowserGroup.Name)]
public sealed class PageTests(BrowserFixture browser)
{
    [Theory]
    [MemberData(nameof(SitePages.AllAtBothWidths), MemberType = typeof(SitePages))]
    public async Task EveryPageLoadsWithoutErrorsAndFitsTheWindowWithoutSidewaysScrolling(string path, int width)
    {
        await using var session = await SitePages.OpenAsync(browser, path, width);
        await session.LoadEverythingAsync();
        await session.ScreenshotAsync($"{SitePages.NameOf(path)}-{width}");

        session.AssertNoProblems();
        Assert.True(await session.FitsTheWindowAsync(), $"{path} scrolls sideways at {width} px");
    }

    [Theory]
    [MemberData(nameof(SitePages.All), MemberType = typeof(SitePages))]
    public async Task EveryPageHasNoAccessibilityViolations(string path)
    {
        await using var session = await SitePages.OpenAsync(browser, path);

        await AssertAccessibleAsync(session);
    }

    [Fact]
    public async Task TheHomePageHasNoAccessibilityViolationsOnAPhone()
    {
        await using var session = await SitePages.OpenAsync(browser, "/", BrowserFixture.Phone);

        await AssertAccessibleAsync(session);
    }

    internal static async Task AssertAccessibleAsync(BrowserSession session)
    {
        // Without JavaScript axe would wait forever for its own timers.
        Assert.True(session.JavaScript, "axe needs a page that runs scripts");
        var result = await session.Page.RunAxe();

        Assert.NotEmpty(result.Passes);

        var violations = result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help}\n" + string.Join('\n', v.Nodes.Select(n => $"    {n.Html} at {string.Join(' ', n.Target)}")));
        Assert.True(result.Violations.Length == 0, $"{session.Page.Url}:\n{string.Join('\n', violations)}");
        session.AssertNoProblems();
    }
}
