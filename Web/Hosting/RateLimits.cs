using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Site.Web.Hosting;

public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>Requests of any kind per client IP per minute.</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerMinute { get; set; } = 600;

    /// <summary>Form posts and API writes per client IP per minute.</summary>
    [Range(1, 1_000_000)]
    public int WritesPerMinute { get; set; } = 20;

    /// <summary>Admin sign-in attempts per client IP per minute.</summary>
    [Range(1, 1_000_000)]
    public int LoginsPerMinute { get; set; } = 5;
}

/// <summary>
/// Per-client-IP limits with the built-in limiter. The client IP is the one the load balancer saw
/// (ForwardedHeaders runs first and trusts only the nearest hop), so a visitor can't dodge it by sending X-Forwarded-For.
/// Limits are per task: with N tasks a client gets up to N times the figure.
/// </summary>
public static class RateLimits
{
    public const string Writes = "writes";
    public const string Login = "login";

    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, configured) =>
        {
            var limits = configured.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Request.Path.StartsWithSegments("/health")
                    ? RateLimitPartition.GetNoLimiter("health")
                    : PerMinute(ClientKey(context), limits.RequestsPerMinute));
            limiter.AddPolicy(Writes, context => IsRead(context) ? RateLimitPartition.GetNoLimiter("reads") : PerMinute(ClientKey(context), limits.WritesPerMinute));

            // Showing the sign-in form costs nothing; only the attempts count.
            limiter.AddPolicy(Login, context => IsRead(context) ? RateLimitPartition.GetNoLimiter("reads") : PerMinute(ClientKey(context), limits.LoginsPerMinute));
            limiter.OnRejected = (rejected, _) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : 60;
                rejected.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
        });
        return builder;
    }

    private static bool IsRead(HttpContext context) => HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);

    private static string ClientKey(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static RateLimitPartition<string> PerMinute(string key, int permits) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = permits,
            TokensPerPeriod = Math.Max(1, permits / 6),
            ReplenishmentPeriod = TimeSpan.FromSeconds(10),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
}
