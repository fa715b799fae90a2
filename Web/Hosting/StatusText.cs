using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;

namespace Site.Web.Hosting;

/// <summary>What a visitor is told for each error status, on the HTML error page and in API problem details alike.</summary>
public sealed record StatusText(string Title, string Detail)
{
    public const int RetryAfterSeconds = 5;

    private const string AnsweredKey = "Site.AnsweredStatus";

    public static StatusText For(int status) => status switch
    {
        400 => new("That request didn't make sense", "Something in the request was malformed. Please go back and try again."),
        401 => new("Sign in first", "This needs the site owner's sign-in at /admin/login."),
        403 => new("Not allowed", "You are signed in, but this isn't open to you."),
        404 => new("Page not found", "We couldn't find that page. It may have moved, or the address may have a typo."),
        405 => new("Not allowed", "That action isn't available here."),
        413 => new("That was too much", "The request was larger than we accept. Please shorten what you sent."),
        415 => new("Unsupported format", "Send JSON (Content-Type: application/json) or a normal form post."),
        429 => new("Slow down a little", "You've sent a lot of requests in a short time. Please wait a few seconds and try again."),
        503 => new("We'll be right back", "The site can't reach its database at the moment. Nothing you sent was lost; please try again in a few seconds."),
        >= 400 and < 500 => new("That didn't work", "The request couldn't be handled. Please go back and try again."),
        _ => new("Something went wrong on our side", "An unexpected error happened. It has been logged, and we'll look into it."),
    };

    /// <summary>The id that ties what the visitor sees to the request's log lines (the load balancer's, see <see cref="AmazonTraceIdPropagator"/>).</summary>
    public static string TraceIdOf(HttpContext context) => Activity.Current?.TraceId.ToHexString() ?? context.TraceIdentifier;

    /// <summary>The sentence under every message about a failure that is not the visitor's doing.</summary>
    public static string QuoteId(HttpContext context) => $"If you contact us about this, please quote this id: {TraceIdOf(context)}";

    /// <summary>The status an exception is answered with: 500, a fault of the site's own, unless it says otherwise.</summary>
    public static int ForException(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        AntiforgeryValidationException => StatusCodes.Status400BadRequest,
        _ when exception.Data[AnsweredKey] is int status => status,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>
    /// Records that a feature recognised the exception as a refusal rather than a fault (the database layer: 503 while
    /// the database is away), so the error handlers and the request's log line (the cause, no stack) say the same
    /// without knowing the feature.
    /// </summary>
    public static void MarkAnswered(Exception exception, int status) => exception.Data[AnsweredKey] = status;

    public static void AddRetryAfter(HttpContext context, int status)
    {
        if (status is StatusCodes.Status503ServiceUnavailable or StatusCodes.Status429TooManyRequests &&
            !context.Response.Headers.ContainsKey("Retry-After"))
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }
    }
}
