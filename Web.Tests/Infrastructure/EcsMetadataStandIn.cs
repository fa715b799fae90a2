using System.Text.Json;

namespace Site.Web.Tests.Infrastructure;

/// <summary>
/// The task metadata endpoint ECS gives every container (ECS_CONTAINER_METADATA_URI_V4), as a local stand-in serving
/// the documented response shape.
/// </summary>
public sealed class EcsMetadataStandIn : IDisposable
{
    public const string TaskId = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    public const string TaskArn = $"arn:aws:ecs:us-east-1:123456789012:task/site-dev/{TaskId}";

    private readonly JsonDocumentServer server = new(_ => new Dictionary<string, string>
    {
        ["/v4/abc/task"] = JsonSerializer.Serialize(new { Cluster = "site-dev", TaskARN = TaskArn, Family = "site-dev-web" }),
    });

    private EcsMetadataStandIn()
    {
    }

    /// <summary>The value of ECS_CONTAINER_METADATA_URI_V4.</summary>
    public string Uri => $"{server.Root}/v4/abc";

    public static EcsMetadataStandIn Start() => new();

    public void Dispose() => server.Dispose();
}
