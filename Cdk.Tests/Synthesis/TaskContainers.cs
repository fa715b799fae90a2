using System.Text.Json;
using Site.Cdk.Service;

namespace Site.Cdk.Tests.Synthesis;

/// <summary>The containers of the site's task definition, as ECS reads them.</summary>
public static class TaskContainers
{
    public static JsonElement Named(SynthesizedSite site, string name) =>
        Assert.Single(site.Service.Only("AWS::ECS::TaskDefinition").Items("ContainerDefinitions"), c => c.Str("Name") == name);

    public static JsonElement WebContainer(SynthesizedSite site) => Named(site, WebService.ContainerName);

    /// <summary>The web container has at least these properties.</summary>
    public static void AssertWebContainer(SynthesizedSite site, params (string Key, object Value)[] properties) =>
        site.Service.Template.HasResourceProperties("AWS::ECS::TaskDefinition", Like.Object(
            ("ContainerDefinitions", Like.ArrayWith(Like.Object([("Name", WebService.ContainerName), .. properties])))));

    public static Dictionary<string, JsonElement> EnvironmentOf(JsonElement container) =>
        (container.Has("Environment") ? container.Items("Environment") : []).ToDictionary(e => e.Str("Name"), e => e.At("Value"));

    public static Dictionary<string, JsonElement> SecretsOf(JsonElement container) =>
        (container.Has("Secrets") ? container.Items("Secrets") : []).ToDictionary(e => e.Str("Name"), e => e.At("ValueFrom"));

    /// <summary>ECS reads one JSON field of a secret when ValueFrom is "arn:field::".</summary>
    public static void AssertSecretField(JsonElement valueFrom, string secretId, string field)
    {
        var parts = valueFrom.At("Fn::Join", 1);
        Assert.Contains(secretId, parts[0].Target(), StringComparison.Ordinal);
        Assert.Equal($":{field}::", parts[1].GetString());
    }
}
