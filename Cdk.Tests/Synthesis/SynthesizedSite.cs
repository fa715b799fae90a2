using System.Text.Json;
using Amazon.CDK;
using Site.Cdk.Service;

namespace Site.Cdk.Tests.Synthesis;

/// <summary>
/// All stacks of one environment synthesized once, composed and configured through context as `cdk synth`
/// does it, with the feature flags from cdk.json. Shared by every test class of the collection: synthesis is the expensive part.
/// </summary>
public abstract class SynthesizedSite : IDisposable
{
    public const string Region = "us-east-1";
    public const string GitHubRepository = "acme/site";
    public const string ImageTag = "3f2c1ab9d0e4";
    public const string ImageDigest = "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef";
    public const string MediaFile = "hero.jpg";

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("site-cdk-tests-");

    protected SynthesizedSite(string environment, SiteDomain? domain, string? existingOidcProviderArn,
        Func<EnvironmentSettings, EnvironmentSettings>? adjust = null, string? alarmEmail = null, string? imageDigest = null)
    {
        var media = CreateMediaFolder(_work);
        var app = new App(new AppProps
        {
            Outdir = Path.Combine(_work.FullName, "cdk.out"),
            Context = CdkContext.Load(new Dictionary<string, object?>
            {
                ["env"] = environment,
                ["imageTag"] = ImageTag,
                ["imageDigest"] = imageDigest,
                ["githubRepo"] = GitHubRepository,
                ["githubOidcProviderArn"] = existingOidcProviderArn,
                ["domain"] = domain?.ZoneName,
                ["hostedZoneId"] = domain?.HostedZoneId,
                ["certificateArn"] = domain?.CertificateArn,
                ["alarmEmail"] = alarmEmail,
            }),
        });
        var context = DeploymentContext.Read(app.Node);
        Settings = adjust?.Invoke(context.Settings) ?? context.Settings;
        Domain = domain;
        _ = EnvironmentStacks.Create(app, context with { Settings = Settings, Region = Region }, media.FullName);
        var assembly = app.Synth();

        StackTemplate Load(string component)
        {
            var name = Settings.StackName(component);
            var stack = assembly.GetStackByName(name);
            return new StackTemplate(name,
                File.ReadAllText(Path.Combine(assembly.Directory, stack.TemplateFile)),
                Path.Combine(assembly.Directory, $"{name}.assets.json"));
        }

        Ci = Load("ci");
        Data = Load("data");
        Service = Load("service");
        AssemblyDirectory = assembly.Directory;
    }

    public EnvironmentSettings Settings { get; }

    public SiteDomain? Domain { get; }

    public StackTemplate Ci { get; }

    public StackTemplate Data { get; }

    public StackTemplate Service { get; }

    public IEnumerable<StackTemplate> Stacks => [Ci, Data, Service];

    public string AssemblyDirectory { get; }

    /// <summary>The media bucket among the data stack's buckets (the other holds the load balancer's access logs).</summary>
    public string MediaBucketId => Assert.Single(Data.Resources("AWS::S3::Bucket"), b => b.Id.StartsWith("Media", StringComparison.Ordinal)).Id;

    /// <summary>Every statement of the policies attached to the web tasks' role.</summary>
    public IReadOnlyList<JsonElement> TaskRoleStatements
    {
        get
        {
            var taskRole = Service.Only("AWS::ECS::TaskDefinition").At("TaskRoleArn").Target();
            return Service.Resources("AWS::IAM::Policy")
                .Where(p => p.Properties.Items("Roles").Any(r => r.Target() == taskRole))
                .SelectMany(p => p.Properties.Items("PolicyDocument", "Statement")).ToList();
        }
    }

    /// <summary>A stand-in for Web/media: the upload is tested on one small file.</summary>
    public static DirectoryInfo CreateMediaFolder(DirectoryInfo parent)
    {
        var media = parent.CreateSubdirectory("media");
        File.WriteAllBytes(Path.Combine(media.FullName, MediaFile), [0xFF, 0xD8, 0xFF, 0xE0]);
        return media;
    }

    public void Dispose()
    {
        _work.Delete(recursive: true);
        GC.SuppressFinalize(this);
    }
}

/// <summary>Dev without a domain: plain HTTP on the load balancer's name, a new OIDC provider, the image by tag.</summary>
public sealed class DevSite() : SynthesizedSite("dev", null, null);

/// <summary>
/// Prod with a domain: HTTPS on www, the account's existing OIDC provider imported by ARN, alarms mailed to on-call,
/// the image by digest as deploy.yml names it.
/// </summary>
public sealed class ProdSite() : SynthesizedSite(
    "prod", new SiteDomain("example.org", "Z0EXAMPLE12345", null), ProviderArn, alarmEmail: AlarmEmail, imageDigest: ImageDigest)
{
    public const string ProviderArn = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";
    public const string AlarmEmail = "oncall@example.org";
}

/// <summary>Prod for a domain whose DNS is elsewhere: an imported ACM certificate, no Route 53 zone.</summary>
public sealed class ImportedCertificateSite() : SynthesizedSite(
    "prod", new SiteDomain("example.net", null, CertificateArn), ProdSite.ProviderArn)
{
    public const string CertificateArn = "arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
}

[CollectionDefinition(Name)]
public sealed class SharedSynthesis : ICollectionFixture<DevSite>, ICollectionFixture<ProdSite>, ICollectionFixture<ImportedCertificateSite>
{
    public const string Name = "Synthesized site";
}

/// <summary>Base of the test classes: both environments, picked by name in theories.</summary>
[Collection(SharedSynthesis.Name)]
public abstract class SiteTests(DevSite dev, ProdSite prod)
{
    protected DevSite Dev { get; } = dev;

    protected ProdSite Prod { get; } = prod;

    protected SynthesizedSite Site(string environment) => environment switch
    {
        "dev" => Dev,
        "prod" => Prod,
        _ => throw new ArgumentOutOfRangeException(nameof(environment), environment, null),
    };

    protected IEnumerable<SynthesizedSite> BothSites => [Dev, Prod];
}
