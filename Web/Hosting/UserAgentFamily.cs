namespace Site.Web.Hosting;

/// <summary>A coarse browser family for logs: enough to spot "only Safari fails" without logging the full header.</summary>
public static class UserAgentFamily
{
    private static readonly (string Token, string Family)[] Families =
    [
        ("ELB-HealthChecker", "HealthCheck"),
        ("bot", "Bot"),
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Chrome/", "Chrome"),
        ("Firefox/", "Firefox"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ];

    public static string Of(string userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return "None";
        }

        foreach (var (token, family) in Families)
        {
            if (userAgent.Contains(token, StringComparison.OrdinalIgnoreCase))
            {
                return family;
            }
        }

        return "Other";
    }
}
