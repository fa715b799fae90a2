using System.Diagnostics;

namespace Site.Web.Hosting;

/// <summary>
/// Uses the W3C traceparent header when there is one; otherwise adopts the trace id the load balancer
/// puts in X-Amzn-Trace-Id (Root=1-{8 hex}-{24 hex} is exactly 32 hex digits), so the id in the ALB's
/// access log, the app's log lines and the visitor's error page are one and the same.
/// </summary>
public sealed class AmazonTraceIdPropagator(DistributedContextPropagator inner) : DistributedContextPropagator
{
    public const string AmazonHeader = "X-Amzn-Trace-Id";

    public override IReadOnlyCollection<string> Fields => inner.Fields;

    public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter) =>
        inner.Inject(activity, carrier, setter);

    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter) =>
        inner.ExtractBaggage(carrier, getter);

    public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState)
    {
        inner.ExtractTraceIdAndState(carrier, getter, out traceId, out traceState);
        if (traceId is not null || getter is null)
        {
            return;
        }

        getter(carrier, AmazonHeader, out var amazon, out _);
        var root = RootTraceId(amazon);
        if (root is not null)
        {
            traceId = $"00-{root}-{ActivitySpanId.CreateRandom().ToHexString()}-01";
        }
    }

    /// <summary>The 32-hex-digit trace id in an X-Amzn-Trace-Id header, or null.</summary>
    public static string? RootTraceId(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        foreach (var part in header.Split(';', StringSplitOptions.TrimEntries))
        {
            if (!part.StartsWith("Root=1-", StringComparison.Ordinal))
            {
                continue;
            }

            var hex = part["Root=1-".Length..].Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
            return hex.Length == 32 && hex.All(char.IsAsciiHexDigitLower) && hex != new string('0', 32) ? hex : null;
        }

        return null;
    }
}
