using System.Text.Json;
using Amazon.CDK.Assertions;
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
        Site(env).Ci.Template.HasResourceProperties("AWS::ECR::Repository", Like.Object(
            ("RepositoryName", $"site-{env}"),
            ("ImageScanningConfiguration", Like.Dictionary(("ScanOnPush", true))),
            ("ImageTagMutability", "IMMUTABLE")));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheImagesOutliveTheStackButAFailedFirstCreateLeavesNoRepositoryBehind(string env) =>
        Site(env).Ci.Template.AllResources("AWS::ECR::Repository", Like.Object(("DeletionPolicy", "RetainExceptOnCreate")));

    [Theory, InlineData("dev"), InlineData("prod")]
    public void OldImagesExpire(string env)
    {
        AssertExpires(Site(env), Like.Dictionary(("tagStatus", "untagged"), ("countType", "sinceImagePushed"), ("countNumber", 1)));
        AssertExpires(Site(env), Like.Dictionary(("tagStatus", "any"), ("countType", "imageCountMoreThan"), ("countNumber", 30)));
    }

    /// <summary>The lifecycle policy, a JSON document in a string, has a rule with this selection (its rules in any order).</summary>
    private static void AssertExpires(SynthesizedSite site, Dictionary<string, object> selection) =>
        site.Ci.Template.HasResourceProperties("AWS::ECR::Repository", Like.Object(("LifecyclePolicy", Like.Dictionary(
            ("LifecyclePolicyText", Match.SerializedJson(Like.Object(("rules", Like.ArrayWith(Like.Object(("selection", selection)))))))))));

    [Fact]
    public void TheFirstEnvironmentCreatesTheGitHubOidcProvider()
    {
        Dev.Ci.Template.HasResourceProperties("AWS::IAM::OIDCProvider", Like.Object(
            ("Url", $"https://{Issuer}"),
            ("ClientIdList", new object[] { "sts.amazonaws.com" })));
        Assert.All(TrustStatements(Dev), s => Assert.Equal(Dev.Ci.IdOf("AWS::IAM::OIDCProvider", _ => true), s.At("Principal", "Federated").Target()));
    }

    [Fact]
    public void AnExistingOidcProviderIsImportedByArn()
    {
        Prod.Ci.Template.ResourceCountIs("AWS::IAM::OIDCProvider", 0);
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

        AssertRoleMayOnly(site, "Deploy",
            Like.Object(("Effect", "Allow"), ("Action", "sts:AssumeRole")),
            Like.Object(("Effect", "Allow"), ("Action", new object[] { "ecr:BatchGetImage", "ecr:DescribeImageScanFindings", "ecr:DescribeImages" }),
                ("Resource", RepositoryArn(site))));
        Assert.Equal(["deploy", "file-publishing", "lookup"], AssumableBootstrapRoles(PolicyStatements(site, "Deploy")).Order());
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

        // Actions come sorted, so the push's own are found in this order among the pull's.
        AssertRoleMayOnly(site, "ImagePush",
            Like.Object(("Effect", "Allow"), ("Resource", RepositoryArn(site)), ("Action", Like.ArrayWith(
                "ecr:CompleteLayerUpload", "ecr:DescribeImages", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"))),
            Like.Object(("Effect", "Allow"), ("Action", "ecr:GetAuthorizationToken")));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheDiffRoleOnlyReadsThisEnvironmentsStacksAndTheBootstrapVersionAndAssumesNoRole(string env)
    {
        AssertRoleMayOnly(Site(env), "Diff",
            Like.Object(("Effect", "Allow"),
                ("Action", new object[] { "cloudformation:DescribeStacks", "cloudformation:GetTemplate", "cloudformation:ListStackResources" }),
                ("Resource", ArnEndingIn($":stack/site-{env}-*/*"))),
            Like.Object(("Effect", "Allow"), ("Action", "ssm:GetParameter"), ("Resource", ArnEndingIn(":parameter/cdk-bootstrap/hnb659fds/version"))));
    }

    /// <summary>An Fn::Join ARN whose last literal part is this: the partition, region and account are references before it.</summary>
    private static Dictionary<string, object> ArnEndingIn(string tail) =>
        Like.Dictionary(("Fn::Join", new object[] { "", Match.ArrayWith([tail]) }));

    private static Dictionary<string, object> RepositoryArn(SynthesizedSite site) =>
        Like.Dictionary(("Fn::GetAtt", new object[] { site.Ci.IdOf("AWS::ECR::Repository", _ => true), "Arn" }));

    /// <summary>
    /// The role has one policy, and it holds these statements and no others: whatever else the role were granted, the
    /// test fails.
    /// </summary>
    private static void AssertRoleMayOnly(SynthesizedSite site, string role, params object[] statements)
    {
        var self = Like.Ref(RoleId(site, role));
        Assert.Single(site.Ci.Template.FindResources("AWS::IAM::Policy",
            Like.Object(("Properties", Like.Dictionary(("Roles", Like.ArrayWith(self)))))));
        site.Ci.Template.HasResourceProperties("AWS::IAM::Policy", Like.Object(
            ("Roles", new object[] { self }),
            ("PolicyDocument", Like.Dictionary(("Statement", statements)))));
    }

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
