using System.Diagnostics;
using Site.Web.Tests.Infrastructure;

namespace Site.Deploy.Tests.Rehearsal;

/// <summary>
/// The app published exactly as the Dockerfile publishes it, once for all rehearsals, by the same script
/// `make smoke` uses (scripts/app.sh). Each task started from it gets a copy of its own, as each container gets
/// its own file system.
/// </summary>
public sealed class PublishedImage : IAsyncLifetime
{
    private readonly string work = Directory.CreateTempSubdirectory("site-rehearsal-image-").FullName;

    /// <summary>The image's /app.</summary>
    public string AppFolder => Path.Combine(work, "app");

    public async Task InitializeAsync()
    {
        var result = await Bash.RunAsync("source scripts/app.sh && publish_app \"$1\"", [work], TimeSpan.FromMinutes(10));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"Publishing as the Dockerfile does failed:\n{await File.ReadAllTextAsync(Path.Combine(work, "publish.log"))}\n{result.Output}");
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(work, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>The repository's shell scripts, run from its root.</summary>
public static class Bash
{
    public static ProcessStartInfo StartInfo(string script, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("bash")
        {
            WorkingDirectory = RepositoryFiles.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-euo", "pipefail", "-c", script, "bash", .. arguments])
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    public static Task<(int ExitCode, string Output)> RunAsync(string script, IEnumerable<string> arguments, TimeSpan timeout) =>
        LocalMachine.RunAsync(StartInfo(script, arguments), timeout);
}
