using System.Text.Json;
using Site.Cdk.Tests.Synthesis;

namespace Site.Cdk.Tests;

/// <summary>Stack names, protection, tags and outputs: what an operator sees in the console.</summary>
public sealed class StackShapeTests(DevSite dev, ProdSite prod) : SiteTests(dev, prod)
{
    private static readonly string[] TaggedTypes =
    [
        "AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::EC2::SecurityGroup", "AWS::EC2::NatGateway", "AWS::RDS::DBInstance",
        "AWS::S3::Bucket", "AWS::SecretsManager::Secret", "AWS::Logs::LogGroup", "AWS::ECR::Repository", "AWS::IAM::Role",
        "AWS::ECS::Cluster", "AWS::ECS::Service", "AWS::ECS::TaskDefinition", "AWS::ElasticLoadBalancingV2::LoadBalancer",
    ];

    [Theory, InlineData("dev"), InlineData("prod")]
    public void StacksAreNamedAfterTheEnvironmentAndSplitByLifecycle(string env) =>
        Assert.Equal([$"site-{env}-ci", $"site-{env}-data", $"site-{env}-service"], Site(env).Stacks.Select(s => s.Name));

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheContextTheWorkflowsPassSynthesizesWithoutErrors(string env)
    {
        using var manifest = Manifest(env);
        var errors = manifest.RootElement.At("artifacts").EnumerateObject()
            .Where(a => a.Value.Has("metadata"))
            .SelectMany(a => a.Value.At("metadata").EnumerateObject().SelectMany(entries => entries.Value.EnumerateArray()))
            .Where(entry => entry.Str("type") == "aws:cdk:error")
            .Select(entry => entry.At("data").ToString());

        Assert.Empty(errors);
    }

    [Theory, InlineData("dev", false), InlineData("prod", true)]
    public void ProdStacksAreTerminationProtected(string env, bool isProtected)
    {
        using var manifest = Manifest(env);
        var artifacts = manifest.RootElement.At("artifacts");

        Assert.All(Site(env).Stacks, s =>
        {
            var properties = artifacts.At(s.Name, "properties");
            Assert.Equal(isProtected, properties.Has("terminationProtection") && properties.At("terminationProtection").GetBoolean());
        });
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void EveryTaggedResourceCarriesProjectAndEnvironment(string env)
    {
        var tagged = Site(env).Stacks.SelectMany(s => s.AllResources)
            .Where(r => r.Resource.Has("Properties") && r.Resource.At("Properties").Has("Tags")).ToList();

        Assert.All(TaggedTypes, type => Assert.Contains(tagged, r => r.Resource.Str("Type") == type));
        Assert.All(tagged, r =>
        {
            var tags = Tags(r.Resource.At("Properties", "Tags"));
            Assert.Equal("site", tags.GetValueOrDefault("Project"));
            Assert.Equal(env, tags.GetValueOrDefault("Environment"));
        });
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheDataStackOutputsTheDatabaseEndpointMediaBucketAndLogGroup(string env)
    {
        var data = Site(env).Data;

        Assert.Equal(data.IdOf("AWS::RDS::DBInstance", _ => true), data.Output("DatabaseEndpoint").At("Value").Target());
        Assert.Equal(Site(env).MediaBucketId, data.Output("MediaBucket").At("Value").Target());
        Assert.Equal(data.IdOf("AWS::Logs::LogGroup", g => g.Has("LogGroupName") && g.Str("LogGroupName") == $"/site/{env}/web"),
            data.Output("LogGroup").At("Value").Target());
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheServiceStackOutputsTheSiteUrl(string env) =>
        Assert.True(Site(env).Service.Json.At("Outputs").Has("SiteUrl"));

    private static Dictionary<string, string?> Tags(JsonElement tags) => tags.ValueKind == JsonValueKind.Array
        ? tags.EnumerateArray().ToDictionary(t => t.Str("Key"), t => t.At("Value").GetString())
        : tags.EnumerateObject().ToDictionary(t => t.Name, t => t.Value.GetString());

    private JsonDocument Manifest(string env) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Site(env).AssemblyDirectory, "manifest.json")));
}
