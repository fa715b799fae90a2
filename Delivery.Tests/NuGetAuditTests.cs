using System.Diagnostics;

using Site.Web.Tests.Infrastructure;

namespace Site.Delivery.Tests;

/// <summary>
/// A new advisory must warn in every restore and build but fail only the audit gate (scripts/nuget-audit.sh). A project
/// under the repository's Directory.Build.props restores from the packages nuget.org serves and reads its advisories from
/// a stand-in audit source on loopback that publishes one against Dapper, a package the site uses.
/// </summary>
public sealed class NuGetAuditTests : IDisposable
{
    private const string Package = "Dapper";

    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    private static readonly string Gate = RepositoryFiles.PathOf("scripts/nuget-audit.sh");

    private readonly string work = Directory.CreateTempSubdirectory("nuget-audit-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public async Task ACriticalAdvisoryWarnsInTheBuildUnderWarnAsErrorAndFailsTheGateNamingThePackage()
    {
        using var source = AdvisorySource.Start(severity: 3);
        var project = WriteProject(source);

        var build = await RunAsync("dotnet", "build", project, "-warnaserror");
        Assert.True(build.ExitCode == 0, $"The build failed on an advisory:\n{build.Output}");
        Assert.Contains("warning NU1904", build.Output, StringComparison.Ordinal);

        var gate = await RunAsync(Gate, project);
        Assert.True(gate.ExitCode == 1, $"The gate exited {gate.ExitCode} on a critical advisory:\n{gate.Output}");
        Assert.Contains($"| Critical | {Package} |", gate.Output, StringComparison.Ordinal);
        Assert.Contains(AdvisorySource.Advisory, gate.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AModerateAdvisoryIsListedByTheGateWithoutFailingIt()
    {
        using var source = AdvisorySource.Start(severity: 1);
        var project = WriteProject(source);

        var gate = await RunAsync(Gate, project);
        Assert.True(gate.ExitCode == 0, $"The gate exited {gate.ExitCode} on a moderate advisory:\n{gate.Output}");
        Assert.Contains($"| Moderate | {Package} |", gate.Output, StringComparison.Ordinal);
    }

    /// <summary>A project beside copies of the repository's build files, with the stand-in as its only audit source.</summary>
    private string WriteProject(AdvisorySource source)
    {
        foreach (var file in (string[])["global.json", "Directory.Build.props", "Directory.Packages.props"])
        {
            File.Copy(RepositoryFiles.PathOf(file), Path.Combine(work, file));
        }

        File.WriteAllText(Path.Combine(work, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <auditSources>
                <clear />
                <add key="stand-in" value="{source.Index}" allowInsecureConnections="true" />
              </auditSources>
            </configuration>
            """);
        var project = Path.Combine(work, "Probe", "Probe.csproj");
        Directory.CreateDirectory(Path.GetDirectoryName(project)!);
        // No committed lock file for this project: locked mode (on wherever CI=true) would refuse to write one.
        File.WriteAllText(project, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <RestoreLockedMode>false</RestoreLockedMode>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{Package}" />
              </ItemGroup>
            </Project>
            """);
        return project;
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string command, params string[] arguments)
    {
        var info = new ProcessStartInfo(command, arguments) { WorkingDirectory = RepositoryFiles.Root };
        // Advisories fetched in another run (another port, another severity) must not be served from NuGet's HTTP cache.
        info.Environment["NUGET_HTTP_CACHE_PATH"] = Path.Combine(work, "http-cache");
        info.Environment.Remove("GITHUB_STEP_SUMMARY");
        return await LocalMachine.RunAsync(info, Deadline);
    }

    /// <summary>
    /// A NuGet V3 service index with a VulnerabilityInfo resource: one page of advisories, against every version of
    /// <see cref="Package"/>. Severity as NuGet numbers it: 0 low, 1 moderate, 2 high, 3 critical.
    /// </summary>
    private sealed class AdvisorySource : IDisposable
    {
        public const string Advisory = "https://advisories.example/site-test-advisory";

        private readonly JsonDocumentServer server;

        private AdvisorySource(int severity)
        {
            server = new JsonDocumentServer(root => new Dictionary<string, string>
            {
                ["/index.json"] = $$"""{"version": "3.0.0", "resources": [{"@id": "{{root}}/vulnerabilities/index.json", "@type": "VulnerabilityInfo/6.7.0"}]}""",
                ["/vulnerabilities/index.json"] = $$"""[{"@name": "base", "@id": "{{root}}/vulnerabilities/base.json", "@updated": "2026-01-01T00:00:00Z"}]""",
                ["/vulnerabilities/base.json"] = $$"""{"{{Package.ToLowerInvariant()}}": [{"severity": {{severity}}, "url": "{{Advisory}}", "versions": "[0.0.0, )"}]}""",
            });
        }

        public string Index => $"{server.Root}/index.json";

        public static AdvisorySource Start(int severity) => new(severity);

        public void Dispose() => server.Dispose();
    }
}
