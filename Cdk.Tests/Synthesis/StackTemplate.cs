using System.Text.Json;
using Amazon.CDK.Assertions;

namespace Site.Cdk.Tests.Synthesis;

/// <summary>
/// One synthesized template: as CDK assertions for what a resource must have, and as plain JSON for following a
/// reference from one resource to another and for what the deploy rehearsal resolves.
/// </summary>
public sealed class StackTemplate
{
    private readonly Lazy<Template> _template;

    public StackTemplate(string name, string templateJson, string assetManifestPath)
    {
        Name = name;
        // Loaded into the jsii runtime on first use only: the deploy rehearsal reads the JSON alone.
        _template = new(() => Template.FromString(templateJson));
        Json = JsonDocument.Parse(templateJson).RootElement;
        AssetManifestPath = assetManifestPath;
    }

    public string Name { get; }

    public Template Template => _template.Value;

    public JsonElement Json { get; }

    public string AssetManifestPath { get; }

    public IEnumerable<(string Id, JsonElement Resource)> AllResources =>
        Json.GetProperty("Resources").EnumerateObject().Select(p => (p.Name, p.Value));

    public IReadOnlyList<(string Id, JsonElement Properties)> Resources(string type) =>
        AllResources.Where(r => r.Resource.GetProperty("Type").GetString() == type)
            .Select(r => (r.Id, r.Resource.TryGetProperty("Properties", out var p) ? p : default))
            .ToList();

    /// <summary>Public subnets map public IPs on launch; the private ones do not.</summary>
    public IReadOnlyList<(string Id, JsonElement Properties)> Subnets(bool isPublic) =>
        Resources("AWS::EC2::Subnet").Where(s => s.Properties.GetProperty("MapPublicIpOnLaunch").GetBoolean() == isPublic).ToList();

    /// <summary>The logical id of the only resource of a type with at least these properties.</summary>
    public string IdWith(string type, object properties) =>
        Assert.Single(Template.FindResources(type, Like.Object(("Properties", properties)))).Key;

    /// <summary>The resource of this logical id, one of several of its type, has at least these properties.</summary>
    public void HasResourceProperties(string type, string id, object properties) =>
        Assert.Contains(id, Template.FindResources(type, Like.Object(("Properties", properties))).Keys);

    public JsonElement Resource(string id) => Json.GetProperty("Resources").GetProperty(id);

    /// <summary>The properties of the only resource of a type.</summary>
    public JsonElement Only(string type) => Assert.Single(Resources(type)).Properties;

    public string IdOf(string type, Func<JsonElement, bool> predicate) =>
        Assert.Single(Resources(type), r => predicate(r.Properties)).Id;

    public JsonElement Output(string name) => Json.GetProperty("Outputs").GetProperty(name);
}
