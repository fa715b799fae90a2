using Amazon.CDK;
using Site.Cdk.Tests.Synthesis;

namespace Site.Cdk.Tests;

/// <summary>
/// Stacks built from incomplete or wrong context, without synthesizing: the errors are attached to the
/// stacks, so the CLI refuses exactly the stacks that cannot be deployed and still deploys the others.
/// </summary>
public sealed class MisconfiguredApps : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("site-cdk-context-");

    public MisconfiguredApps()
    {
        Bare = Build("bare", new Dictionary<string, object?> { ["env"] = "dev" });
        Wrong = Build("wrong", new Dictionary<string, object?>
        {
            ["env"] = "prod",
            ["imageTag"] = "latest",
            ["imageDigest"] = WrongDigest,
            ["githubRepo"] = "just-a-name",
            ["domain"] = "example.org",
        });
        Unsecured = Build("unsecured", new Dictionary<string, object?>
        {
            ["env"] = "prod",
            ["imageTag"] = "3f2c1ab9d0e4",
            ["githubRepo"] = "acme/site",
            ["hostedZoneId"] = "Z0EXAMPLE12345",
        });
        EdgeElsewhere = Build("edge-elsewhere", Prod("on"), "eu-west-1");
        EdgeOffElsewhere = Build("edge-off-elsewhere", Prod("off"), "eu-west-1");
        EdgeWithoutDomain = Build("edge-without-domain", new Dictionary<string, object?> { ["env"] = "dev", ["imageTag"] = "3f2c1ab9d0e4", ["edge"] = "on" });
    }

    /// <summary>Prod in a region other than CloudFront's, with the edge on and off.</summary>
    public EnvironmentStacks EdgeElsewhere { get; }

    public EnvironmentStacks EdgeOffElsewhere { get; }

    /// <summary>Dev with the edge switched on and no domain for it.</summary>
    public EnvironmentStacks EdgeWithoutDomain { get; }

    /// <summary>Only the environment is given.</summary>
    public EnvironmentStacks Bare { get; }

    /// <summary>Hex digits as a digest never shows them: ECR reports lowercase.</summary>
    public const string WrongDigest = "sha256:5F70BF18A086007016E948B04AED3B82103A36BEA41755B6CDDFAF10ACE3C6EF";

    /// <summary>A moving image tag, an uppercase digest, a repository without owner, a domain without its hosted zone or certificate.</summary>
    public EnvironmentStacks Wrong { get; }

    /// <summary>Prod with everything but a domain (a hosted zone alone names no site).</summary>
    public EnvironmentStacks Unsecured { get; }

    public void Dispose()
    {
        _work.Delete(recursive: true);
        GC.SuppressFinalize(this);
    }

    private static Dictionary<string, object?> Prod(string edge) => new()
    {
        ["env"] = "prod",
        ["imageTag"] = "3f2c1ab9d0e4",
        ["githubRepo"] = "acme/site",
        ["domain"] = "example.org",
        ["hostedZoneId"] = "Z0EXAMPLE12345",
        ["edge"] = edge,
    };

    private EnvironmentStacks Build(string name, Dictionary<string, object?> values, string? region = null)
    {
        var app = new App(new AppProps
        {
            Outdir = Path.Combine(_work.FullName, name, "cdk.out"),
            Context = CdkContext.Load(values),
        });
        var media = SynthesizedSite.CreateMediaFolder(_work.CreateSubdirectory(name));
        var context = DeploymentContext.Read(app.Node);
        return EnvironmentStacks.Create(app, context with { Region = region ?? context.Region }, media.FullName);
    }
}

public sealed class ContextTests(MisconfiguredApps apps) : IClassFixture<MisconfiguredApps>
{
    [Fact]
    public void AnUnknownEnvironmentIsRefusedWithTheChoices()
    {
        var app = new App(new AppProps { Context = new Dictionary<string, object> { ["env"] = "staging" } });

        var error = Assert.Throws<ArgumentException>(() => DeploymentContext.Read(app.Node));
        Assert.Contains("-c env=<dev|prod>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ContextValuesAreReadAndEmptyOnesCountAsMissing()
    {
        var app = new App(new AppProps
        {
            Context = new Dictionary<string, object>
            {
                ["env"] = "prod",
                ["imageTag"] = "",
                ["imageDigest"] = SynthesizedSite.ImageDigest,
                ["domain"] = "example.org",
                ["hostedZoneId"] = "Z1",
                ["certificateArn"] = "arn:aws:acm:us-east-1:1:certificate/x",
                ["githubRepo"] = "acme/site",
                ["githubOidcProviderArn"] = "arn:aws:iam::1:oidc-provider/x",
                ["alarmEmail"] = "oncall@example.org",
            },
        });

        var context = DeploymentContext.Read(app.Node);

        Assert.Same(EnvironmentSettings.Prod, context.Settings);
        Assert.Null(context.ImageTag);
        Assert.Equal(SynthesizedSite.ImageDigest, context.ImageDigest);
        Assert.Equal(("example.org", "Z1", "arn:aws:acm:us-east-1:1:certificate/x"), (context.Domain, context.HostedZoneId, context.CertificateArn));
        Assert.Equal(("acme/site", "arn:aws:iam::1:oidc-provider/x"), (context.GitHubRepository, context.OidcProviderArn));
        Assert.Equal("oncall@example.org", context.AlarmEmail);
    }

    [Fact]
    public void WithoutAnImageTagOnlyTheServiceStackFails()
    {
        Assert.Contains(Errors(apps.Bare.Service), e => e.Contains("-c imageTag=", StringComparison.Ordinal));
        Assert.Empty(Errors(apps.Bare.Data));
    }

    [Fact]
    public void TheLatestTagIsRefused() =>
        Assert.Contains(Errors(apps.Wrong.Service), e => e.Contains("never 'latest'", StringComparison.Ordinal));

    [Fact]
    public void ADigestThatIsNotSha256AndSixtyFourLowercaseHexDigitsIsRefused()
    {
        Assert.Contains(Errors(apps.Wrong.Service), e => e.Contains("-c imageDigest must be sha256:", StringComparison.Ordinal)
            && e.Contains(MisconfiguredApps.WrongDigest, StringComparison.Ordinal));
        Assert.DoesNotContain(Errors(apps.Bare.Service), e => e.Contains("imageDigest", StringComparison.Ordinal));
    }

    [Fact]
    public void ADomainWithoutAHostedZoneOrCertificateIsRefused() =>
        Assert.Contains(Errors(apps.Wrong.Service), e => e.Contains("-c hostedZoneId=", StringComparison.Ordinal)
            && e.Contains("-c certificateArn=", StringComparison.Ordinal));

    [Fact]
    public void TheEdgeOutsideUsEast1IsRefusedWithTheWayOutAndSwitchedOffItIsNot()
    {
        Assert.Contains(Errors(apps.EdgeElsewhere.Service), e => e.StartsWith("The edge (CloudFront) is made in us-east-1 only", StringComparison.Ordinal)
            && e.Contains("-c edge=off", StringComparison.Ordinal));
        Assert.Empty(Errors(apps.EdgeOffElsewhere.Service));
        Assert.Null(apps.EdgeOffElsewhere.Service.Node.TryFindChild("Edge"));
    }

    [Fact]
    public void TheEdgeWithoutADomainIsRefused() =>
        Assert.Contains(Errors(apps.EdgeWithoutDomain.Service), e => e.StartsWith("The edge (CloudFront) serves www.<domain>", StringComparison.Ordinal));

    [Fact]
    public void TheEdgeIsSwitchedOnOrOffForOneSynthAndNothingElseIsAccepted()
    {
        EnvironmentSettings Read(string edge) => DeploymentContext.Read(
            new App(new AppProps { Context = new Dictionary<string, object> { ["env"] = "dev", ["edge"] = edge } }).Node).Settings;

        Assert.True(Read("on").Edge);
        Assert.False(Read("off").Edge);
        Assert.Contains("-c edge is on or off", Assert.Throws<ArgumentException>(() => Read("yes")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDatabaseProxyIsSwitchedOnOrOffForOneSynthAndNothingElseIsAccepted()
    {
        EnvironmentSettings Read(string env, string proxy) => DeploymentContext.Read(
            new App(new AppProps { Context = new Dictionary<string, object> { ["env"] = env, ["proxy"] = proxy } }).Node).Settings;

        Assert.True(Read("dev", "on").DatabaseProxy);
        Assert.False(Read("prod", "off").DatabaseProxy);
        Assert.Contains("-c proxy is on or off", Assert.Throws<ArgumentException>(() => Read("prod", "yes")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProdWithoutADomainIsRefusedWithWhatToPass()
    {
        var errors = Errors(apps.Unsecured.Service);

        Assert.Contains(errors, e => e.StartsWith("prod is HTTPS only: pass -c domain=", StringComparison.Ordinal)
            && e.Contains("-c hostedZoneId=", StringComparison.Ordinal) && e.Contains("-c certificateArn=", StringComparison.Ordinal));
        Assert.Empty(Errors(apps.Unsecured.Data));
        Assert.Empty(Errors(apps.Unsecured.Ci));
    }

    [Fact]
    public void AHostedZoneWithoutItsDomainIsRefused() =>
        Assert.Contains(Errors(apps.Unsecured.Service), e => e.Contains("pass -c domain=<name> too", StringComparison.Ordinal));

    [Fact]
    public void DevMayBePlainHttp() =>
        Assert.DoesNotContain(Errors(apps.Bare.Service), e => e.Contains("HTTPS only", StringComparison.Ordinal));

    [Fact]
    public void TheCiStackNeedsTheGitHubRepositoryAsOwnerAndName()
    {
        Assert.Contains(Errors(apps.Bare.Ci), e => e.Contains("-c githubRepo=<owner>/<name>", StringComparison.Ordinal));
        Assert.Contains(Errors(apps.Wrong.Ci), e => e.Contains("-c githubRepo=<owner>/<name>", StringComparison.Ordinal));
    }

    private static List<string> Errors(Stack stack) => stack.Node.Metadata
        .Where(m => m.Type == "aws:cdk:error").Select(m => m.Data.ToString()!).ToList();
}
