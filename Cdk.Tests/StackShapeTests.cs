using System.Text.Json;
using Amazon.CDK.Assertions;
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
        var tagged = Like.Object(("Properties", Like.Dictionary(("Tags", Match.AnyValue()))));
        // Most types list tags as Key and Value pairs (sorted by key), a few as a map.
        var carryingBoth = new[]
        {
            Like.Object(("Properties", Like.Dictionary(("Tags", Like.ArrayWith(
                Like.Object(("Key", "Environment"), ("Value", env)), Like.Object(("Key", "Project"), ("Value", "site"))))))),
            Like.Object(("Properties", Like.Dictionary(("Tags", Like.Dictionary(("Environment", env), ("Project", "site")))))),
        };

        Assert.All(TaggedTypes, type => Assert.Contains(Site(env).Stacks, s => s.Template.FindResources(type, tagged).Count > 0));
        foreach (var stack in Site(env).Stacks)
        {
            // Assertions finds resources of a named type: the types are read from the template to cover every one.
            foreach (var type in stack.AllResources.Select(r => r.Resource.Str("Type")).Distinct())
            {
                Assert.Equal(stack.Template.FindResources(type, tagged).Keys.Order(),
                    carryingBoth.SelectMany(pattern => stack.Template.FindResources(type, pattern).Keys).Order());
            }
        }
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheDataStackOutputsTheDatabaseEndpointMediaBucketAndLogGroup(string env)
    {
        var data = Site(env).Data;
        var database = data.IdOf("AWS::RDS::DBInstance", _ => true);
        var logGroup = data.IdWith("AWS::Logs::LogGroup", Like.Dictionary(("LogGroupName", $"/site/{env}/web")));

        data.Template.HasOutput("DatabaseEndpoint", Like.Object(("Value", Like.Dictionary(("Fn::GetAtt", Like.ArrayWith(database))))));
        data.Template.HasOutput("MediaBucket", Like.Object(("Value", Like.Ref(Site(env).MediaBucketId))));
        data.Template.HasOutput("LogGroup", Like.Object(("Value", Like.Ref(logGroup))));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheServiceStackOutputsTheSiteUrl(string env) =>
        Site(env).Service.Template.HasOutput("SiteUrl", Like.Object());

    private JsonDocument Manifest(string env) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Site(env).AssemblyDirectory, "manifest.json")));
}
