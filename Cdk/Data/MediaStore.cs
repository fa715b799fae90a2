using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.S3.Deployment;
using Constructs;
using Site.Web.Media;

namespace Site.Cdk.Data;

public sealed record MediaStoreProps
{
    /// <summary>The site's media folder, uploaded on every deploy.</summary>
    public required string SourceDirectory { get; init; }

    /// <summary>Where the bucket's server access logs go.</summary>
    public required IBucket AccessLogs { get; init; }

    /// <summary>The VPC endpoint the site's reads must come through.</summary>
    public required IGatewayVpcEndpoint ReadEndpoint { get; init; }

    /// <summary>The web tasks' role (in the service stack), by name.</summary>
    public required string ReaderRoleName { get; init; }

    public required RemovalPolicy RemovalPolicy { get; init; }

    /// <summary>Keeps the uploaded files when the upload is deleted with its stack.</summary>
    public required bool RetainFilesOnDelete { get; init; }

    /// <summary>CloudFront reads the media (Edge): the policy admits this account's distributions.</summary>
    public required bool Edge { get; init; }
}

/// <summary>
/// A private bucket holding the site's images and video, filled from the repository at deploy, and the owner's uploads
/// under <see cref="MediaKeys.Uploads"/>. Its policy lets the web tasks' role read objects, write and delete only the
/// uploads, and nothing else, and only through the VPC's S3 endpoint, whatever that role's own policies say; the
/// upload at deploy is another role and is not affected.
/// </summary>
public sealed class MediaStore : Construct
{
    /// <summary>
    /// What the site does with media: HEAD (authorized as GetObject) and ranged, ETag-matched GETs. ListBucket makes a
    /// missing file answer 404 instead of 403, which the app serves as "not found" rather than a server error.
    /// </summary>
    public static IReadOnlyList<string> ObjectReads { get; } = ["s3:GetObject"];

    public static IReadOnlyList<string> BucketReads { get; } = ["s3:ListBucket"];

    /// <summary>What the site does with the owner's uploads: store a file, and remove it when the owner deletes it.</summary>
    public static IReadOnlyList<string> UploadWrites { get; } = ["s3:PutObject", "s3:DeleteObject"];

    public MediaStore(Construct scope, string id, MediaStoreProps props) : base(scope, id)
    {
        Bucket = new Bucket(this, "Bucket", new BucketProps
        {
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            EnforceSSL = true,
            Encryption = BucketEncryption.S3_MANAGED,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            ServerAccessLogsBucket = props.AccessLogs,
            ServerAccessLogsPrefix = AccessLogStore.MediaPrefix,
            RemovalPolicy = props.RemovalPolicy,
        });

        var reader = Stack.Of(this).FormatArn(new ArnComponents { Service = "iam", Region = "", Resource = "role", ResourceName = props.ReaderRoleName });
        var isReader = new Dictionary<string, object> { ["ArnEquals"] = new Dictionary<string, object> { ["aws:PrincipalArn"] = reader } };
        Bucket.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "SiteReadsOnlyThroughTheVpcEndpoint",
            Effect = Effect.DENY,
            Principals = [new AnyPrincipal()],
            Actions = ["s3:*"],
            Resources = [Bucket.BucketArn, Bucket.ArnForObjects("*")],
            Conditions = new Dictionary<string, object>(isReader)
            {
                ["StringNotEquals"] = new Dictionary<string, object> { ["aws:SourceVpce"] = props.ReadEndpoint.VpcEndpointId },
            },
        }));
        Bucket.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "SiteOnlyReadsAndWritesUploads",
            Effect = Effect.DENY,
            Principals = [new AnyPrincipal()],
            NotActions = [.. ObjectReads, .. BucketReads, .. UploadWrites],
            Resources = [Bucket.BucketArn, Bucket.ArnForObjects("*")],
            Conditions = isReader,
        }));
        Bucket.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "SiteWritesOnlyUploads",
            Effect = Effect.DENY,
            Principals = [new AnyPrincipal()],
            Actions = [.. UploadWrites],
            NotResources = [Bucket.ArnForObjects(Uploads)],
            Conditions = isReader,
        }));

        if (props.Edge)
        {
            // This account's distributions, through origin access control (Edge). The distribution is in the service
            // stack, which refers to this one, so its ARN cannot be named here without a cycle.
            var account = Stack.Of(this).Account;
            Bucket.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
            {
                Sid = "EdgeReadsMedia",
                Effect = Effect.ALLOW,
                Principals = [new ServicePrincipal("cloudfront.amazonaws.com")],
                Actions = [.. ObjectReads],
                Resources = [Bucket.ArnForObjects("*")],
                Conditions = new Dictionary<string, object>
                {
                    ["StringEquals"] = new Dictionary<string, object> { ["AWS:SourceAccount"] = account },
                    ["ArnLike"] = new Dictionary<string, object> { ["AWS:SourceArn"] = $"arn:{Stack.Of(this).Partition}:cloudfront::{account}:distribution/*" },
                },
            }));
        }

        var upload = new BucketDeployment(this, "Upload", new BucketDeploymentProps
        {
            Sources = [Source.Asset(props.SourceDirectory)],
            DestinationBucket = Bucket,
            // The sync deletes what is not in the media folder: the owner's uploads are left out of it, so a deploy
            // neither removes them nor overwrites them with a developer's local ones.
            Exclude = [Uploads],
            // The video is tens of megabytes; the default 128 MB makes the copy slow or fail.
            MemoryLimit = 512,
            // Otherwise the uploaded files go with the stack, so the bucket can be deleted too.
            RetainOnDelete = props.RetainFilesOnDelete,
            LogGroup = new LogGroup(this, "UploadLog", new LogGroupProps
            {
                Retention = RetentionDays.ONE_MONTH,
                RemovalPolicy = RemovalPolicy.DESTROY,
            }),
        });
        NagSuppressions.Add(upload.HandlerRole, new NagSuppression("AwsSolutions-IAM4",
            "CDK's upload function; AWSLambdaBasicExecutionRole only lets it write its own logs", CdkHelperFindings.BasicExecutionPolicy));
        NagSuppressions.Add(upload.HandlerRole.Node.FindChild("DefaultPolicy"), new NagSuppression("AwsSolutions-IAM5",
            "CDK's grants for the upload: read the staged asset in the bootstrap bucket, and sync this bucket (the files "
            + "removed from the media folder are deleted from it); both are limited to those two buckets"));
    }

    public Bucket Bucket { get; }

    /// <summary>The owner's uploads, as a key pattern.</summary>
    public static string Uploads => MediaKeys.Uploads + "*";

    /// <summary>The site reads media and writes the owner's uploads, and the bucket's policy refuses it anything else.</summary>
    public void GrantSite(IGrantable grantee)
    {
        _ = Grant.AddToPrincipal(new GrantOnPrincipalOptions { Grantee = grantee, Actions = [.. ObjectReads], ResourceArns = [Bucket.ArnForObjects("*")] });
        _ = Grant.AddToPrincipal(new GrantOnPrincipalOptions { Grantee = grantee, Actions = [.. BucketReads], ResourceArns = [Bucket.BucketArn] });
        _ = Grant.AddToPrincipal(new GrantOnPrincipalOptions { Grantee = grantee, Actions = [.. UploadWrites], ResourceArns = [Bucket.ArnForObjects(Uploads)] });
    }
}
