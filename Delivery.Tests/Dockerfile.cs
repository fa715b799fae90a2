using System.Text.RegularExpressions;

namespace Site.Delivery.Tests;

/// <summary>One instruction of a Dockerfile, its continuation lines joined; Stage counts the FROMs before it (0 = first stage).</summary>
public sealed record DockerInstruction(string Keyword, string Arguments, int Stage)
{
    public IReadOnlyList<string> Words => Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The --name=value options of COPY, ADD and FROM.</summary>
    public IReadOnlyDictionary<string, string> Flags => Words.TakeWhile(w => w.StartsWith("--", StringComparison.Ordinal))
        .Select(w => w[2..].Split('=', 2))
        .ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : "");

    /// <summary>The words after the options: for COPY and ADD the sources and, last, the destination.</summary>
    public IReadOnlyList<string> Operands => [.. Words.SkipWhile(w => w.StartsWith("--", StringComparison.Ordinal))];
}

/// <summary>Just enough of the Dockerfile syntax to check what the file promises.</summary>
public sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<DockerInstruction> instructions, string? syntax)
    {
        Instructions = instructions;
        Syntax = syntax;
    }

    public IReadOnlyList<DockerInstruction> Instructions { get; }

    /// <summary>The frontend image named by the leading <c># syntax=</c> directive, if any.</summary>
    public string? Syntax { get; }

    public int FinalStage => Instructions.Max(i => i.Stage);

    public IEnumerable<DockerInstruction> InStage(int stage) => Instructions.Where(i => i.Stage == stage);

    /// <summary>The FROM instructions' stage names (AS x), which later FROMs and COPY --from may refer to.</summary>
    public IReadOnlySet<string> StageNames => Instructions
        .Where(i => i.Keyword == "FROM" && i.Operands.Count == 3 && i.Operands[1].Equals("AS", StringComparison.OrdinalIgnoreCase))
        .Select(i => i.Operands[2])
        .ToHashSet();

    public static Dockerfile Parse(string text)
    {
        var syntax = SyntaxDirective().Match(text) is { Success: true } match ? match.Groups[1].Value : null;
        var instructions = new List<DockerInstruction>();
        var stage = -1;
        var pending = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            var whole = pending + line;
            pending = "";
            var keyword = whole.Split(' ', 2)[0].ToUpperInvariant();
            if (keyword == "FROM")
            {
                stage++;
            }

            instructions.Add(new DockerInstruction(keyword, whole.Length > keyword.Length ? whole[(keyword.Length + 1)..].Trim() : "", stage));
        }

        return new Dockerfile(instructions, syntax);
    }

    [GeneratedRegex(@"\A#\s*syntax=(\S+)")]
    private static partial Regex SyntaxDirective();
}

/// <summary>The patterns of a .dockerignore file, matched the way the Docker builder matches them.</summary>
public sealed class DockerIgnore(IEnumerable<string> patterns)
{
    private readonly IReadOnlyList<(Regex Pattern, bool Exception)> rules = [.. patterns
        .Select(p => p.Trim())
        .Where(p => p.Length > 0 && !p.StartsWith('#'))
        .Select(p => p.StartsWith('!') ? (ToRegex(p[1..]), true) : (ToRegex(p), false))];

    public static DockerIgnore Parse(string text) => new(text.Split('\n'));

    /// <summary>Whether a path (relative to the context, '/' separated) is left out of the build context.</summary>
    public bool Excludes(string path)
    {
        // A path is excluded when it or a folder above it matches; the last matching rule wins.
        var prefixes = path.Split('/').Select((_, i) => string.Join('/', path.Split('/').Take(i + 1))).ToList();
        var excluded = false;
        foreach (var (pattern, exception) in rules)
        {
            if (prefixes.Any(pattern.IsMatch))
            {
                excluded = !exception;
            }
        }

        return excluded;
    }

    private static Regex ToRegex(string pattern)
    {
        var body = Regex.Escape(pattern.Trim('/'))
            .Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal)
            .Replace(@"\*\*", ".*", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal)
            .Replace(@"\?", "[^/]", StringComparison.Ordinal);
        return new Regex($"^{body}$", RegexOptions.CultureInvariant);
    }
}
