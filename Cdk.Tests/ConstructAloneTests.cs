using Amazon.CDK;
using Amazon.CDK.Assertions;
using Site.Cdk.Data;
using Site.Cdk.Tests.Synthesis;

namespace Site.Cdk.Tests;

/// <summary>A construct built from its props alone, in a stack of its own: no environment's settings needed.</summary>
public sealed class ConstructAloneTests
{
    [Fact]
    public void TheAccessLogStoreExpiresItsLogsAndKeepsThemAsItIsTold()
    {
        var stack = new Stack(new App(), "Logs");
        _ = new AccessLogStore(stack, "AccessLogs", new AccessLogStoreProps
        {
            ExpireAfterDays = 7,
            RemovalPolicy = RemovalPolicy.RETAIN,
            AutoDeleteObjects = false,
        });
        var template = Template.FromStack(stack);

        var expiry = Like.Object(("ExpirationInDays", 7), ("AbortIncompleteMultipartUpload", Like.Dictionary(("DaysAfterInitiation", 1))));
        template.HasResource("AWS::S3::Bucket", Like.Object(
            ("DeletionPolicy", "Retain"),
            ("Properties", Like.Object(("LifecycleConfiguration", Like.Object(("Rules", new object[] { expiry })))))));
        // Without auto-delete there is no custom resource to empty the bucket.
        template.ResourceCountIs("Custom::S3AutoDeleteObjects", 0);
    }
}
