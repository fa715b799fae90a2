using System.Diagnostics;
using System.Runtime.Versioning;

namespace Site.Web.Tests.Infrastructure;

/// <summary>
/// A folder with a stand-in `aws` program (a bash script the test writes, answering only the calls the script under
/// test makes) and the files it reads, put ahead of any real AWS CLI on PATH: the deploy's scripts run here, where
/// there is no AWS.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class AwsCliStandIn : IDisposable
{
    public AwsCliStandIn(string name, string script)
    {
        Folder = Directory.CreateTempSubdirectory($"{name}-").FullName;
        var aws = PathOf("aws");
        File.WriteAllText(aws, script.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(aws, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Folder { get; }

    public string PathOf(string name) => Path.Combine(Folder, name);

    public void Write(string name, string text) => File.WriteAllText(PathOf(name), text);

    /// <summary>The program to run with the stand-in first on its PATH.</summary>
    public ProcessStartInfo Start(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program, arguments);
        info.Environment["PATH"] = $"{Folder}:{Environment.GetEnvironmentVariable("PATH")}";
        return info;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
