using System.Text.Json;

namespace Site.Cdk.Tests.Synthesis;

internal static class Json
{
    public static JsonElement At(this JsonElement element, params object[] path)
    {
        foreach (var step in path)
        {
            element = step switch
            {
                string name => element.GetProperty(name),
                int index => element[index],
                _ => throw new ArgumentException($"Path step {step} is neither a name nor an index."),
            };
        }
        return element;
    }

    public static string Str(this JsonElement element, params object[] path) => element.At(path).GetString()!;

    public static int Int(this JsonElement element, params object[] path)
    {
        var value = element.At(path);
        return value.ValueKind == JsonValueKind.String ? int.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : value.GetInt32();
    }

    public static bool Has(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out _);

    public static IEnumerable<JsonElement> Items(this JsonElement element, params object[] path) =>
        element.At(path).EnumerateArray();

    /// <summary>
    /// The logical id (same stack) or export name (other stack) a value points at, for checking wiring.
    /// </summary>
    public static string Target(this JsonElement value) => value switch
    {
        _ when value.Has("Ref") => value.Str("Ref"),
        _ when value.Has("Fn::GetAtt") => value.Str("Fn::GetAtt", 0),
        _ when value.Has("Fn::ImportValue") => value.Str("Fn::ImportValue"),
        _ => throw new ArgumentException($"Not a reference: {value}"),
    };

    /// <summary>A single string, or the strings of an array: IAM fields can be either.</summary>
    public static IReadOnlyList<string> Strings(this JsonElement value) => value.ValueKind == JsonValueKind.Array
        ? value.EnumerateArray().Select(v => v.ToString()).ToList()
        : [value.ToString()];

    /// <summary>Every JSON object anywhere below (and including) an element.</summary>
    public static IEnumerable<JsonElement> Descendants(this JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            yield return element;
            foreach (var child in element.EnumerateObject().SelectMany(p => p.Value.Descendants()))
            {
                yield return child;
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var child in element.EnumerateArray().SelectMany(Descendants))
            {
                yield return child;
            }
        }
    }
}
