using System.Diagnostics;
using System.Text.RegularExpressions;
using Site.Web.Admin;

namespace Site.Web.Tests.Admin;

/// <summary>`hash-password` run as the owner runs it: the app's own entry point, password on stdin.</summary>
public sealed partial class HashPasswordCommandTests
{
    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string stdin)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(typeof(AdminPassword).Assembly.Location);
        info.ArgumentList.Add("hash-password");
        using var process = Process.Start(info)!;
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task ThePrintedHashVerifiesThePasswordAndNothingElse()
    {
        const string password = "a long owner password";

        var (exitCode, output, error) = await RunAsync(password + "\n");

        Assert.True(exitCode == 0, error);
        var hash = output.TrimEnd('\n');
        Assert.Matches(HashFormat(), hash);
        Assert.True(AdminPassword.Verify(password, hash));
        Assert.False(AdminPassword.Verify(password + " ", hash));
        Assert.False(AdminPassword.Verify("a long owner passworD", hash));
    }

    [Fact]
    public async Task EachHashHasItsOwnSalt()
    {
        var first = (await RunAsync("the same password twice")).Output;
        var second = (await RunAsync("the same password twice")).Output;

        Assert.NotEqual(first.Split('$')[2], second.Split('$')[2]);
    }

    [Fact]
    public async Task AShortPasswordIsRefusedAndNothingIsPrinted()
    {
        var (exitCode, output, error) = await RunAsync("short\n");

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Contains("at least 12 characters", error, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^pbkdf2-sha256\$600000\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$")]
    private static partial Regex HashFormat();
}
