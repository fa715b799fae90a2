using Amazon.CDK.Assertions;

namespace Site.Cdk.Tests.Synthesis;

/// <summary>Patterns for <see cref="Template"/>'s assertions, written as C# pairs instead of nested dictionaries.</summary>
internal static class Like
{
    /// <summary>An object with at least these keys and values (nested objects are matched the same way).</summary>
    public static Matcher Object(params (string Key, object Value)[] entries) => Match.ObjectLike(Dictionary(entries));

    /// <summary>A plain JSON object, for a value that is itself matched as part of a pattern.</summary>
    public static Dictionary<string, object> Dictionary(params (string Key, object Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value);

    /// <summary>An array holding these among its items, in this order.</summary>
    public static Matcher ArrayWith(params object[] items) => Match.ArrayWith(items);

    /// <summary>A reference to a resource of the same template.</summary>
    public static Dictionary<string, object> Ref(string logicalId) => Dictionary(("Ref", logicalId));
}
