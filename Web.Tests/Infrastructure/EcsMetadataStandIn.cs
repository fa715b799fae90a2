using System.Net;
using System.Text.Json;

namespace Site.Web.Tests.Infrastructure;

/// <summary>
/// The task metadata endpoint ECS gives every container (ECS_CONTAINER_METADATA_URI_V4), as a local stand-in serving
/// the documented response shape. A plain listener rather than a second ASP.NET host: hosts built in a test process
/// are watched by WebApplicationFactory, and an extra one there can be mistaken for the site.
/// </summary>
public sealed class EcsMetadataStandIn : IDisposable
{
    public const string TaskId = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    public const string TaskArn = $"arn:aws:ecs:us-east-1:123456789012:task/site-dev/{TaskId}";

    private readonly HttpListener listener = new();

    private EcsMetadataStandIn(int port)
    {
        Uri = $"http://127.0.0.1:{port}/v4/abc";
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        _ = ServeAsync();
    }

    /// <summary>The value of ECS_CONTAINER_METADATA_URI_V4.</summary>
    public string Uri { get; }

    public static EcsMetadataStandIn Start() => new(LocalMachine.FreePort());

    public void Dispose() => listener.Close();

    private async Task ServeAsync()
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { Cluster = "site-dev", TaskARN = TaskArn, Family = "site-dev-web" });
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            context.Response.StatusCode = context.Request.Url?.AbsolutePath == "/v4/abc/task" ? 200 : 404;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }
}
