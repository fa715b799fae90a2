using System.Net;

namespace Site.Web.Hosting;

/// <summary>
/// <c>dotnet Site.Web.dll probe [url]</c>: asks a running instance whether it is alive. The runtime image has
/// no shell and no curl, so the container health check runs the app itself in this mode.
/// Exit code 0 when the liveness endpoint answers 200 within two seconds, 1 otherwise.
/// </summary>
public static class HealthProbe
{
    public const string Command = AppCommands.Probe;
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public static bool IsRequested(string[] args) => args is [Command, ..];

    public static async Task<int> RunAsync(string[] args)
    {
        var url = args is [_, var given, ..] ? new Uri(given) : DefaultUrl();
        using var client = new HttpClient { Timeout = Timeout };
        try
        {
            using var response = await client.GetAsync(url);
            await Console.Out.WriteLineAsync($"{url} answered {(int)response.StatusCode}");
            return response.StatusCode == HttpStatusCode.OK ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"{url} did not answer within {Timeout.TotalSeconds:0} s: {e.Message}");
            return 1;
        }
    }

    // The port the server itself listens on, read from the same variable Kestrel reads.
    private static Uri DefaultUrl()
    {
        var ports = Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS");
        var port = string.IsNullOrWhiteSpace(ports) ? "8080" : ports.Split([';', ','], StringSplitOptions.TrimEntries)[0];
        return new Uri($"http://127.0.0.1:{port}/health/live");
    }
}
