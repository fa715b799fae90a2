namespace Site.Web.Tests.Infrastructure;

/// <summary>
/// The site on a real Kestrel port rather than the in-memory test server: what a container health check, a
/// stopping ECS task or another process sees.
/// </summary>
public sealed class KestrelSiteFactory : SiteFactory
{
    public KestrelSiteFactory() => UseKestrel(0);
}
