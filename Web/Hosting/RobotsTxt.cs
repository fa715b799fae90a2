namespace Site.Web.Hosting;

public static class RobotsTxt
{
    /// <summary>
    /// Crawlers may read the public site but not the owner's pages or API, nor the thank-you page (which only a visitor
    /// who just sent a message sees), and are pointed at the sitemap by its absolute URL on the host they asked
    /// (robots.txt requires an absolute one).
    /// </summary>
    public static IEndpointRouteBuilder MapRobotsTxt(this IEndpointRouteBuilder app)
    {
        app.MapGet("/robots.txt", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=3600";
            return TypedResults.Text(
                $"""
                User-agent: *
                Allow: /
                Disallow: /admin
                Disallow: /api/admin
                Disallow: /contact/sent

                Sitemap: {PageMeta.AbsoluteUrl(context.Request, "/sitemap.xml")}

                """,
                "text/plain; charset=utf-8");
        });
        return app;
    }
}
