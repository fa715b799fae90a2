using Amazon.CDK;
using Amazon.CDK.AWS.ECR;
using Constructs;

namespace Site.Cdk.Ci;

public sealed record ImageRepositoryProps(string Name);

/// <summary>The ECR repository the site's images are pushed to, one immutable tag per commit.</summary>
public sealed class ImageRepository : Construct
{
    /// <summary>Deploys keep the running image among the newest; older ones only cost storage.</summary>
    public const int KeptImages = 30;

    public ImageRepository(Construct scope, string id, ImageRepositoryProps props) : base(scope, id)
    {
        Repository = new Repository(this, "Repository", new RepositoryProps
        {
            RepositoryName = props.Name,
            ImageScanOnPush = true,
            ImageTagMutability = TagMutability.IMMUTABLE,
            // Images are the deploy history; a teardown of the CI stack must not lose them. A failed first create
            // holds none, and deleting it lets the retry create the named repository again.
            RemovalPolicy = RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
            LifecycleRules =
            [
                new LifecycleRule
                {
                    Description = "Drop untagged layers left by interrupted pushes",
                    TagStatus = TagStatus.UNTAGGED,
                    MaxImageAge = Duration.Days(1),
                },
                new LifecycleRule
                {
                    Description = $"Keep the newest {KeptImages} images",
                    TagStatus = TagStatus.ANY,
                    MaxImageCount = KeptImages,
                },
            ],
        });
    }

    public Repository Repository { get; }
}
