using Deque.AxeCore.Playwright;

namespace Site.Web.Tests.Browser;

[Collection(BrowserGroup.Name)]
public sealed class PageTests(BrowserFixture browser)
{
    [Theory]
    [MemberData(nameof(SitePages.AllAtBothWidthsInBothSchemes), MemberType = typeof(SitePages))]
    public async Task EveryPageLoadsWithoutErrorsAndFitsTheWindowWithoutSidewaysScrolling(string path, int width, bool dark)
    {
        await using var session = await SitePages.OpenAsync(browser, path, width, dark);
        await session.LoadEverythingAsync();
        await session.ScreenshotAsync($"{SitePages.NameOf(path)}-{width}{(dark ? "-dark" : "")}");

        session.AssertNoProblems();
        Assert.True(await session.FitsTheWindowAsync(), $"{path} scrolls sideways at {width} px");
    }

    [Theory]
    [MemberData(nameof(SitePages.AllInBothSchemes), MemberType = typeof(SitePages))]
    public async Task EveryPageHasNoAccessibilityViolationsInLightAndDarkMode(string path, bool dark)
    {
        await using var session = await SitePages.OpenAsync(browser, path, dark: dark);
        Assert.Equal(dark, await session.Page.EvaluateAsync<bool>("() => matchMedia('(prefers-color-scheme: dark)').matches"));

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
