using System.Text.RegularExpressions;
using Site.Web.Hosting;

using Site.Web.Tests.Infrastructure;

namespace Site.Delivery.Tests;

/// <summary>What the Dockerfile promises, checked on the file itself: there is no Docker engine to build it here.</summary>
public sealed partial class DockerfileTests
{
    private readonly Dockerfile dockerfile = Dockerfile.Parse(RepositoryFiles.Read("Dockerfile"));
    private readonly DockerIgnore dockerIgnore = DockerIgnore.Parse(RepositoryFiles.Read(".dockerignore"));

    private IEnumerable<DockerInstruction> Final => dockerfile.InStage(dockerfile.FinalStage);

    [Fact]
    public void EveryPathCopiedFromTheContextExistsAndIsNotIgnored()
    {
        var sources = dockerfile.Instructions
            .Where(i => i.Keyword is "COPY" or "ADD" && !i.Flags.ContainsKey("from"))
            .SelectMany(i => i.Operands.SkipLast(1))
            .Select(source => source.TrimEnd('/'))
            .ToList();

        Assert.NotEmpty(sources);
        Assert.All(sources, source => Assert.True(RepositoryFiles.Exists(source), $"{source} is copied but does not exist."));
        Assert.All(sources, source => Assert.False(dockerIgnore.Excludes(source), $"{source} is copied but .dockerignore leaves it out."));
    }

    [Fact]
    public void TheImagePublishesTheWebProjectOnly()
    {
        var publish = Assert.Single(dockerfile.Instructions, i => i.Keyword == "RUN" && i.Arguments.StartsWith("dotnet publish", StringComparison.Ordinal));

        Assert.Equal("Web/Web.csproj", publish.Words[2]);
        Assert.DoesNotContain(dockerfile.Instructions, i => Regex.IsMatch(i.Arguments, @"\b(Web\.Tests|Cdk(\.Tests)?)\b"));
    }

    [Fact]
    public void TheFinalStageIsTheAspNetRuntimeRunningAsANonRootUserOnPort8080()
    {
        var from = Assert.Single(Final, i => i.Keyword == "FROM");
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:", from.Operands[0], StringComparison.Ordinal);
        Assert.DoesNotContain("sdk", from.Operands[0], StringComparison.Ordinal);

        var user = Assert.Single(Final, i => i.Keyword == "USER").Arguments;
        Assert.DoesNotMatch(@"^(root|0)(:.*)?$", user);
        Assert.Contains(Final, i => i.Keyword == "EXPOSE" && i.Words.Contains("8080"));

        var environment = EnvironmentOf(Final);
        Assert.Equal("8080", environment["ASPNETCORE_HTTP_PORTS"]);
        Assert.Equal("$APP_VERSION", environment["APP_VERSION"]);
        Assert.Contains(Final, i => i.Keyword == "ARG" && i.Arguments.Split('=')[0] == "APP_VERSION");
    }

    /// <summary>The RDS CA bundle, and the proxy's roots beside it (where the task definition points the web container at a proxy).</summary>
    [Theory, MemberData(nameof(RdsCaBundleTests.Bundles), MemberType = typeof(RdsCaBundleTests))]
    public void TheRdsCaBundleComesFromTheRepositoryVerifiedAgainstItsChecksumAndIsWhereTheAppLooks(string bundle, string checksum)
    {
        // Nothing is downloaded at build time: every build and deploy would depend on the download being reachable and unchanged.
        Assert.DoesNotContain(dockerfile.Instructions, i => i.Keyword is "ADD" or "COPY" && i.Operands.Any(o => o.Contains("://", StringComparison.Ordinal)));

        var copy = Assert.Single(dockerfile.Instructions, i => i.Keyword == "COPY" && !i.Flags.ContainsKey("from") && i.Operands.Contains(bundle));
        Assert.Contains(checksum, copy.Operands);
        var stage = dockerfile.InStage(copy.Stage).ToList();
        var check = stage.FindIndex(i => i.Keyword == "RUN" && i.Arguments == $"sha256sum --check --strict {checksum}");
        Assert.True(check > stage.IndexOf(copy), "The stage that copies the bundle checks it against its checksum after copying it.");

        // The final stage takes the checked file from that stage, read-only, to the folder the app is configured with.
        var stageName = stage[0].Operands[^1];
        var stageFolder = Assert.Single(stage, i => i.Keyword == "WORKDIR").Arguments;
        var shipped = Assert.Single(Final, i => i.Keyword == "COPY" && i.Operands[0].EndsWith(bundle, StringComparison.Ordinal));
        Assert.Equal(stageName, shipped.Flags["from"]);
        Assert.Equal($"{stageFolder}/{bundle}", shipped.Operands[0]);
        Assert.Equal("0444", shipped.Flags["chmod"]);

        var workdir = Assert.Single(Final, i => i.Keyword == "WORKDIR").Arguments;
        var configured = EnvironmentOf(Final)["Database__SslCa"];
        var path = Path.Combine(workdir, shipped.Operands[^1], Path.GetFileName(shipped.Operands[0]));
        Assert.Equal(bundle == RdsCaBundleTests.Bundle ? configured : Path.Combine(Path.GetDirectoryName(configured)!, Path.GetFileName(bundle)), path);
    }

    [Fact]
    public void TheImageHealthCheckRunsTheAppsOwnProbe()
    {
        var healthCheck = Assert.Single(Final, i => i.Keyword == "HEALTHCHECK").Arguments;
        var entryPoint = Assert.Single(Final, i => i.Keyword == "ENTRYPOINT").Arguments;

        Assert.EndsWith($"CMD [\"dotnet\", \"/app/Site.Web.dll\", \"{AppCommands.Probe}\"]", healthCheck, StringComparison.Ordinal);
        Assert.Equal("[\"dotnet\", \"/app/Site.Web.dll\"]", entryPoint);
    }

    [Fact]
    public void EveryBaseImageIsPinnedToAnExplicitVersionAndADigest()
    {
        var images = dockerfile.Instructions
            .Where(i => i.Keyword == "FROM")
            .Select(i => i.Operands[0])
            .Where(image => !dockerfile.StageNames.Contains(image))
            .Append(dockerfile.Syntax ?? "")
            .Where(image => image.Length > 0)
            .ToList();

        Assert.NotEmpty(images);
        Assert.All(images, image => Assert.Matches(PinnedImage(), image));
    }

    [Theory]
    [InlineData("Web.Tests/Health/HealthTests.cs")]
    [InlineData("Cdk/Program.cs")]
    [InlineData("Cdk.Tests/Cdk.Tests.csproj")]
    [InlineData("Delivery.Tests/Delivery.Tests.csproj")]
    [InlineData("Web/bin/Release/net10.0/Site.Web.dll")]
    [InlineData("Web/obj/project.assets.json")]
    [InlineData(".git/HEAD")]
    [InlineData("node_modules/aws-cdk/package.json")]
    [InlineData("cdk.out/manifest.json")]
    [InlineData(".local/mariadb/ibdata1")]
    public void TheBuildContextLeavesOut(string path)
    {
        Assert.True(dockerIgnore.Excludes(path), $"{path} would be sent to the image build.");
    }

    [Theory]
    [InlineData("Web/Program.cs")]
    [InlineData("Web/media/catalog.json")]
    [InlineData("Directory.Packages.props")]
    [InlineData(RdsCaBundleTests.Bundle)]
    [InlineData(RdsCaBundleTests.Checksum)]
    [InlineData(RdsCaBundleTests.ProxyBundle)]
    public void TheBuildContextKeeps(string path)
    {
        Assert.False(dockerIgnore.Excludes(path), $"{path} would be missing from the image build.");
    }

    [Fact]
    public void TheSmokeTestAndBenchmarkCheckTheCaBundleRestoreAndPublishExactlyAsTheImageDoes()
    {
        // scripts/app.sh publishes and starts the app for both make smoke and make bench.
        var inImage = dockerfile.Instructions.Where(i => i.Keyword == "RUN").Select(i => i.Arguments);
        var inSmoke = RepositoryFiles.Read("scripts/app.sh").Split('\n').Select(line => line.Trim());

        foreach (var command in (string[])["sha256sum", "dotnet restore", "dotnet publish"])
        {
            var image = inImage.Where(line => line.StartsWith(command, StringComparison.Ordinal)).Select(Normalize).ToList();
            var smoke = inSmoke.Where(line => line.StartsWith(command, StringComparison.Ordinal)).Select(Normalize).ToList();
            Assert.NotEmpty(image);
            Assert.Equal(image, smoke);
        }

        // The architecture and the output folder are the only differences allowed.
        static string Normalize(string command) => OutputFolder().Replace(Architecture().Replace(command, "-a <arch>"), "-o <out>");
    }

    private static Dictionary<string, string> EnvironmentOf(IEnumerable<DockerInstruction> stage) => stage
        .Where(i => i.Keyword == "ENV")
        .SelectMany(i => i.Words)
        .Select(word => word.Split('=', 2))
        .ToDictionary(pair => pair[0], pair => pair[1]);

    // A tag that starts with a full version number (10.0.12-noble-chiseled, 8.4, 1.7) and the digest it was read at:
    // the tag says which release, the digest makes a rebuild of an old commit take the same bytes.
    [GeneratedRegex(@"^[a-z0-9./-]+:(\d+\.\d+(\.\d+)?)[a-z0-9.-]*@sha256:[0-9a-f]{64}$")]
    private static partial Regex PinnedImage();

    [GeneratedRegex(@"-a ""?\$(TARGETARCH|app_arch)""?")]
    private static partial Regex Architecture();

    [GeneratedRegex(@"-o ""?[^ ""]+""?")]
    private static partial Regex OutputFolder();
}
