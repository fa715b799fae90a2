using System.Diagnostics;
using System.Text.Json;
using System.Xml.Linq;
using YamlDotNet.RepresentationModel;
using static Site.Delivery.Tests.Workflow;

using Site.Web.Tests.Infrastructure;

namespace Site.Delivery.Tests;

/// <summary>What the build takes from outside (SDK, base images, packages, actions) is pinned, locked, audited and kept current.</summary>
public sealed class SupplyChainTests
{
    private readonly Dockerfile dockerfile = Dockerfile.Parse(RepositoryFiles.Read("Dockerfile"));

    private static IEnumerable<string> Projects => Directory.GetFiles(RepositoryFiles.Root, "*.csproj", SearchOption.AllDirectories)
        .Select(path => Path.GetRelativePath(RepositoryFiles.Root, path))
        .Where(path => !path.StartsWith("node_modules", StringComparison.Ordinal));

    [Fact]
    public void EveryProjectHasACommittedLockFileThatCiAndTheImageRestoreInLockedMode()
    {
        Assert.NotEmpty(Projects);
        Assert.All(Projects, project => Assert.True(RepositoryFiles.Exists(Path.Combine(Path.GetDirectoryName(project)!, "packages.lock.json")),
            $"{project} has no packages.lock.json: run dotnet restore Site.sln and commit it."));

        var properties = XDocument.Parse(RepositoryFiles.Read("Directory.Build.props")).Descendants().ToList();
        Assert.Contains(properties, p => p.Name == "RestorePackagesWithLockFile" && p.Value == "true");
        // GitHub Actions sets CI=true: every restore there, make build's included, refuses to change a lock file.
        Assert.Contains(properties, p => p.Name == "RestoreLockedMode" && p.Value == "true" && p.Attribute("Condition")?.Value == "'$(CI)' == 'true'");

        var restore = Assert.Single(dockerfile.Instructions, i => i.Keyword == "RUN" && i.Arguments.StartsWith("dotnet restore", StringComparison.Ordinal));
        Assert.Contains("--locked-mode", restore.Words);
        Assert.Contains(dockerfile.Instructions, i => i.Keyword == "COPY" && i.Operands.Contains("Web/packages.lock.json"));
    }

    [Theory]
    [InlineData("Web")]
    [InlineData("bench/Ceiling")]
    public void ThePublishedAppsLockFilesCoverBothImagePlatforms(string project)
    {
        using var lockFile = JsonDocument.Parse(RepositoryFiles.Read($"{project}/packages.lock.json"));
        var targets = lockFile.RootElement.GetProperty("dependencies").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Contains("net10.0/linux-x64", targets);
        Assert.Contains("net10.0/linux-arm64", targets);
    }

    [Fact]
    public void TheImageBuildsWithTheSdkGlobalJsonNamesAndRunsOnTheRuntimeThatSdkShips()
    {
        using var globalJson = JsonDocument.Parse(RepositoryFiles.Read("global.json"));
        var sdk = globalJson.RootElement.GetProperty("sdk");
        var version = sdk.GetProperty("version").GetString();
        // No roll-forward: a runner's preinstalled newer SDK would otherwise build with another bundled runtime.
        Assert.Equal("disable", sdk.GetProperty("rollForward").GetString());

        Assert.Equal(version, TagVersion("mcr.microsoft.com/dotnet/sdk:"));

        var (sdkInUse, bundledRuntime) = SdkInUse();
        Assert.Equal(version, sdkInUse);
        Assert.True(bundledRuntime == TagVersion("mcr.microsoft.com/dotnet/aspnet:"),
            $"SDK {version} ships runtime {bundledRuntime}; the final image is aspnet:{TagVersion("mcr.microsoft.com/dotnet/aspnet:")}. Move them together.");
    }

    [Fact]
    public void DependabotProposesUpdatesForTheActionsTheBaseImagesAndTheNuGetAndNpmPackages()
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(RepositoryFiles.Read(".github/dependabot.yml")))
        {
            stream.Load(reader);
        }
        var updates = ((YamlSequenceNode)Child((YamlMappingNode)stream.Documents[0].RootNode, "updates")!).Cast<YamlMappingNode>().ToList();

        Assert.Equal(["docker", "github-actions", "npm", "nuget"], updates.Select(u => Scalar(u, "package-ecosystem")).Order(StringComparer.Ordinal));
        Assert.All(updates, update => Assert.NotNull(Mapping(update, "schedule")));
    }

    [Fact]
    public void TheNuGetAuditGateRunsOnPullRequestsAndOnASchedule()
    {
        var audit = Assert.Single(Files.Select(Load), workflow => workflow.Jobs.Values.Any(job => Runs(job, "scripts/nuget-audit.sh")));
        var on = Assert.IsType<YamlMappingNode>(Child(audit.Root, "on"));

        Assert.NotNull(Child(on, "pull_request"));
        Assert.NotEmpty(Assert.IsType<YamlSequenceNode>(Child(on, "schedule")));
    }

    /// <summary>The version a FROM's tag starts with (10.0.12 of aspnet:10.0.12-noble-chiseled).</summary>
    private string TagVersion(string image)
    {
        var from = Assert.Single(dockerfile.Instructions, i => i.Keyword == "FROM" && i.Operands[0].StartsWith(image, StringComparison.Ordinal));
        return from.Operands[0][image.Length..].Split('-', '@')[0];
    }

    /// <summary>The SDK the repository's global.json selects on this machine, and the runtime it bundles.</summary>
    private static (string Sdk, string Runtime) SdkInUse()
    {
        var info = new ProcessStartInfo("dotnet", ["msbuild", "Web/Web.csproj", "-getProperty:NETCoreSdkVersion", "-getProperty:BundledNETCoreAppPackageVersion"])
        {
            WorkingDirectory = RepositoryFiles.Root,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"dotnet msbuild -getProperty failed:\n{output}");
        var properties = JsonDocument.Parse(output).RootElement.GetProperty("Properties");
        return (properties.GetProperty("NETCoreSdkVersion").GetString()!, properties.GetProperty("BundledNETCoreAppPackageVersion").GetString()!);
    }
}
