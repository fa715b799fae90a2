using System.Text.Json;
using Site.Cdk.Tests.Synthesis;

namespace Site.Cdk.Tests;

public sealed class CiTests(DevSite dev, ProdSite prod) : SiteTests(dev, prod)
{
    private const string Issuer = "token.actions.githubusercontent.com";

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheImageRepositoryScansEveryPushAndNeverOverwritesATag(string env)
    {
        var repository = Site(env).Ci.Only("AWS::ECR::Repository");

        Assert.Equal($"site-{env}", repository.Str("RepositoryName"));
        Assert.True(repository.At("ImageScanningConfiguration", "ScanOnPush").GetBoolean());
        Assert.Equal("IMMUTABLE", repository.Str("ImageTagMutability"));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void OldImagesExpire(string env)
    {
        using var policy = JsonDocument.Parse(Site(env).Ci.Only("AWS::ECR::Repository").Str("LifecyclePolicy", "LifecyclePolicyText"));
        var selections = policy.RootElement.Items("rules").Select(r => r.At("selection")).ToList();

        Assert.Contains(selections, s => s.Str("tagStatus") == "untagged" && s.Str("countType") == "sinceImagePushed" && s.Int("countNumber") == 1);
        Assert.Contains(selections, s => s.Str("tagStatus") == "any" && s.Str("countType") == "imageCountMoreThan" && s.Int("countNumber") == 30);
    }

    [Fact]
    public void TheFirstEnvironmentCreatesTheGitHubOidcProvider()
    {
        var provider = Dev.Ci.Only("AWS::IAM::OIDCProvider");

        Assert.Equal($"https://{Issuer}", provider.Str("Url"));
        Assert.Equal(["sts.amazonaws.com"], provider.Items("ClientIdList").Select(c => c.GetString()));
        Assert.All(TrustStatements(Dev), s => Assert.Equal(Dev.Ci.IdOf("AWS::IAM::OIDCProvider", _ => true), s.At("Principal", "Federated").Target()));
    }

    [Fact]
    public void AnExistingOidcProviderIsImportedByArn()
    {
        Assert.Empty(Prod.Ci.Resources("AWS::IAM::OIDCProvider"));
        Assert.All(TrustStatements(Prod), s => Assert.Equal(ProdSite.ProviderArn, s.Str("Principal", "Federated")));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void OnlyJobsInTheProductionEnvironmentOfTheRepositoryMayAssumeTheDeployRole(string env) =>
        AssertTrustedSubject(Site(env), "Deploy", $"repo:{SynthesizedSite.GitHubRepository}:environment:production");

    [Theory, InlineData("dev"), InlineData("prod")]
    public void OnlyPullRequestsOfTheRepositoryMayAssumeTheDiffRole(string env) =>
        AssertTrustedSubject(Site(env), "Diff", $"repo:{SynthesizedSite.GitHubRepository}:pull_request");

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheDeployRoleActsThroughTheBootstrapRolesAndPushesToItsRepositoryOnly(string env)
    {
        var site = Site(env);
        var statements = PolicyStatements(site, "Deploy");
        var repository = site.Ci.IdOf("AWS::ECR::Repository", _ => true);

        Assert.Equal(["deploy", "file-publishing", "image-publishing", "lookup"], AssumableBootstrapRoles(statements).Order());
        var push = Assert.Single(statements, s => s.At("Action").Strings().Contains("ecr:PutImage"));
        Assert.Equal(repository, push.At("Resource").Target());
        var token = Assert.Single(statements, s => s.At("Action").Strings().Contains("ecr:GetAuthorizationToken"));
        Assert.Equal(["ecr:GetAuthorizationToken"], token.At("Action").Strings());
        Assert.Equal(3, statements.Count);
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheDiffRoleCanOnlyLookUp(string env)
    {
        var statements = PolicyStatements(Site(env), "Diff");

        Assert.Equal(["lookup"], AssumableBootstrapRoles(statements));
        Assert.Single(statements);
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheCiStackOutputsTheRepositoryAndRoles(string env)
    {
        var ci = Site(env).Ci;

        Assert.Contains(ci.IdOf("AWS::ECR::Repository", _ => true), ci.Output("ImageRepositoryUri").At("Value", "Fn::Join", 1).EnumerateArray()
            .Where(p => p.Has("Ref")).Select(p => p.Target()));
        Assert.Contains("DeployRole", ci.Output("DeployRoleArn").At("Value").Target(), StringComparison.Ordinal);
        Assert.Contains("DiffRole", ci.Output("DiffRoleArn").At("Value").Target(), StringComparison.Ordinal);
    }

    private static string RoleId(SynthesizedSite site, string role) =>
        Assert.Single(site.Ci.Resources("AWS::IAM::Role"), r => r.Id.StartsWith($"GitHub{role}Role", StringComparison.Ordinal)).Id;

    private static IEnumerable<JsonElement> TrustStatements(SynthesizedSite site) =>
        site.Ci.Resources("AWS::IAM::Role").SelectMany(r => r.Properties.Items("AssumeRolePolicyDocument", "Statement"));

    private static void AssertTrustedSubject(SynthesizedSite site, string role, string subject)
    {
        var trust = Assert.Single(site.Ci.Resource(RoleId(site, role)).Items("Properties", "AssumeRolePolicyDocument", "Statement"));
        var condition = trust.At("Condition");

        Assert.Equal("sts:AssumeRoleWithWebIdentity", trust.Str("Action"));
        Assert.Equal(["StringEquals"], condition.EnumerateObject().Select(c => c.Name));
        Assert.Equal(subject, condition.Str("StringEquals", $"{Issuer}:sub"));
        Assert.Equal("sts.amazonaws.com", condition.Str("StringEquals", $"{Issuer}:aud"));
    }

    private static List<JsonElement> PolicyStatements(SynthesizedSite site, string role)
    {
        var id = RoleId(site, role);
        return site.Ci.Resources("AWS::IAM::Policy").Where(p => p.Properties.Items("Roles").Any(r => r.Target() == id))
            .SelectMany(p => p.Properties.Items("PolicyDocument", "Statement")).ToList();
    }

    /// <summary>The bootstrap role names (cdk-QUALIFIER-NAME-role-ACCOUNT-REGION) a role may assume.</summary>
    private static List<string> AssumableBootstrapRoles(List<JsonElement> statements)
    {
        var assume = Assert.Single(statements, s => s.At("Action").Strings().SequenceEqual(["sts:AssumeRole"]));
        var resources = assume.At("Resource");
        var arns = resources.ValueKind == JsonValueKind.Array ? resources.EnumerateArray().ToList() : [resources];
        return arns.Select(arn => arn.At("Fn::Join", 1).EnumerateArray().Where(p => p.ValueKind == JsonValueKind.String)
                .Select(p => p.GetString()!).Single(p => p.Contains(":role/cdk-hnb659fds-", StringComparison.Ordinal)))
            .Select(p => p.Split(":role/cdk-hnb659fds-")[1].Replace("-role-", "", StringComparison.Ordinal))
            .ToList();
    }
}
