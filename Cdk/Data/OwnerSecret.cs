using Amazon.CDK;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;

namespace Site.Cdk.Data;

public sealed record OwnerSecretProps
{
    public required string Description { get; init; }

    /// <summary>The fields the app reads, each with the value that keeps its feature switched off until the owner stores a real one.</summary>
    public required IReadOnlyDictionary<string, string> StartingValues { get; init; }

    /// <summary>Why no rotation function replaces what the owner stored (cdk-nag's AwsSolutions-SMG4).</summary>
    public required string NotRotatedBecause { get; init; }

    public required RemovalPolicy RemovalPolicy { get; init; }
}

/// <summary>
/// A secret the owner fills in by hand (the admin sign-in, the mail account), with the fields the app reads. It starts
/// with its feature switched off: nothing in it is secret until the owner stores real values, so the starting values
/// are written into the template as they are. CloudFormation writes the value only when the secret is created or the
/// starting value changes, so deploys keep what the owner stored; changing the starting value here would overwrite it.
/// </summary>
public sealed class OwnerSecret : Construct
{
    public OwnerSecret(Construct scope, string id, OwnerSecretProps props) : base(scope, id)
    {
        Secret = new Secret(this, "Secret", new SecretProps
        {
            Description = props.Description,
            SecretObjectValue = props.StartingValues.ToDictionary(field => field.Key, field => SecretValue.UnsafePlainText(field.Value)),
            RemovalPolicy = props.RemovalPolicy,
        });
        NagSuppressions.Add(Secret, new NagSuppression("AwsSolutions-SMG4", props.NotRotatedBecause));
    }

    public Secret Secret { get; }
}
