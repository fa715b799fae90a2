using System.Text.RegularExpressions;
using Amazon.CDK;
using Constructs;

namespace Site.Cdk.Ci;

/// <summary>Deployed once by hand per environment: what GitHub Actions needs to push images and deploy.</summary>
public sealed partial class CiStack : ComponentStack
{
    public CiStack(Construct scope, EnvironmentSettings settings, string region, string? gitHubRepository, string? existingProviderArn)
        : base(scope, "ci", settings, region)
    {
        Require(gitHubRepository is not null && OwnerAndName().IsMatch(gitHubRepository),
            "The CI stack needs the GitHub repository allowed to deploy: pass -c githubRepo=<owner>/<name>.");

        Images = new ImageRepository(this, "Images", new ImageRepositoryProps(settings.RepositoryName));
        var access = new GitHubAccess(this, "GitHub", new GitHubAccessProps(
            gitHubRepository ?? "unset/unset", existingProviderArn, Images.Repository, settings.GitHubDeployEnvironment,
            settings.StackName("*")));

        _ = new CfnOutput(this, "ImageRepositoryUri", new CfnOutputProps { Value = Images.Repository.RepositoryUri });
        _ = new CfnOutput(this, "DeployRoleArn", new CfnOutputProps { Value = access.DeployRole.RoleArn });
        _ = new CfnOutput(this, "ImagePushRoleArn", new CfnOutputProps { Value = access.ImagePushRole.RoleArn });
        _ = new CfnOutput(this, "DiffRoleArn", new CfnOutputProps { Value = access.DiffRole.RoleArn });
    }

    public ImageRepository Images { get; }

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")]
    private static partial Regex OwnerAndName();
}
