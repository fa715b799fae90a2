using Amazon.CDK;
using Amazon.CDK.AWS.ECR;
using Amazon.CDK.AWS.IAM;
using Constructs;

namespace Site.Cdk.Ci;

/// <param name="Repository">GitHub repository as owner/name.</param>
/// <param name="ExistingProviderArn">The account's GitHub OIDC provider when another stack already created it.</param>
/// <param name="DeployEnvironment">The GitHub environment the deploy job runs in.</param>
public sealed record GitHubAccessProps(string Repository, string? ExistingProviderArn, IRepository Images, string DeployEnvironment);

/// <summary>
/// Roles GitHub Actions assumes through OIDC: one for deploy jobs in the GitHub deploy environment (which only
/// main may deploy to), one read-only for pull requests. Both act only through the CDK bootstrap roles, so they
/// need no CloudFormation or service permissions.
/// </summary>
public sealed class GitHubAccess : Construct
{
    public const string Issuer = "token.actions.githubusercontent.com";
    public const string Audience = "sts.amazonaws.com";

    /// <summary>The default qualifier of `cdk bootstrap`.</summary>
    public const string BootstrapQualifier = "hnb659fds";

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
        DeployRole = RoleFor("DeployRole", providerArn, $"repo:{props.Repository}:environment:{props.DeployEnvironment}",
            $"Deploys the site from the {props.DeployEnvironment} GitHub environment", "deploy", "file-publishing", "image-publishing", "lookup");
        props.Images.GrantPullPush(DeployRole);

        DiffRole = RoleFor("DiffRole", providerArn, $"repo:{props.Repository}:pull_request",
            "Reads deployed stacks for cdk diff on pull requests", "lookup");
    }

    public Role DeployRole { get; }

    public Role DiffRole { get; }

    private Role RoleFor(string id, string providerArn, string subject, string description, params string[] bootstrapRoles)
    {
        var role = new Role(this, id, new RoleProps
        {
            Description = description,
            MaxSessionDuration = Duration.Hours(1),
            AssumedBy = new WebIdentityPrincipal(providerArn, new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, string>
                {
                    [$"{Issuer}:aud"] = Audience,
                    [$"{Issuer}:sub"] = subject,
                },
            }),
        });
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["sts:AssumeRole"],
            Resources = bootstrapRoles.Select(BootstrapRoleArn).ToArray(),
        }));
        return role;
    }

    private static string BootstrapRoleArn(string name) =>
        $"arn:{Aws.PARTITION}:iam::{Aws.ACCOUNT_ID}:role/cdk-{BootstrapQualifier}-{name}-role-{Aws.ACCOUNT_ID}-{Aws.REGION}";
}
