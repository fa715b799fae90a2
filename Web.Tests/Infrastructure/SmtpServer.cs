using System.Diagnostics;
using System.Globalization;
using MimeKit;

namespace Site.Web.Tests.Infrastructure;

/// <summary>
/// A real SMTP server on a loopback port of its own: aiosmtpd (Debian's python3-aiosmtpd) with a handler that keeps
/// every message it accepts as a file (Web.Tests/Notifications/smtp-server.py). The port is chosen when it is made
/// and kept across <see cref="StopAsync"/> and <see cref="StartAsync"/>, so a test can take it away and bring it back.
/// </summary>
public sealed class SmtpServer : IAsyncDisposable
{
    private static readonly Lazy<string> Python = new(FindPython);
    private readonly string folder = Directory.CreateTempSubdirectory("site-tests-smtp-").FullName;
    private readonly string[] credentials;
    private Process? process;

    /// <summary>With a username and password the server refuses mail from a client that has not signed in with them.</summary>
    public SmtpServer(string? username = null, string? password = null) =>
        credentials = username is null || password is null ? [] : [username, password];

    public int Port { get; } = LocalMachine.FreePort();

    public async Task StartAsync()
    {
        var info = new ProcessStartInfo(Python.Value) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[RepositoryFiles.PathOf("Web.Tests/Notifications/smtp-server.py"), Port.ToString(CultureInfo.InvariantCulture), folder, .. credentials])
        {
            info.ArgumentList.Add(argument);
        }

        process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var line = await process.StandardOutput.ReadLineAsync(deadline.Token);
        if (line != "ready")
        {
            throw new InvalidOperationException($"The SMTP server did not start: {await errors}");
        }
    }

    public async Task StopAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process?.Dispose();
        process = null;
    }

    /// <summary>Every message received so far, whole.</summary>
    public IReadOnlyList<MimeMessage> Received =>
        [.. Directory.EnumerateFiles(folder, "*.eml").Select(file => MimeMessage.Load(file))];

    /// <summary>The messages whose text contains <paramref name="text"/>, once there is at least one.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var found = Containing(text);
            if (found.Count > 0)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No mail containing '{text}' arrived; {Received.Count} other(s) did.");
            }

            await Task.Delay(50);
        }
    }

    public IReadOnlyList<MimeMessage> Containing(string text) =>
        [.. Received.Where(m => m.TextBody?.Contains(text, StringComparison.Ordinal) == true)];

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>A Python that has aiosmtpd: the one on PATH (pip's, on a Mac) or Debian's, where the package puts it.</summary>
    private static string FindPython()
    {
        foreach (var python in new[] { LocalMachine.FindProgram("python3", "/usr/bin/python3"), "/usr/bin/python3" }.OfType<string>().Distinct())
        {
            var info = new ProcessStartInfo(python) { ArgumentList = { "-c", "import aiosmtpd" } };
            if (File.Exists(python) && LocalMachine.RunAsync(info, TimeSpan.FromSeconds(60)).GetAwaiter().GetResult().ExitCode == 0)
            {
                return python;
            }
        }

        throw new InvalidOperationException(
            "No Python with aiosmtpd for the SMTP server: run scripts/install-deps.sh mail (Debian's python3-aiosmtpd; on macOS, python3 -m pip install aiosmtpd).");
    }
}
