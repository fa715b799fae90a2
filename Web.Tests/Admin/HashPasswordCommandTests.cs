using System.Text.RegularExpressions;
using Site.Web.Admin;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Admin;

/// <summary>`hash-password` run as the owner runs it: the app's own entry point, password on stdin.</summary>
public sealed partial class HashPasswordCommandTests
{
    private static Task<SiteProcess.Result> RunAsync(string stdin) => SiteProcess.RunAsync(["hash-password"], stdin: stdin);

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
