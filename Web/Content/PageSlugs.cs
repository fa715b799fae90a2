using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Site.Web.Content;

/// <summary>
/// The addresses an owner's page may have. A page is served at /{slug} beneath every other route, so a slug that is
/// the first part of one of the site's own addresses (/gallery, /admin, /api, /media...) could never be reached:
/// those are read from the routes themselves, so an address added later is reserved too.
/// </summary>
public sealed partial class PageSlugs(EndpointDataSource endpoints)
{
    public const int MaxLength = 60;

    // Served at / rather than /home; and addresses the site keeps even before it answers at them.
    private static readonly string[] Kept = [SitePage.HomeSlug, "privacy", "sitemap", "robots"];

    private readonly Lazy<FrozenSet<string>> reserved = new(() => endpoints.Endpoints.OfType<RouteEndpoint>()
        .Select(endpoint => endpoint.RoutePattern.PathSegments is [{ Parts: [RoutePatternLiteralPart literal] }, ..] ? literal.Content.ToLowerInvariant() : null)
        .OfType<string>()
        .Concat(Kept)
        .ToFrozenSet());

    public static bool IsWellFormed(string slug) => slug.Length <= MaxLength && Shape().IsMatch(slug);

    public bool IsReserved(string slug) => reserved.Value.Contains(slug);

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    private static partial Regex Shape();
}
