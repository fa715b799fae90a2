using Constructs;

namespace Site.Cdk;

/// <summary>What a synth is for, from <c>-c key=value</c> context and the CDK environment variables.</summary>
public sealed record DeploymentContext(
    EnvironmentSettings Settings,
    string Region,
    string? ImageTag,
    string? ImageDigest,
    string? Domain,
    string? HostedZoneId,
    string? CertificateArn,
    string? GitHubRepository,
    string? OidcProviderArn,
    string? AlarmEmail)
{
    public const string DefaultRegion = "us-east-1";

    public static DeploymentContext Read(Node node)
    {
        string? Get(string key) => node.TryGetContext(key) is string value && value.Length > 0 ? value : null;

        var name = Get("env");
        var settings = EnvironmentSettings.Find(name) ?? throw new ArgumentException(
            $"Choose the environment with -c env=<{string.Join('|', EnvironmentSettings.All.Select(e => e.Name))}> (got '{name}').");
        bool? Switch(string key) => Get(key) switch
        {
            null => null,
            "on" => true,
            "off" => false,
            var other => throw new ArgumentException($"-c {key} is on or off (got '{other}')."),
        };

        if (Switch("edge") is { } edge)
        {
            settings = settings with { Edge = edge };
        }

        if (Switch("proxy") is { } proxy)
        {
            settings = settings with { DatabaseProxy = proxy };
        }
        return new DeploymentContext(
            settings,
            System.Environment.GetEnvironmentVariable("CDK_DEFAULT_REGION") ?? DefaultRegion,
            Get("imageTag"),
            Get("imageDigest"),
            Get("domain"),
            Get("hostedZoneId"),
            Get("certificateArn"),
            Get("githubRepo"),
            Get("githubOidcProviderArn"),
            Get("alarmEmail"));
    }
}
