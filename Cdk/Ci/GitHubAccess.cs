using Amazon.CDK;
using Amazon.CDK.AWS.ECR;
using Amazon.CDK.AWS.IAM;
using Constructs;

namespace Site.Cdk.Ci;

/// <param name="Repository">GitHub repository as owner/name.</param>
/// <param name="ExistingProviderArn">The account's GitHub OIDC provider when another stack already created it.</param>
/// <param name="DeployEnvironment">The GitHub environment the deploy job runs in.</param>
/// <param name="StackNamePattern">This environment's stack names, as a wildcard: what pull request diffs may read.</param>
public sealed record GitHubAccessProps(string Repository, string? ExistingProviderArn, IRepository Images, string DeployEnvironment,
    string StackNamePattern);

/// <summary>
/// Roles GitHub Actions assumes through OIDC: one for deploy jobs in the GitHub deploy environment (which only
/// main may deploy to), one for CI on pushes to main to push the image it built and tested, one read-only for
/// pull requests. The deploy role acts through the CDK bootstrap roles, so it needs no CloudFormation or service
/// permissions; the diff role reads this environment's stack templates itself and assumes nothing.
/// </summary>
public sealed class GitHubAccess : Construct
{
    public const string Issuer = "token.actions.githubusercontent.com";
    public const string Audience = "sts.amazonaws.com";

    /// <summary>The default qualifier of `cdk bootstrap`.</summary>
    public const string BootstrapQualifier = "hnb659fds";

    /// <summary>
    /// As long as the deploy job may run (its timeout-minutes and role-duration-seconds in deploy.yml, which
    /// Cdk.Tests checks against this): a first deploy creates a Multi-AZ database, validates a certificate and
    /// waits for ECS, and credentials that expire mid-way would leave it unverified (docs/deploy.md).
    /// </summary>
    public static Duration DeploySession { get; } = Duration.Hours(2);

    public GitHubAccess(Construct scope, string id, GitHubAccessProps props) : base(scope, id)
    {
        var providerArn = props.ExistingProviderArn ?? new CfnOIDCProvider(this, "Provider", new CfnOIDCProviderProps
        {
            Url = $"https://{Issuer}",
            ClientIdList = [Audience],
            // GitHub's published intermediate thumbprints; IAM trusts GitHub's CA itself, but the field is still validated.
            ThumbprintList = ["6938fd4d98bab03faadb97b34396831e3780aea1", "1c58a3a8518e8759bf075b76b750d4f2df264fcd"],
        }).AttrArn;

        // A job that declares a GitHub environment gets the environment as its subject instead of the branch.
        // No image-publishing: the site stacks have no image assets, the image comes from CI. Deploys only read
        // the digest CI pushed for the commit.
        DeployRole = RoleFor("DeployRole", providerArn, $"repo:{props.Repository}:environment:{props.DeployEnvironment}",
            $"Deploys the site from the {props.DeployEnvironment} GitHub environment", DeploySession, "deploy", "file-publishing", "lookup");
        // The scan gate before a deploy (scripts/ecr-scan-gate.sh) reads the index for its platform images and their findings.
        props.Images.Grant(DeployRole, "ecr:DescribeImages", "ecr:BatchGetImage", "ecr:DescribeImageScanFindings");

        // Pull as well as push: the copy checks which manifests and layers the repository already holds; the
        // digest of an existing tag (a re-run) is read with DescribeImages.
        ImagePushRole = RoleFor("ImagePushRole", providerArn, $"repo:{props.Repository}:ref:refs/heads/main",
            "Pushes the image CI built and tested on main", Duration.Hours(1));
        props.Images.GrantPullPush(ImagePushRole);
        props.Images.Grant(ImagePushRole, "ecr:DescribeImages");
        NagSuppressions.Add(ImagePushRole.Node.FindChild("DefaultPolicy"), new NagSuppression("AwsSolutions-IAM5",
            "ecr:GetAuthorizationToken has no resource to name; pushing and pulling are limited to this environment's repository", "Resource::*"));

        // `cdk diff --no-change-set` compares with the deployed templates and checks the bootstrap version; nothing
        // more. Not the lookup role: its ReadOnlyAccess would let any branch's pull request read the whole account.
        DiffRole = RoleFor("DiffRole", providerArn, $"repo:{props.Repository}:pull_request",
            "Reads this environment's deployed stack templates for cdk diff on pull requests", Duration.Hours(1));
        DiffRole.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["cloudformation:DescribeStacks", "cloudformation:GetTemplate", "cloudformation:ListStackResources"],
            Resources = [$"arn:{Aws.PARTITION}:cloudformation:{Aws.REGION}:{Aws.ACCOUNT_ID}:stack/{props.StackNamePattern}/*"],
        }));
        DiffRole.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["ssm:GetParameter"],
            Resources = [$"arn:{Aws.PARTITION}:ssm:{Aws.REGION}:{Aws.ACCOUNT_ID}:parameter/cdk-bootstrap/{BootstrapQualifier}/version"],
        }));
        NagSuppressions.Add(DiffRole.Node.FindChild("DefaultPolicy"), new NagSuppression("AwsSolutions-IAM5",
            "Reads (templates, descriptions) of this environment's stacks only: their ids end in a generated suffix", "Resource::arn:<AWS::Partition>:cloudformation:<AWS::Region>:<AWS::AccountId>:stack/" + props.StackNamePattern + "/*"));
    }

    public Role DeployRole { get; }

    public Role ImagePushRole { get; }

    public Role DiffRole { get; }

    private Role RoleFor(string id, string providerArn, string subject, string description, Duration maxSession,
        params string[] bootstrapRoles)
    {
        var role = new Role(this, id, new RoleProps
        {
            Description = description,
            MaxSessionDuration = maxSession,
            AssumedBy = new WebIdentityPrincipal(providerArn, new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, string>
                {
                    [$"{Issuer}:aud"] = Audience,
                    [$"{Issuer}:sub"] = subject,
                },
            }),
        });
        if (bootstrapRoles.Length > 0)
        {
            role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
            {
                Actions = ["sts:AssumeRole"],
                Resources = bootstrapRoles.Select(BootstrapRoleArn).ToArray(),
            }));
        }
        return role;
    }

    private static string BootstrapRoleArn(string name) =>
        $"arn:{Aws.PARTITION}:iam::{Aws.ACCOUNT_ID}:role/cdk-{BootstrapQualifier}-{name}-role-{Aws.ACCOUNT_ID}-{Aws.REGION}";
}
