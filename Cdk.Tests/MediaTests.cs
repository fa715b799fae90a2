using System.Text.Json;
using Site.Cdk.Tests.Synthesis;

namespace Site.Cdk.Tests;

public sealed class MediaTests(DevSite dev, ProdSite prod) : SiteTests(dev, prod)
{
    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheMediaBucketIsPrivateAndEncrypted(string env)
    {
        var bucket = Site(env).Data.Resource(Site(env).MediaBucketId).At("Properties");

        Assert.All(bucket.At("PublicAccessBlockConfiguration").EnumerateObject(), setting => Assert.True(setting.Value.GetBoolean()));
        Assert.Equal(4, bucket.At("PublicAccessBlockConfiguration").EnumerateObject().Count());
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
}
