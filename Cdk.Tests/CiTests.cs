using System.Text.Json;
using Site.Cdk.Tests.Synthesis;
using YamlDotNet.RepresentationModel;

namespace Site.Cdk.Tests;

public sealed class CiTests(DevSite dev, ProdSite prod) : SiteTests(dev, prod)
{
    private const string Issuer = "token.actions.githubusercontent.com";

    /// <summary>
    /// What a first deploy into an empty account may take, the longest a deploy takes: VPC and NAT gateways (about
    /// 5 minutes), a Multi-AZ database (20 to 40), the certificate's DNS validation (5 to 30), ECS settling (10) and
    /// the rollout check (up to 15).
    /// </summary>
    private const int FirstDeployMinutes = 90;

    private static readonly YamlMappingNode DeployJob = LoadDeployJob();

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheImageRepositoryScansEveryPushAndNeverOverwritesATag(string env)
    {
        var repository = Site(env).Ci.Only("AWS::ECR::Repository");

        Assert.Equal($"site-{env}", repository.Str("RepositoryName"));
        Assert.True(repository.At("ImageScanningConfiguration", "ScanOnPush").GetBoolean());
        Assert.Equal("IMMUTABLE", repository.Str("ImageTagMutability"));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheImagesOutliveTheStackButAFailedFirstCreateLeavesNoRepositoryBehind(string env)
    {
        var id = Assert.Single(Site(env).Ci.Resources("AWS::ECR::Repository")).Id;

        Assert.Equal("RetainExceptOnCreate", Site(env).Ci.Resource(id).Str("DeletionPolicy"));
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
    public void OnlyPushesToMainOfTheRepositoryMayAssumeTheImagePushRole(string env) =>
        AssertTrustedSubject(Site(env), "ImagePush", $"repo:{SynthesizedSite.GitHubRepository}:ref:refs/heads/main");

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheDeployRoleActsThroughTheBootstrapRolesAndOnlyReadsWhichImageATagNamesAndItsScanFindings(string env)
    {
        var site = Site(env);
        var statements = PolicyStatements(site, "Deploy");

        Assert.Equal(["deploy", "file-publishing", "lookup"], AssumableBootstrapRoles(statements).Order());
        var describe = Assert.Single(statements, s => s.At("Action").Strings().Any(a => a.StartsWith("ecr:", StringComparison.Ordinal)));
        Assert.Equal(["ecr:BatchGetImage", "ecr:DescribeImageScanFindings", "ecr:DescribeImages"], describe.At("Action").Strings().Order(StringComparer.Ordinal));
        Assert.Equal(site.Ci.IdOf("AWS::ECR::Repository", _ => true), describe.At("Resource").Target());
        Assert.Equal(2, statements.Count);
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void NoStackHasImageAssetsSoDeploysNeedNoImagePublishing(string env) =>
        Assert.All(Site(env).Stacks, stack =>
        {
            using var manifest = JsonDocument.Parse(File.ReadAllText(stack.AssetManifestPath));
            Assert.Empty(manifest.RootElement.At("dockerImages").EnumerateObject());
        });

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheImagePushRoleMayPushToItsRepositoryOnlyAndAssumesNothing(string env)
    {
        var site = Site(env);
        var statements = PolicyStatements(site, "ImagePush");

        var repositoryActions = Assert.Single(statements, s => s.At("Action").Strings().Contains("ecr:PutImage"));
        Assert.Equal(site.Ci.IdOf("AWS::ECR::Repository", _ => true), repositoryActions.At("Resource").Target());
        Assert.Superset(new HashSet<string> { "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:DescribeImages" },
            repositoryActions.At("Action").Strings().ToHashSet());
        var token = Assert.Single(statements, s => s.At("Action").Strings().Contains("ecr:GetAuthorizationToken"));
        Assert.Equal(["ecr:GetAuthorizationToken"], token.At("Action").Strings());
        Assert.Equal(2, statements.Count);
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheDiffRoleOnlyReadsThisEnvironmentsStacksAndTheBootstrapVersionAndAssumesNoRole(string env)
    {
        var statements = PolicyStatements(Site(env), "Diff");

        Assert.Equal(2, statements.Count);
        Assert.DoesNotContain(statements, s => s.At("Action").Strings().Any(a => a.StartsWith("sts:", StringComparison.Ordinal)));

        var stacks = Assert.Single(statements, s => s.At("Action").Strings().Any(a => a.StartsWith("cloudformation:", StringComparison.Ordinal)));
        Assert.Equal(["cloudformation:DescribeStacks", "cloudformation:GetTemplate", "cloudformation:ListStackResources"],
            stacks.At("Action").Strings().Order(StringComparer.Ordinal));
        Assert.EndsWith($":stack/site-{env}-*/*", Joined(stacks.At("Resource")), StringComparison.Ordinal);

        var version = Assert.Single(statements, s => s.At("Action").Strings().SequenceEqual(["ssm:GetParameter"]));
        Assert.EndsWith(":parameter/cdk-bootstrap/hnb659fds/version", Joined(version.At("Resource")), StringComparison.Ordinal);
    }

    /// <summary>The literal parts of an Fn::Join ARN, joined: the references (partition, region, account) left out.</summary>
    private static string Joined(JsonElement arn) => string.Concat(arn.At("Fn::Join", 1).EnumerateArray()
        .Where(p => p.ValueKind == JsonValueKind.String).Select(p => p.GetString()));

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheCiStackOutputsTheRepositoryAndRoles(string env)
    {
        var ci = Site(env).Ci;

        Assert.Contains(ci.IdOf("AWS::ECR::Repository", _ => true), ci.Output("ImageRepositoryUri").At("Value", "Fn::Join", 1).EnumerateArray()
            .Where(p => p.Has("Ref")).Select(p => p.Target()));
        Assert.Contains("DeployRole", ci.Output("DeployRoleArn").At("Value").Target(), StringComparison.Ordinal);
        Assert.Contains("ImagePushRole", ci.Output("ImagePushRoleArn").At("Value").Target(), StringComparison.Ordinal);
        Assert.Contains("DiffRole", ci.Output("DiffRoleArn").At("Value").Target(), StringComparison.Ordinal);
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheDeployJobAsksForNoLongerASessionThanTheDeployRoleAllows(string env)
    {
        var site = Site(env);
        var maxSessionSeconds = site.Ci.Resource(RoleId(site, "Deploy")).Int("Properties", "MaxSessionDuration");

        Assert.InRange(DeploySessionSeconds(), 900, maxSessionSeconds);
    }

    [Fact]
    public void TheDeploySessionLastsAsLongAsTheJobMayRunAndTheJobOutlastsAFirstDeploy()
    {
        var timeoutMinutes = IntegerAt(DeployJob, "timeout-minutes");

        Assert.True(timeoutMinutes * 60 <= DeploySessionSeconds(),
            $"The deploy job may run {timeoutMinutes} minutes; its AWS session lasts {DeploySessionSeconds()} s.");
        Assert.True(timeoutMinutes > FirstDeployMinutes, $"A first deploy may take {FirstDeployMinutes} minutes; the job stops after {timeoutMinutes}.");
    }

    /// <summary>role-duration-seconds of the step that assumes the deploy role.</summary>
    private static int DeploySessionSeconds()
    {
        var login = ((YamlSequenceNode)DeployJob["steps"]).Cast<YamlMappingNode>()
            .Select(step => Child(step, "with")).OfType<YamlMappingNode>()
            .Single(with => Child(with, "role-to-assume")?.ToString().Contains("vars.AWS_DEPLOY_ROLE_ARN", StringComparison.Ordinal) == true);
        return IntegerAt(login, "role-duration-seconds");
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static int IntegerAt(YamlMappingNode node, string key) =>
        int.Parse(((YamlScalarNode)node[key]).Value!, System.Globalization.CultureInfo.InvariantCulture);

    private static YamlMappingNode LoadDeployJob()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(CdkContext.RepositoryRoot, ".github", "workflows", "deploy.yml"));
        stream.Load(reader);
        return (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode["jobs"])["deploy"];
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
