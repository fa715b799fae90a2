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
}
