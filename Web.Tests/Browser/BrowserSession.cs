using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Site.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Site.Web.Tests.Browser;

/// <summary>
/// One browser context and its page, recording everything that went wrong while it was used: console errors,
/// uncaught exceptions, requests that failed and responses of 400 or more, except those a test expects.
/// </summary>
public sealed partial class BrowserSession : IAsyncDisposable
{
    private static readonly string ScreenshotFolder = RepositoryFiles.PathOf(Path.Combine("artifacts", "screenshots"));

    private readonly List<string> problems = [];
    private readonly List<(int Status, string Path)> expected = [];

    private BrowserSession(IBrowserContext context, IPage page, bool javaScript)
    {
        Context = context;
        Page = page;
        JavaScript = javaScript;
        context.Console += (_, message) =>
        {
            if (message.Type == "error" && !IsExpectedResourceError(message))
            {
                Record($"console error: {message.Text} ({message.Location})");
            }
        };
        context.WebError += (_, error) => Record($"uncaught exception: {error.Error}");
        context.RequestFailed += (_, request) => Record($"request failed: {request.Method} {request.Url}: {request.Failure}");
        context.Response += (_, response) =>
        {
            if (response.Status >= 400 && !IsExpected(response.Status, response.Url))
            {
                Record($"response {response.Status}: {response.Request.Method} {response.Url}");
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Whether the page runs its scripts (and so whether scripts like axe can run in it).</summary>
    public bool JavaScript { get; }

    public static async Task<BrowserSession> StartAsync(IBrowserContext context, bool javaScript) => new(context, await context.NewPageAsync(), javaScript);

    /// <summary>A response the test provokes on purpose (the not-found page, a rejected form), not counted as a problem.</summary>
    public void Allow(int status, string path)
    {
        lock (problems)
        {
            expected.Add((status, path));
        }
    }

    public void AssertNoProblems()
    {
        lock (problems)
        {
            Assert.True(problems.Count == 0, $"{Page.Url}:\n{string.Join('\n', problems)}");
        }
    }

    /// <summary>Opens a path and waits for its load event.</summary>
    public async Task OpenAsync(string path, int status = 200)
    {
        var response = await Page.GotoAsync(path);
        Assert.Equal(status, response?.Status);
    }

    /// <summary>Waits until everything the page would load has arrived, lazy images below the fold included.</summary>
    public async Task LoadEverythingAsync()
    {
        await Page.EvaluateAsync(
            "() => Promise.all([...document.images].map(image => { image.loading = 'eager'; return image.decode().catch(() => {}); }))");
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    public async Task SignInAsync(string user, string password)
    {
        await OpenAsync("/admin/login");
        await Page.GetByLabel("User name").FillAsync(user);
        await Page.GetByLabel("Password").FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();
    }

    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, $"{name}.png"), FullPage = true });
    }

    /// <summary>True when the page is no wider than the window, so nothing needs scrolling sideways.</summary>
    public Task<bool> FitsTheWindowAsync() =>
        Page.EvaluateAsync<bool>("() => document.scrollingElement.scrollWidth <= window.innerWidth");

    public async ValueTask DisposeAsync() => await Context.CloseAsync();

    private void Record(string problem)
    {
        lock (problems)
        {
            problems.Add(problem);
        }
    }

    private bool IsExpected(int status, string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return false;
        }

        lock (problems)
        {
            return expected.Contains((status, uri.PathAndQuery));
        }
    }

    // Chromium also logs every response of 400 or more to the console, located at the resource's URL ("URL:line:column").
    private bool IsExpectedResourceError(IConsoleMessage message)
    {
        var status = ResourceError().Match(message.Text);
        var url = LineAndColumn().Replace(message.Location, "");
        return status.Success && IsExpected(int.Parse(status.Groups[1].Value, CultureInfo.InvariantCulture), url);
    }

    [GeneratedRegex(@"^Failed to load resource: the server responded with a status of (\d{3})")]
    private static partial Regex ResourceError();

    [GeneratedRegex(@":\d+:\d+$")]
    private static partial Regex LineAndColumn();
}
