using System.Text.Json;

namespace Site.Web.Tests.Infrastructure;

/// <summary>
/// The rules of the CloudWatch embedded metric format, as its published specification states them
/// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
/// a document CloudWatch Logs would reject, or extract nothing from, has at least one violation.
/// </summary>
public static class EmbeddedMetricFormat
{
    // The specification's MetricDatum units.
    private static readonly HashSet<string> Units =
    [
        "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits",
        "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
        "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
    ];

    public static IReadOnlyList<string> Violations(JsonElement root)
    {
        var problems = new List<string>();
        void Check(bool holds, string problem)
        {
            if (!holds)
            {
                problems.Add(problem);
            }
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("_aws", out var metadata) || metadata.ValueKind != JsonValueKind.Object)
        {
            return ["the root must be an object with an _aws object"];
        }

        Check(root.GetRawText().Length <= 1024 * 1024, "a log event is at most 1 MB");
        OnlyMembers(metadata, "_aws", ["Timestamp", "CloudWatchMetrics"], problems);
        Check(metadata.TryGetProperty("Timestamp", out var timestamp) && timestamp.ValueKind == JsonValueKind.Number && timestamp.TryGetInt64(out var ms) && ms > 0,
            "_aws.Timestamp must be whole milliseconds since 1970");
        if (!metadata.TryGetProperty("CloudWatchMetrics", out var directives) || directives.ValueKind != JsonValueKind.Array || directives.GetArrayLength() == 0)
        {
            problems.Add("_aws.CloudWatchMetrics must be an array of metric directives");
            return problems;
        }

        foreach (var directive in directives.EnumerateArray())
        {
            if (directive.ValueKind != JsonValueKind.Object)
            {
                problems.Add("a metric directive must be an object");
                continue;
            }

            OnlyMembers(directive, "a metric directive", ["Namespace", "Dimensions", "Metrics"], problems);
            Check(directive.TryGetProperty("Namespace", out var ns) && IsName(ns), "Namespace must be a string of 1 to 1024 characters");
            if (directive.TryGetProperty("Dimensions", out var sets) && sets.ValueKind == JsonValueKind.Array && sets.GetArrayLength() > 0)
            {
                foreach (var set in sets.EnumerateArray())
                {
                    Check(set.ValueKind == JsonValueKind.Array && set.GetArrayLength() <= 30, "a dimension set is an array of at most 30 keys");
                    foreach (var key in set.ValueKind == JsonValueKind.Array ? set.EnumerateArray() : default)
                    {
                        Check(IsName(key) && root.TryGetProperty(key.GetString()!, out var value) && value.ValueKind == JsonValueKind.String,
                            $"dimension {key} must name a root member with a string value");
                    }
                }
            }
            else
            {
                problems.Add("Dimensions must be an array of dimension sets");
            }

            if (directive.TryGetProperty("Metrics", out var metrics) && metrics.ValueKind == JsonValueKind.Array && metrics.GetArrayLength() is > 0 and <= 100)
            {
                foreach (var metric in metrics.EnumerateArray())
                {
                    OnlyMembers(metric, "a metric definition", ["Name", "Unit", "StorageResolution"], problems);
                    Check(metric.TryGetProperty("Name", out var name) && IsName(name) && root.TryGetProperty(name.GetString()!, out var value) && IsMetricValue(value),
                        $"metric {metric} must name a root member holding a number or an array of at most 100 numbers");
                    Check(!metric.TryGetProperty("Unit", out var unit) || (unit.ValueKind == JsonValueKind.String && Units.Contains(unit.GetString()!)),
                        $"metric {metric} has a unit CloudWatch doesn't know");
                    Check(!metric.TryGetProperty("StorageResolution", out var resolution) || (resolution.TryGetInt32(out var seconds) && seconds is 1 or 60),
                        $"metric {metric}: StorageResolution is 1 or 60");
                }
            }
            else
            {
                problems.Add("Metrics must be an array of 1 to 100 metric definitions");
            }
        }

        return problems;
    }

    private static void OnlyMembers(JsonElement element, string what, string[] allowed, List<string> problems)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{what} must be an object");
            return;
        }

        problems.AddRange(element.EnumerateObject().Where(p => !allowed.Contains(p.Name)).Select(p => $"{what} may not have the member {p.Name}"));
    }

    private static bool IsName(JsonElement value) => value.ValueKind == JsonValueKind.String && value.GetString() is { Length: >= 1 and <= 1024 };

    private static bool IsMetricValue(JsonElement value) => value.ValueKind == JsonValueKind.Number
        || (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() <= 100 && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Number));
}
