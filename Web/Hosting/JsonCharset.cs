using Microsoft.Net.Http.Headers;

namespace Site.Web.Hosting;

/// <summary>
/// JSON bodies are UTF-8 (RFC 8259, section 8.1). A JSON body labelled with any other charset is refused with 415
/// before the framework reads it: an unknown charset would otherwise fail inside the JSON reader as a server error,
/// and a known one (UTF-16, Latin-1) is nothing the site's clients send.
/// </summary>
public static class JsonCharset
{
    public const string Detail = "Send JSON encoded as UTF-8: Content-Type: application/json, without a charset or with charset=utf-8.";

    /// <summary>Call where problem details are written for the API.</summary>
    public static IApplicationBuilder UseUtf8JsonBodies(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.HasJsonContentType() && MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType) && mediaType.Charset.HasValue)
        {
            if (HeaderUtilities.RemoveQuotes(mediaType.Charset).Value?.ToLowerInvariant() is not ("utf-8" or "utf8"))
            {
                context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = { Status = StatusCodes.Status415UnsupportedMediaType, Detail = Detail },
                });
                return;
            }

            // UTF-8 is what the JSON reader assumes; left in, a quoted charset="utf-8" (the same, says RFC 9110) would
            // be an unknown encoding to it.
            context.Request.ContentType = mediaType.MediaType.Value;
        }

        await next(context);
    });
}
