using Amazon.CDK;
using Amazon.CDK.AWS.S3;
using Constructs;

namespace Site.Cdk.Data;

public sealed record AccessLogStoreProps
{
    public required int ExpireAfterDays { get; init; }

    public required RemovalPolicy RemovalPolicy { get; init; }

    /// <summary>Empties the bucket when it is deleted, so that its stack can be deleted while logs keep arriving.</summary>
    public required bool AutoDeleteObjects { get; init; }
}

/// <summary>
/// The bucket the edge's logs go to, each under its own prefix and all expiring together: the load balancer's access
/// logs, the VPC's flow logs and the media bucket's server access logs. It lives with the stateful resources so the
/// logs outlive a rebuilt service stack; each writer is granted delivery to its prefix where it is set up.
/// </summary>
public sealed class AccessLogStore : Construct
{
    public const string LoadBalancerPrefix = "alb";
    public const string FlowLogPrefix = "vpc-flow-logs";
    public const string MediaPrefix = "s3-media/";

    public AccessLogStore(Construct scope, string id, AccessLogStoreProps props) : base(scope, id)
    {
        Bucket = new Bucket(this, "Bucket", new BucketProps
        {
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            EnforceSSL = true,
            // Load balancers can only write to buckets encrypted with S3-managed keys.
            Encryption = BucketEncryption.S3_MANAGED,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            LifecycleRules =
            [
                new LifecycleRule
                {
                    Id = "ExpireAccessLogs",
                    Expiration = Duration.Days(props.ExpireAfterDays),
                    AbortIncompleteMultipartUploadAfter = Duration.Days(1),
                },
            ],
            RemovalPolicy = props.RemovalPolicy,
            AutoDeleteObjects = props.AutoDeleteObjects,
        });
    }

    public Bucket Bucket { get; }
}
