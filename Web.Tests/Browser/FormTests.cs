using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Site.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Site.Web.Tests.Browser;

/// <summary>The guestbook and contact forms as a visitor uses them, with JavaScript and without.</summary>
[Collection(BrowserGroup.Name)]
public sealed class FormTests(BrowserFixture browser)
{
    private const string Thanks = "Thank you! Your entry is now at the top of the list.";

    [Fact]
    public async Task WithJavaScriptAnEntryIsPostedThroughTheApiWithoutLeavingThePageAndAnnounced()
    {
        await using var session = await browser.NewSessionAsync();
        await session.OpenAsync("/guestbook");
        var page = session.Page;
        var documentsLoaded = 0;
        page.Load += (_, _) => documentsLoaded++;
        var status = page.GetByRole(AriaRole.Status);
        await Expect(status).ToBeEmptyAsync();

        var message = $"Hello from a browser {Guid.NewGuid():N}";
        await page.GetByLabel("Your name").FillAsync("Script Visitor");
        await page.GetByLabel("Message", new() { Exact = true }).FillAsync(message);
        var post = await page.RunAndWaitForResponseAsync(() => PostAsync(page), response => response.Request.Method == "POST");

        Assert.Equal(("/api/guestbook", 201), (new Uri(post.Url).AbsolutePath, post.Status));
        await Expect(status).ToHaveTextAsync(Thanks);
        var newest = page.Locator("#entries > li").First;
        await Expect(newest).ToContainTextAsync(message);
        await Expect(newest).ToHaveClassAsync(new Regex(@"\bposted\b"));
        await Expect(newest.Locator(".entry-name")).ToHaveAttributeAsync("dir", "auto");
        await Expect(newest.Locator(".entry-message")).ToHaveAttributeAsync("dir", "auto");
        await Expect(page.Locator("#entries > li.posted")).ToHaveCountAsync(1);
        await Expect(page.GetByLabel("Your name")).ToBeEmptyAsync();
        await Expect(page.GetByLabel("Message", new() { Exact = true })).ToBeEmptyAsync();
        Assert.Equal(0, documentsLoaded);
        Assert.Equal(1, await browser.Site.CountAsync("guestbook_entries", "message = @message", new { message }));
        session.AssertNoProblems();
    }

    [Fact]
    public async Task WithoutJavaScriptTheFormPostsAndTheNewEntryIsHighlightedAtTheTop()
    {
        await using var session = await browser.NewSessionAsync(javaScript: false);
        await session.OpenAsync("/guestbook");
        var page = session.Page;

        var message = $"Hello without scripts {Guid.NewGuid():N}";
        await page.GetByLabel("Your name").FillAsync("Plain Visitor");
        await page.GetByLabel("Message", new() { Exact = true }).FillAsync(message);
        var post = await page.RunAndWaitForRequestAsync(() => PostAsync(page), request => request.Method == "POST");

        Assert.True(post.IsNavigationRequest);
        Assert.Equal("/guestbook", new Uri(post.Url).AbsolutePath);
        await Expect(page).ToHaveURLAsync(new Regex(@"/guestbook\?posted=(\d+)#entry-\1$"));
        var posted = page.Locator("#entries > li.posted");
        await Expect(posted).ToHaveCountAsync(1);
        await Expect(posted).ToContainTextAsync(message);
        await Expect(page.Locator("#entries > li").First).ToContainTextAsync(message);
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Thank you! Your entry is now in the guestbook.");
        session.AssertNoProblems();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PostingAnEmptyEntryShowsEachMessageNextToItsFieldAndAnnouncesIt(bool javaScript)
    {
        await using var session = await browser.NewSessionAsync(BrowserFixture.Phone, javaScript);
        await session.OpenAsync("/guestbook");
        session.Allow(400, javaScript ? "/api/guestbook" : "/guestbook");

        await PostAsync(session.Page);

        await AssertFieldErrorAsync(session.Page, "Your name", "Please enter your name.");
        await AssertFieldErrorAsync(session.Page, "Message", "Please enter a message.");
        if (javaScript)
        {
            await Expect(session.Page.GetByLabel("Your name")).ToBeFocusedAsync();

            // axe runs inside the page, so only with JavaScript; the server-rendered messages are checked on the contact form.
            await PageTests.AssertAccessibleAsync(session);
        }

        session.AssertNoProblems();
    }

    [Fact]
    public async Task ACorrectedEntryClearsItsMessagesWhenPosted()
    {
        await using var session = await browser.NewSessionAsync();
        await session.OpenAsync("/guestbook");
        session.Allow(400, "/api/guestbook");
        var page = session.Page;
        await page.GetByLabel("Your name").FillAsync("Hasty Visitor");
        await PostAsync(page);
        await AssertFieldErrorAsync(page, "Message", "Please enter a message.");

        await page.GetByLabel("Message", new() { Exact = true }).FillAsync($"Second try {Guid.NewGuid():N}");
        await PostAsync(page);

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(Thanks);
        await Expect(page.Locator(".field-error")).ToHaveTextAsync(["", ""]);
        await Expect(page.Locator("[aria-invalid]")).ToHaveCountAsync(0);
        session.AssertNoProblems();
    }

    [Fact]
    public async Task AContactMessageWithMistakesShowsEachMessageNextToItsField()
    {
        await using var session = await browser.NewSessionAsync(BrowserFixture.Phone);
        await session.OpenAsync("/contact");
        session.Allow(400, "/contact");
        await session.Page.GetByLabel("Your email address").FillAsync("not an address");

        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();

        await AssertFieldErrorAsync(session.Page, "Your name", "Please enter your name.");
        await AssertFieldErrorAsync(session.Page, "Your email address", "Please enter an email address like name@example.com.");
        await AssertFieldErrorAsync(session.Page, "Message", "Please enter a message.");
        await Expect(session.Page.GetByLabel("Your email address")).ToHaveValueAsync("not an address");
        await PageTests.AssertAccessibleAsync(session);
    }

    [Fact]
    public async Task ASentContactMessageEndsOnTheThankYouPage()
    {
        await using var session = await browser.NewSessionAsync();
        await session.OpenAsync("/contact");
        var message = $"Please call me {Guid.NewGuid():N}";
        await session.Page.GetByLabel("Your name").FillAsync("Caller");
        await session.Page.GetByLabel("Your email address").FillAsync("caller@example.org");
        await session.Page.GetByLabel("Message", new() { Exact = true }).FillAsync(message);

        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();

        await Expect(session.Page).ToHaveURLAsync(new Regex(@"/contact/sent\?receipt=[^&]+$"));
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Thank you, your message was sent");
        Assert.Equal(1, await browser.Site.CountAsync("contact_messages", "message = @message", new { message }));
        session.AssertNoProblems();
    }

    internal static Task PostAsync(IPage page) => page.GetByRole(AriaRole.Button, new() { Name = "Post to the guestbook" }).ClickAsync();

    /// <summary>
    /// The message is shown just below its field, the field is marked invalid and described by the message (so a
    /// screen reader reads it with the field), and the message sits in a live region (so it is announced when it appears).
    /// </summary>
    private static async Task AssertFieldErrorAsync(IPage page, string label, string message)
    {
        var input = page.GetByLabel(label, new() { Exact = true });
        var error = page.Locator(".field").Filter(new() { Has = input }).Locator(".field-error");

        await Expect(error).ToHaveTextAsync(message);
        await Expect(error).ToBeVisibleAsync();
        await Expect(error).ToHaveAttributeAsync("aria-live", "polite");
        await Expect(input).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(input).ToHaveAccessibleDescriptionAsync(new Regex(Regex.Escape(message)));
        var field = (await input.BoundingBoxAsync())!;
        var shown = (await error.BoundingBoxAsync())!;
        Assert.InRange(shown.Y - (field.Y + field.Height), 0, 64);
        Assert.InRange(shown.X, field.X - 1, field.X + field.Width);
    }
}
