using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.S3.Deployment;
using Constructs;

namespace Site.Cdk.Site;

/// <param name="SourceDirectory">The site's media folder, uploaded on every deploy.</param>
public sealed record MediaStoreProps(string SourceDirectory, EnvironmentSettings Settings);

/// <summary>A private bucket holding the site's images and video, filled from the repository at deploy.</summary>
public sealed class MediaStore : Construct
{
    public MediaStore(Construct scope, string id, MediaStoreProps props) : base(scope, id)
    {
        var settings = props.Settings;
        Bucket = new Bucket(this, "Bucket", new BucketProps
        {
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            EnforceSSL = true,
            Encryption = BucketEncryption.S3_MANAGED,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            RemovalPolicy = settings.StatefulRemovalPolicy,
        });

        _ = new BucketDeployment(this, "Upload", new BucketDeploymentProps
        {
            Sources = [Source.Asset(props.SourceDirectory)],
            DestinationBucket = Bucket,
            // The video is tens of megabytes; the default 128 MB makes the copy slow or fail.
            MemoryLimit = 512,
            // Outside prod the uploaded files go with the stack, so the bucket can be deleted too.
            RetainOnDelete = settings.Protected,
            LogGroup = new LogGroup(this, "UploadLog", new LogGroupProps
            {
                Retention = RetentionDays.ONE_MONTH,
                RemovalPolicy = RemovalPolicy.DESTROY,
            }),
        });
    }

    public Bucket Bucket { get; }

    /// <summary>The site only ever reads media.</summary>
    public Grant GrantRead(IGrantable grantee) => Bucket.GrantRead(grantee);
}
