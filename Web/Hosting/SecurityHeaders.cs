namespace Site.Web.Hosting;

public static class SecurityHeaders
{
    // Everything the site uses comes from its own origin: no inline script or style, no third parties.
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    // Over plain HTTP (a deployment without a domain) the upgrade would send every stylesheet, image, script and
    // form post to https on the same host, where nothing listens; so it is sent over HTTPS only.
    public const string HttpsContentSecurityPolicy = ContentSecurityPolicy + "; upgrade-insecure-requests";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;

            // IsHttps is the visitor's scheme at the load balancer: UseForwardedHeaders has applied X-Forwarded-Proto.
            var https = context.Request.IsHttps;
            headers.ContentSecurityPolicy = https ? HttpsContentSecurityPolicy : ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
            if (https)
            {
                // Over plain HTTP browsers ignore both, Cross-Origin-Opener-Policy with a console error.
                headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
            }

            return Task.CompletedTask;
        });
        return next(context);
    });
}
