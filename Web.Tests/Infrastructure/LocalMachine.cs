using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Site.Web.Tests.Infrastructure;

/// <summary>What the tests need from the machine they run on: its programs and free loopback ports.</summary>
public static class LocalMachine
{
    /// <summary>A program on PATH (Homebrew's on a Mac), else at the path Debian's package installs it to, else null.</summary>
    public static string? FindProgram(string name, string fallback)
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
        return onPath ?? (File.Exists(fallback) ? fallback : null);
    }

    /// <summary>
    /// Runs a program to its end: its exit code and what it wrote (standard output, then standard error, both read
    /// while it runs so that neither fills up and stalls it). One that outlives the limit is killed, and that fails.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(ProcessStartInfo info, TimeSpan limit)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{info.FileName} {string.Join(' ', info.ArgumentList)} did not finish within {limit}.");
        }

        return (process.ExitCode, await output + await error);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
