namespace Site.Web.Hosting;

/// <summary>
/// The ViewData keys a page sets for what the layout writes into its head: the title, the description search
/// results and shared links show, and the picture a shared link shows.
/// </summary>
public static class PageMeta
{
    public const string SiteName = "Harbour Lights";

    public const string Title = "Title";

    public const string Description = "Description";

    /// <summary>A path on the site (or an absolute URL) of the picture a shared link shows; the site's icon when not set.</summary>
    public const string Image = "Image";

    public const string DefaultDescription = "Harbour Lights, a café and photo gallery on the quay.";

    public const string DefaultImage = "/icons/icon-512.png";

    /// <summary>
    /// A path on the site as an absolute URL, with the scheme and host the visitor used: behind the load balancer the
    /// scheme is its X-Forwarded-Proto (UseForwardedHeaders) and the Host header is passed through unchanged.
    /// </summary>
    public static string AbsoluteUrl(HttpRequest request, string path) =>
        Uri.TryCreate(path, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"
            ? path
            : $"{request.Scheme}://{request.Host}{request.PathBase}{path}";
}
