using System.Text.Json;

namespace Site.Cdk.Tests.Synthesis;

/// <summary>The feature flags of the repository's cdk.json, so tests synthesize what `cdk synth` does.</summary>
internal static class CdkContext
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>cdk.json's context plus the given -c values; null values are left out, as if not passed.</summary>
    public static Dictionary<string, object> Load(IReadOnlyDictionary<string, object?> values)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot, "cdk.json")));
        var context = document.RootElement.GetProperty("context").EnumerateObject()
            .ToDictionary(p => p.Name, p => ToValue(p.Value));
        foreach (var (key, value) in values)
        {
            if (value is not null)
            {
                context[key] = value;
            }
        }
        return context;
    }

    private static object ToValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Array => value.EnumerateArray().Select(ToValue).ToArray(),
        _ => throw new NotSupportedException($"cdk.json context value of kind {value.ValueKind}"),
    };

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "cdk.json")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("cdk.json not found above the test binaries.");
    }
}
