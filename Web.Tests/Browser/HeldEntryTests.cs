using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Site.Web.Owner;
using Site.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Site.Web.Tests.Browser;

/// <summary>A visitor posting while the owner holds new entries for review, with JavaScript and without.</summary>
[Collection(BrowserGroup.Name)]
public sealed class HeldEntryTests(BrowserFixture browser)
{
    private Task<int> HoldAsync(bool hold) =>
        browser.Site.Services.GetRequiredService<SiteSettings>().SaveAsync(OwnerSettings.Defaults with { HoldGuestbookEntries = hold }, "owner", CancellationToken.None);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AHeldEntryIsAnnouncedAsReceivedForReviewAndIsNotAddedToTheList(bool javaScript)
    {
        await HoldAsync(true);
        try
        {
            await using var session = await browser.NewSessionAsync(javaScript: javaScript);
            await session.OpenAsync("/guestbook");
            var page = session.Page;

            var message = $"Held for review {Guid.NewGuid():N}";
            await page.GetByLabel("Your name").FillAsync("Patient Visitor");
            await page.GetByLabel("Message", new() { Exact = true }).FillAsync(message);
            await FormTests.PostAsync(page);

            await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(Site.Web.Guestbook.GuestbookApi.WaitingDetail);
            await Expect(page.Locator("#entries")).Not.ToContainTextAsync(message);
            await Expect(page.GetByLabel("Message", new() { Exact = true })).ToBeEmptyAsync();
            Assert.Equal(1, await browser.Site.CountAsync("guestbook_entries", "message = @message AND hidden = 1 AND held = 1", new { message }));
            session.AssertNoProblems();
        }
        finally
        {
            await HoldAsync(false);
        }
    }
}
