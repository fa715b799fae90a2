using System.Globalization;
using System.Text;
using System.Xml;
using Microsoft.AspNetCore.Http.Extensions;

namespace Site.Web.Content;

public static class ContentExtensions
{
    /// <summary>The site's own public pages, listed in the sitemap beside the owner's.</summary>
    private static readonly string[] FixedPaths = ["/gallery", "/guestbook", "/contact", "/privacy"];

    public static WebApplicationBuilder AddContent(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PageStore>();
        builder.Services.AddSingleton<PageSlugs>();
        return builder;
    }

    public static IEndpointRouteBuilder MapContent(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/sitemap.xml", async (HttpContext context, PageStore pages, CancellationToken cancellationToken) =>
            Results.Text(Sitemap(context.Request, await pages.AllPublishedAsync(cancellationToken)), "application/xml", Encoding.UTF8));
        return endpoints;
    }

    /// <summary>Absolute addresses as the visitor reached the site: the scheme and host the load balancer forwarded.</summary>
    private static string Sitemap(HttpRequest request, IReadOnlyList<SitePage> pages)
    {
        var builder = new StringBuilder();
        using (var xml = XmlWriter.Create(builder, new XmlWriterSettings { Indent = true, Encoding = Encoding.UTF8 }))
        {
            xml.WriteStartElement("urlset", "http://www.sitemaps.org/schemas/sitemap/0.9");
            var entries = pages.Select(page => (page.Path, LastEdited: (DateTime?)page.UpdatedAt))
                .Concat(FixedPaths.Select(path => (Path: path, LastEdited: (DateTime?)null)))
                .OrderBy(entry => entry.Path, StringComparer.Ordinal);
            foreach (var (path, lastEdited) in entries)
            {
                xml.WriteStartElement("url");
                xml.WriteElementString("loc", UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, path));
                if (lastEdited is { } at)
                {
                    xml.WriteElementString("lastmod", DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        // StringBuilder output declares UTF-16; the answer is UTF-8.
        return builder.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal);
    }
}
