using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Site.Web.Common;
using Site.Web.Guestbook;
using static Microsoft.Playwright.Assertions;

namespace Site.Web.Tests.Browser;

/// <summary>What the scripts add over the server's pages: counters that count as the server does, times in the visitor's zone, and print styles.</summary>
[Collection(BrowserGroup.Name)]
public sealed class EnhancementTests(BrowserFixture browser)
{
    /// <summary>Texts on which a count in UTF-16 units, or a trim or newline handling unlike .NET's, would differ.</summary>
    public static TheoryData<string> Texts => new(
        "Hello",
        "Emoji 😀 and a family 👨‍👩‍👧 count as the server counts them",
        "  Leading and trailing spaces  ",
        "Windows\r\nline breaks\r\nand old Mac\rones",
        "\u3000ideographic space and next line\u0085",
        "Flags 🇳🇴🇯🇵 and accents e\u0301",
        "\n\n  blank lines around  \n\n");

    [Theory]
    [MemberData(nameof(Texts))]
    public async Task TheCounterCountsATextExactlyAsTheServerDoes(string text)
    {
        await using var session = await browser.NewSessionAsync();
        await session.OpenAsync("/guestbook");
        var src = await session.Page.Locator("script[src*='/js/counter']").GetAttributeAsync("src");

        var counted = await session.Page.EvaluateAsync<int>("async ([src, text]) => (await import(src)).lengthOf(text)", new[] { src, text });

        Assert.Equal(InputValidator.LengthOf(InputValidator.Normalize(text, multiline: true)), counted);
        session.AssertNoProblems();
    }

    [Fact]
    public async Task TheCounterFollowsTypingMarksALongTextAndTheServerRefusesItWithTheSameCount()
    {
        await using var session = await browser.NewSessionAsync(BrowserFixture.Phone);
        await session.OpenAsync("/guestbook");
        session.Allow(400, "/api/guestbook");
        var page = session.Page;
        var message = page.GetByLabel("Message", new() { Exact = true });
        var counter = page.Locator("#message-count");
        var max = GuestbookRules.MessageMaxLength;
        await Expect(counter).ToHaveTextAsync($"0 / {max}");
        await Expect(counter).ToHaveAttributeAsync("aria-live", "polite");

        await message.PressSequentiallyAsync("Hi 👋\nthere");
        await Expect(counter).ToHaveTextAsync($"10 / {max}");

        // A paste of more than the limit is kept whole (no maxlength cuts it), and marked.
        var tooLong = string.Concat(Enumerable.Repeat("🌊", max - 1)) + "\nab";
        await message.FillAsync(tooLong);
        await Expect(message).ToHaveValueAsync(tooLong);
        await Expect(counter).ToHaveTextAsync($"{max + 2} / {max}: 2 too many");
        await Expect(counter).ToHaveClassAsync(new Regex(@"\bover\b"));

        await page.GetByLabel("Your name").FillAsync("Long Writer");
        await FormTests.PostAsync(page);
        await Expect(page.Locator("#message-error")).ToHaveTextAsync($"A message can be at most {max} characters; it has {max + 2}.");

        await message.FillAsync("Short again");
        await Expect(counter).ToHaveTextAsync($"11 / {max}");
        await Expect(counter).Not.ToHaveClassAsync(new Regex(@"\bover\b"));
        session.AssertNoProblems();
    }

    [Fact]
    public async Task TheCounterEmptiesWithTheFormAfterAnEntryIsPosted()
    {
        await using var session = await browser.NewSessionAsync();
        await session.OpenAsync("/guestbook");
        var page = session.Page;
        await page.GetByLabel("Your name").FillAsync("Counter Visitor");
        await page.GetByLabel("Message", new() { Exact = true }).FillAsync($"Counted {Guid.NewGuid():N}");
        await Expect(page.Locator("#message-count")).ToHaveTextAsync($"40 / {GuestbookRules.MessageMaxLength}");

        await FormTests.PostAsync(page);

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Thank you!");
        await Expect(page.Locator("#message-count")).ToHaveTextAsync($"0 / {GuestbookRules.MessageMaxLength}");
        session.AssertNoProblems();
    }

    [Theory]
    [InlineData("Asia/Tokyo", "en-GB")]
    [InlineData("America/Los_Angeles", "en-US")]
    public async Task TimesAreShownInTheVisitorsTimeZoneAndTheUtcTextStaysWithoutJavaScript(string zone, string locale)
    {
        await using var local = await browser.NewSessionAsync(zone: zone, locale: locale);
        await local.OpenAsync("/guestbook");
        var time = local.Page.Locator("#entries time").First;
        var utc = DateTime.Parse(await time.GetAttributeAsync("datetime") ?? "", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
        var there = TimeZoneInfo.ConvertTimeFromUtc(utc, TimeZoneInfo.FindSystemTimeZoneById(zone));

        // Intl's medium date and short time in the visitor's language: the local hour and minute, and no "UTC".
        await Expect(time).Not.ToContainTextAsync("UTC");
        var shown = await time.TextContentAsync() ?? "";
        var hour = locale == "en-US" ? $"{(there.Hour + 11) % 12 + 1}:{there.Minute:00}" : $"{there.Hour:00}:{there.Minute:00}";
        Assert.Contains(hour, shown, StringComparison.Ordinal);
        Assert.Contains(there.Day.ToString(System.Globalization.CultureInfo.InvariantCulture), shown, StringComparison.Ordinal);
        Assert.EndsWith("UTC", await time.GetAttributeAsync("title"), StringComparison.Ordinal);
        local.AssertNoProblems();

        await using var plain = await browser.NewSessionAsync(javaScript: false, zone: zone, locale: locale);
        await plain.OpenAsync("/guestbook");
        await Expect(plain.Page.Locator("#entries time").First).ToHaveTextAsync(new Regex(@"^\d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC$"));
    }

    [Fact]
    public async Task APrintedPageHasNoNavigationOrFormsAndWritesOutWhereLinksGo()
    {
        await using var session = await browser.NewSessionAsync();
        await session.OpenAsync("/guestbook");
        var page = session.Page;

        await page.EmulateMediaAsync(new() { Media = Microsoft.Playwright.Media.Print, ColorScheme = ColorScheme.Dark });

        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" })).ToBeHiddenAsync();
        await Expect(page.Locator("#guestbook-form")).ToBeHiddenAsync();
        Assert.Equal("rgb(0, 0, 0)", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('main h1')).color"));
        Assert.Equal("rgb(255, 255, 255)", await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor"));
        var after = await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('main a[href^=\"/\"]'), '::after').content");
        Assert.Matches(@"^"" \(/.*\)""$", after);
        session.AssertNoProblems();
    }
}
