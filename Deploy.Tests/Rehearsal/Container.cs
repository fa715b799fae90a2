using System.Diagnostics;
using System.Text;

namespace Site.Deploy.Tests.Rehearsal;

/// <summary>
/// One task's container: a copy of the published image's /app, started by scripts/app.sh the way the container
/// starts (the image's own environment, then the task definition's, nothing from this process; the image's
/// non-root user when run as root). Paths under /app in its settings point into its copy.
/// </summary>
public sealed class Container : IAsyncDisposable
{
    // Arguments: the container's root, its settings as NAME=VALUE, then -- and the command's arguments.
    private const string Run = """
        source scripts/app.sh
        work="$1"; shift; settings=()
        while [ $# -gt 0 ] && [ "$1" != -- ]; do settings+=("$1"); shift; done
        if [ $# -gt 0 ]; then shift; fi
        image_environment "$work" "${settings[@]}"
        run_app "$work" "$@"
        """;

    private readonly string root;
    private readonly string[] environment;
    private readonly Process process;
    private readonly StringBuilder output = new();

    private Container(string root, string[] environment, IReadOnlyList<string> command)
    {
        this.root = root;
        this.environment = environment;
        process = Process.Start(Bash.StartInfo(Run, [root, .. environment, "--", .. command]))!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Everything the app wrote, one line each: what the awslogs driver would ship.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (output)
            {
                return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            }
        }
    }

    public bool HasExited => process.HasExited;

    /// <param name="command">The task definition's command: arguments after the image's entry point (dotnet /app/Site.Web.dll).</param>
    public static async Task<Container> StartAsync(
        PublishedImage image, IReadOnlyDictionary<string, string> settings, IReadOnlyList<string> command, Func<string, Task>? prepare = null)
    {
        var root = Directory.CreateTempSubdirectory("site-rehearsal-task-").FullName;
        var copy = await Bash.RunAsync(
            """source scripts/app.sh; cp -a "$1" "$2/app"; chmod 755 "$2"; mkdir -p "$2/home"; if [ "$(id -u)" = 0 ]; then chown "$app_uid:$app_uid" "$2/home"; fi""",
            [image.AppFolder, root], TimeSpan.FromMinutes(2));
        Assert.True(copy.ExitCode == 0, copy.Output);
        if (prepare is not null)
        {
            await prepare(root);
        }

        return new Container(root, settings.Select(s => $"{s.Key}={InContainer(root, s.Value)}").ToArray(), command);
    }

    /// <summary>The host path of a path inside the container.</summary>
    public static string InContainer(string root, string value) =>
        value.StartsWith("/app/", StringComparison.Ordinal) ? Path.Combine(root, value[1..]) : value;

    /// <summary>Runs the task definition's health check command (<c>CMD dotnet /app/...dll args</c>) inside the container.</summary>
    public async Task<(int ExitCode, string Output)> HealthCheckAsync(IReadOnlyList<string> command)
    {
        Assert.True(command is ["CMD", "dotnet", _, ..], $"The health check command is not CMD dotnet <dll> ...: {string.Join(' ', command)}");
        var dll = InContainer(root, command[2]);
        Assert.True(File.Exists(dll), $"The health check runs {command[2]}, which the image does not have.");
        Assert.Equal(Path.Combine(root, "app", "Site.Web.dll"), dll);
        return await Bash.RunAsync(Run, [root, .. environment, "--", .. command.Skip(3)], TimeSpan.FromSeconds(30));
    }

    /// <summary>Waits for a container that ends by itself (an init container); its exit code, or null if it outlived the limit.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan limit)
    {
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Sends SIGTERM, as ECS does when it stops a task; the exit code, or null if it outlived the stop timeout.</summary>
    public async Task<int?> StopAsync(TimeSpan stopTimeout)
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        return await WaitForExitAsync(stopTimeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        Directory.Delete(root, recursive: true);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
