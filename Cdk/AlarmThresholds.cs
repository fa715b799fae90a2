namespace Site.Cdk;

/// <summary>Where the alarms of one environment fire; how long a breach must last is fixed in Monitoring.</summary>
public sealed record AlarmThresholds
{
    /// <summary>Load-balancer-generated 5xx as a percentage of all requests in five minutes.</summary>
    public required double LoadBalancer5xxPercent { get; init; }

    /// <summary>Below this many requests in five minutes a percentage says nothing (one error in two requests is 50%).</summary>
    public required int MinRequestsForRate { get; init; }

    public required int Target5xxPerMinute { get; init; }

    /// <summary>Log events at level Error per minute.</summary>
    public required int AppErrorsPerMinute { get; init; }

    public required int DatabaseFailuresPerMinute { get; init; }

    public required double P99ResponseSeconds { get; init; }

    /// <summary>Sustained well above the 50% scaling target: scaling is not keeping up or is at its maximum.</summary>
    public required int TaskCpuPercent { get; init; }

    public required int TaskMemoryPercent { get; init; }

    public required int DatabaseCpuPercent { get; init; }

    /// <summary>Kept well below the instance class's max_connections (about 85 for a micro, 680 for a large).</summary>
    public required int DatabaseConnections { get; init; }

    /// <summary>Storage autoscaling grows the volume first; this fires when it cannot (at its maximum).</summary>
    public required int DatabaseFreeStorageGiB { get; init; }
}
