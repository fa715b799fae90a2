using Microsoft.AspNetCore.Mvc.RazorPages;
using Site.Web.Hosting;

namespace Site.Web.Common;

public static class PageModelExtensions
{
    /// <summary>
    /// Marks the page's answer as 503 with Retry-After: the page is still shown (with whatever the visitor
    /// typed), but browsers, crawlers and the load balancer's logs see that it was not a success.
    /// </summary>
    public static void AnswerDatabaseUnavailable(this PageModel page, string? formMessage = null)
    {
        if (formMessage is not null)
        {
            page.ModelState.AddModelError(string.Empty, formMessage);
        }

        page.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        StatusText.AddRetryAfter(page.HttpContext, StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>
    /// Marks the page's answer as 422 for a form whose idempotency key already stored something else: the form comes
    /// back with what was typed and the message, and with a new key, so sending it again stores it on its own.
    /// </summary>
    /// <returns>The new key, for the form's model.</returns>
    public static string AnswerIdempotencyKeyReused(this PageModel page, string formMessage, string keyField)
    {
        page.ModelState.AddModelError(string.Empty, formMessage);

        // Otherwise the form shows the posted key again, from the model state.
        page.ModelState.Remove(keyField);
        page.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return IdempotencyKey.New();
    }
}
