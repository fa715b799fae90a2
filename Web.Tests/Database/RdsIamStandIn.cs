using System.Diagnostics;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Database;

/// <summary>
/// RDS's AWSAuthenticationPlugin for MariaDB (rds-iam-standin.c beside this file), built once per test run with the
/// machine's C compiler: servers started with <see cref="ServerArguments"/> accept the users the app creates for
/// IAM authentication, and their sign-in with an auth token, as RDS does.
/// </summary>
public static class RdsIamStandIn
{
    public const string PluginFile = "aws_authentication_standin.so";

    private static readonly Lazy<Task<string>> Built = new(BuildAsync);

    /// <summary>The mariadbd arguments that load the plugin.</summary>
    public static async Task<string[]> ServerArgumentsAsync() =>
        [$"--plugin-dir={await Built.Value}", $"--plugin-load-add={PluginFile}"];

    private static async Task<string> BuildAsync()
    {
        var directory = Directory.CreateTempSubdirectory("site-tests-rds-iam-").FullName;
        var (exitCode, output) = await LocalMachine.RunAsync(
            new ProcessStartInfo(Environment.GetEnvironmentVariable("CC") ?? "cc",
                ["-shared", "-fPIC", "-O2", "-o", Path.Combine(directory, PluginFile), RepositoryFiles.PathOf("Web.Tests/Database/rds-iam-standin.c")]),
            TimeSpan.FromMinutes(2));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"Building the RDS IAM stand-in failed: {output}");
        }

        return directory;
    }
}
