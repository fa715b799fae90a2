using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Site.Web.Hosting;

namespace Site.Web.Common;

public static class PageModelExtensions
{
    public const string FormExpired =
        "Your message wasn't sent: the form's security check had expired (this happens when a page stays open a long time, " +
        "a phone restores a tab, or cookies are cleared). Your text is still here; please send it again.";

    /// <summary>
    /// Marks the page's answer as 503 with Retry-After: the page is still shown (with whatever the visitor
    /// typed, and the id to quote), but browsers, crawlers and the load balancer's logs see that it was not a success.
    /// </summary>
    public static void AnswerDatabaseUnavailable(this PageModel page, string? formMessage = null)
    {
        if (formMessage is not null)
        {
            page.ModelState.AddModelError(string.Empty, $"{formMessage} {StatusText.QuoteId(page.HttpContext)}.");
        }

        page.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        StatusText.AddRetryAfter(page.HttpContext, StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>
    /// Checks the form's antiforgery token for a page that takes visitors' text. Such a page carries
    /// [IgnoreAntiforgeryToken] and calls this first in its POST handler, so that a lost token redisplays the form with
    /// the text and <see cref="FormExpired"/> (as 400, nothing stored) instead of a bare 400 that loses it. The cause is
    /// recorded for the request's log line.
    /// </summary>
    public static async Task<bool> FormTokenIsValidAsync(this PageModel page)
    {
        try
        {
            await page.HttpContext.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(page.HttpContext);
            return true;
        }
        catch (AntiforgeryValidationException exception)
        {
            RequestRecord.Of(page.HttpContext).Fail(exception);
            page.ModelState.AddModelError(string.Empty, $"{FormExpired} {StatusText.QuoteId(page.HttpContext)}.");
            page.Response.StatusCode = StatusCodes.Status400BadRequest;
            return false;
        }
    }
}
