using System.Text.Json;
using Amazon.CDK.Assertions;
using Site.Cdk.Data;
using Site.Cdk.Tests.Synthesis;

namespace Site.Cdk.Tests;

public sealed class MediaTests(DevSite dev, ProdSite prod) : SiteTests(dev, prod)
{
    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheMediaBucketIsPrivateAndEncrypted(string env)
    {
        var bucket = Site(env).Data.Resource(Site(env).MediaBucketId).At("Properties");

        Assert.Equal(["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"],
            bucket.At("PublicAccessBlockConfiguration").EnumerateObject().Where(setting => setting.Value.GetBoolean()).Select(setting => setting.Name).Order());
        Assert.Equal("AES256", bucket.Str("BucketEncryption", "ServerSideEncryptionConfiguration", 0, "ServerSideEncryptionByDefault", "SSEAlgorithm"));
        Assert.Equal("BucketOwnerEnforced", bucket.Str("OwnershipControls", "Rules", 0, "ObjectOwnership"));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheMediaFolderIsUploadedToTheBucketAtDeploy(string env)
    {
        var site = Site(env);
        var deployment = site.Data.Only("Custom::CDKBucketDeployment");
        var bucket = site.MediaBucketId;
        var assetHash = Assert.Single(deployment.Items("SourceObjectKeys")).GetString()!.Replace(".zip", "", StringComparison.Ordinal);

        Assert.Equal(bucket, deployment.At("DestinationBucketName").Target());
        using var manifest = JsonDocument.Parse(File.ReadAllText(site.Data.AssetManifestPath));
        var staged = manifest.RootElement.Str("files", assetHash, "source", "path");
        Assert.True(File.Exists(Path.Combine(site.AssemblyDirectory, staged, SynthesizedSite.MediaFile)));
    }

    [Theory, InlineData("dev", false), InlineData("prod", true)]
    public void UploadedMediaOutlivesTheStackOnlyInProd(string env, bool retained)
    {
        var data = Site(env).Data;
        var deployment = data.Only("Custom::CDKBucketDeployment");

        Assert.Equal(retained, deployment.At("RetainOnDelete").GetBoolean());
        Assert.Equal(retained ? "RetainExceptOnCreate" : "Delete", data.Resource(Site(env).MediaBucketId).Str("DeletionPolicy"));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheTaskRoleMayGetObjectsListTheBucketAndWriteOnlyTheUploads(string env)
    {
        var site = Site(env);
        var grants = site.TaskRoleStatements.Where(s => s.At("Action").Strings().Any(a => a.StartsWith("s3:", StringComparison.Ordinal))).ToList();

        Assert.Equal(["s3:DeleteObject", "s3:GetObject", "s3:ListBucket", "s3:PutObject"], grants.SelectMany(s => s.At("Action").Strings()).Order());
        var objects = Assert.Single(grants, s => s.At("Action").Strings().SequenceEqual(["s3:GetObject"]));
        var bucket = Assert.Single(grants, s => s.At("Action").Strings().SequenceEqual(["s3:ListBucket"]));
        var writes = Assert.Single(grants, s => s.At("Action").Strings().Order().SequenceEqual(["s3:DeleteObject", "s3:PutObject"]));
        Assert.All(grants, s => Assert.Equal("Allow", s.Str("Effect")));
        Assert.Equal(["/*"], MediaBucketArn(site, objects.At("Resource")));
        Assert.Equal([""], MediaBucketArn(site, bucket.At("Resource")));
        Assert.Equal(["/uploads/*"], MediaBucketArn(site, writes.At("Resource")));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheBucketRefusesTheTaskRoleWritesOutsideTheUploads(string env)
    {
        var site = Site(env);
        var statement = Assert.Single(TaskRoleDenials(site), s => s.Has("NotResource"));

        Assert.Equal(["s3:DeleteObject", "s3:PutObject"], statement.At("Action").Strings().Order());
        Assert.Equal(["/uploads/*"], MediaBucketArn(site, statement.At("NotResource")));
        Assert.Equal("*", statement.Str("Principal", "AWS"));
        AssertConditionsAre(statement, "ArnEquals");
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheDeploysSyncLeavesTheOwnersUploadsInTheBucket(string env)
    {
        var deployment = Site(env).Data.Only("Custom::CDKBucketDeployment");

        // Pruning stays on for the deploy's own files; the uploads are outside the sync, so it neither deletes nor replaces them.
        Assert.False(deployment.Has("Prune") && !deployment.At("Prune").GetBoolean());
        Assert.Equal(["uploads/*"], deployment.At("Exclude").Strings());
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheBucketRefusesTheTaskRoleAnythingOutsideTheVpcEndpoint(string env)
    {
        var site = Site(env);
        var endpoint = site.Data.IdOf("AWS::EC2::VPCEndpoint", e => e.At("ServiceName").ToString().Contains(".s3", StringComparison.Ordinal));
        var statement = Assert.Single(TaskRoleDenials(site), s => s.At("Condition").Has("StringNotEquals"));

        Assert.Equal(["s3:*"], statement.At("Action").Strings());
        Assert.Equal(endpoint, statement.At("Condition", "StringNotEquals", "aws:SourceVpce").Target());
        AssertConditionsAre(statement, "ArnEquals", "StringNotEquals");
        AssertCoversTheWholeBucket(site, statement);
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheBucketRefusesTheTaskRoleEverythingButReadingAndWritingObjects(string env)
    {
        var site = Site(env);
        var statement = Assert.Single(TaskRoleDenials(site), s => s.Has("NotAction"));

        Assert.Equal(["s3:DeleteObject", "s3:GetObject", "s3:ListBucket", "s3:PutObject"], statement.At("NotAction").Strings().Order());
        AssertConditionsAre(statement, "ArnEquals");
        AssertCoversTheWholeBucket(site, statement);
    }

    /// <summary>The bucket's policy names the service stack's role by the name that role is given, in this account.</summary>
    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheRoleTheBucketNamesIsTheTaskRole(string env)
    {
        var site = Site(env);
        var taskRole = site.Service.Only("AWS::ECS::TaskDefinition").At("TaskRoleArn").Target();
        var name = site.Service.Resource(taskRole).Str("Properties", "RoleName");

        Assert.Equal($"site-{env}-web-task-{SynthesizedSite.Region}", name);
        Assert.All(TaskRoleDenials(site), s =>
        {
            var arn = s.At("Condition", "ArnEquals", "aws:PrincipalArn", "Fn::Join", 1).EnumerateArray().ToList();
            Assert.Equal("arn:aws:iam::", arn[0].GetString());
            Assert.Equal("AWS::AccountId", arn[1].Target());
            Assert.Equal($":role/{name}", arn[2].GetString());
        });
    }

    /// <summary>
    /// The upload at deploy is another role: apart from refusing plain HTTP to everyone, every denial names the task role.
    /// </summary>
    [Theory, InlineData("dev"), InlineData("prod")]
    public void NoDenialReachesTheUpload(string env)
    {
        var denials = MediaBucketPolicy(Site(env)).Where(s => s.Str("Effect") == "Deny").ToList();

        Assert.All(denials, s => Assert.True(s.At("Condition").Has("ArnEquals")
            || s.At("Condition").Has("Bool") && s.Str("Condition", "Bool", "aws:SecureTransport") == "false", s.ToString()));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheBucketRefusesPlainHttpToEveryone(string env) =>
        Site(env).Data.Template.HasResourceProperties("AWS::S3::BucketPolicy", Like.Object(
            ("Bucket", Like.Ref(Site(env).MediaBucketId)),
            ("PolicyDocument", Like.Dictionary(("Statement", Like.ArrayWith(Like.Object(
                ("Effect", "Deny"),
                ("Action", "s3:*"),
                ("Principal", Like.Dictionary(("AWS", "*"))),
                ("Condition", Match.ObjectEquals(Like.Dictionary(("Bool", Like.Dictionary(("aws:SecureTransport", "false")))))))))))));

    /// <summary>A denial's only conditions: another one would narrow whom or when it refuses.</summary>
    private static void AssertConditionsAre(JsonElement statement, params string[] operators) =>
        Assert.Equal(operators, statement.At("Condition").EnumerateObject().Select(c => c.Name).Order());

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheBucketsServerAccessLogsGoToTheAccessLogBucket(string env)
    {
        var site = Site(env);
        var logging = site.Data.Resource(site.MediaBucketId).At("Properties", "LoggingConfiguration");

        Assert.StartsWith("AccessLogs", logging.At("DestinationBucketName").Target(), StringComparison.Ordinal);
        Assert.Equal(AccessLogStore.MediaPrefix, logging.Str("LogFilePrefix"));
    }

    private static void AssertCoversTheWholeBucket(SynthesizedSite site, JsonElement statement)
    {
        Assert.Equal("*", statement.Str("Principal", "AWS"));
        Assert.Equal(["", "/*"], MediaBucketArn(site, statement.At("Resource")));
    }

    /// <summary>What follows the media bucket's ARN in a resource ("" for the bucket, "/*" for its objects); fails for any other.</summary>
    private static List<string> MediaBucketArn(SynthesizedSite site, JsonElement resource)
    {
        if (resource.ValueKind == JsonValueKind.Array)
        {
            return resource.EnumerateArray().SelectMany(r => MediaBucketArn(site, r)).Order().ToList();
        }
        var parts = resource.Has("Fn::Join") ? resource.At("Fn::Join", 1).EnumerateArray().ToList() : [resource];
        Assert.Contains(site.MediaBucketId, parts[0].Target(), StringComparison.Ordinal);
        return [string.Concat(parts.Skip(1).Select(p => p.GetString()))];
    }

    private static IEnumerable<JsonElement> MediaBucketPolicy(SynthesizedSite site) =>
        Assert.Single(site.Data.Resources("AWS::S3::BucketPolicy"), p => p.Properties.At("Bucket").Target() == site.MediaBucketId)
            .Properties.Items("PolicyDocument", "Statement");

    private static List<JsonElement> TaskRoleDenials(SynthesizedSite site) =>
        MediaBucketPolicy(site).Where(s => s.Str("Effect") == "Deny" && s.At("Condition").Has("ArnEquals")).ToList();
}
