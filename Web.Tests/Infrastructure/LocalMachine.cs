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

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
