using YamlDotNet.RepresentationModel;

using Site.Web.Tests.Infrastructure;

namespace Site.Delivery.Tests;

/// <summary>A GitHub Actions workflow (or composite action) file, read as plain YAML.</summary>
public sealed class Workflow(string file, YamlMappingNode root)
{
    public const string Folder = ".github/workflows";

    public string File { get; } = file;

    public YamlMappingNode Root { get; } = root;

    public IReadOnlyDictionary<string, YamlMappingNode> Jobs =>
        Mapping(Root, "jobs")?.Children.ToDictionary(pair => ((YamlScalarNode)pair.Key).Value!, pair => (YamlMappingNode)pair.Value)
        ?? new Dictionary<string, YamlMappingNode>();

    public static IEnumerable<string> Files => Directory.GetFiles(RepositoryFiles.PathOf(Folder), "*.yml")
        .Select(path => $"{Folder}/{Path.GetFileName(path)}")
        .Order(StringComparer.Ordinal);

    public static Workflow Load(string relative)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(RepositoryFiles.Read(relative));
        stream.Load(reader);
        return new Workflow(relative, (YamlMappingNode)stream.Documents[0].RootNode);
    }

    public static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static YamlMappingNode? Mapping(YamlMappingNode node, string key) => Child(node, key) as YamlMappingNode;

    public static string? Scalar(YamlMappingNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    public static IReadOnlyList<YamlMappingNode> Steps(YamlMappingNode jobOrAction) =>
        [.. ((Child(jobOrAction, "steps") ?? (Mapping(jobOrAction, "runs") is { } runs ? Child(runs, "steps") : null)) as YamlSequenceNode ?? [])
            .Cast<YamlMappingNode>()];

    public static bool Uses(YamlMappingNode job, string action) => Steps(job).Any(step => IsAction(step, action));

    /// <summary>Whether a step runs the action (owner/name, any version).</summary>
    public static bool IsAction(YamlMappingNode step, string action) =>
        Scalar(step, "uses")?.StartsWith(action + "@", StringComparison.Ordinal) == true;

    /// <summary>Whether a step of the job runs a shell script containing <paramref name="command"/>.</summary>
    public static bool Runs(YamlMappingNode job, string command) =>
        Steps(job).Any(step => Scalar(step, "run")?.Contains(command, StringComparison.Ordinal) == true);

    public static IReadOnlyDictionary<string, string> Permissions(YamlMappingNode node) =>
        Mapping(node, "permissions")?.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value!)
        ?? new Dictionary<string, string>();
}
