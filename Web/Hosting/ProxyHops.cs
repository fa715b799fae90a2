namespace Site.Web.Hosting;

/// <summary>
/// How many proxies append to X-Forwarded-For before a request reaches the app, compiled into the CDK app too: the
/// load balancer, and CloudFront before it where the edge is on. The app takes the address that many entries from
/// the end, the last one a visitor cannot have written.
/// </summary>
public static class ProxyHops
{
    /// <summary>The configuration key (environment variable Hosting__ProxyHops).</summary>
    public const string Key = "Hosting:ProxyHops";

    public const int LoadBalancer = 1;

    public const int EdgeAndLoadBalancer = 2;
}
