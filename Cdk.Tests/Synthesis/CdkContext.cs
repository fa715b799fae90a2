using System.Text.Json;

namespace Site.Cdk.Tests.Synthesis;

/// <summary>The feature flags of the repository's cdk.json, so tests synthesize what `cdk synth` does.</summary>
internal static class CdkContext
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static Dictionary<string, object> Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot, "cdk.json")));
        return document.RootElement.GetProperty("context").EnumerateObject()
            .ToDictionary(p => p.Name, p => ToValue(p.Value));
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
