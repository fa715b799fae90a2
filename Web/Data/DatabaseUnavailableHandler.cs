using Microsoft.AspNetCore.Diagnostics;
using Site.Web.Hosting;

namespace Site.Web.Data;

/// <summary>
/// The site's one answer to the database being away (down, refusing the sign-in, or every pooled connection busy):
/// 503 with Retry-After, "nothing you sent was lost, try again", and on the request's log line the cause rather than a
/// stack. Pages catch it themselves only where they still have something to show: a form to redisplay with the
/// visitor's text, a page in the site's layout that says what is missing.
/// </summary>
public sealed class DatabaseUnavailableHandler : IExceptionHandler
{
    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (Recognise(exception))
        {
            httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        }

        // Not handled here: the error page or the problem details are written as for any failure, with this status.
        return ValueTask.FromResult(false);
    }

    /// <summary>
    /// True when the exception says the database is away; it is then marked to be answered 503. <see cref="Db"/> calls
    /// this for each failure it records on the request, so a page that catches one logs it as the refusal it is.
    /// </summary>
    public static bool Recognise(Exception exception)
    {
        if (!DatabaseErrors.IsUnavailable(exception))
        {
            return false;
        }

        StatusText.MarkAnswered(exception, StatusCodes.Status503ServiceUnavailable);
        return true;
    }
}
