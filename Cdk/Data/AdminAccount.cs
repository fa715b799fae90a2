using Amazon.CDK;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;
using Site.Web.Admin;

namespace Site.Cdk.Data;

public sealed record AdminAccountProps
{
    public required RemovalPolicy RemovalPolicy { get; init; }
}

/// <summary>
/// The owner's sign-in for /admin as a secret with the fields the app reads (<see cref="AdminSecret"/>). It starts
/// with the admin area switched off: nothing in it is secret until the owner stores a real hash, so it is written
/// into the template as it is. CloudFormation writes the value only when the secret is created or this starting
/// value changes, so deploys keep the hash the owner stored; changing the value here would overwrite it.
/// </summary>
public sealed class AdminAccount : Construct
{
    public AdminAccount(Construct scope, string id, AdminAccountProps props) : base(scope, id)
    {
        Secret = new Secret(this, "Secret", new SecretProps
        {
            Description = $"Owner sign-in for /admin: store the output of `hash-password` as {AdminSecret.PasswordHashField} to switch it on",
            SecretObjectValue = new Dictionary<string, SecretValue>
            {
                [AdminSecret.UserField] = SecretValue.UnsafePlainText(AdminSecret.DefaultUser),
                [AdminSecret.PasswordHashField] = SecretValue.UnsafePlainText(AdminSecret.SwitchedOff),
            },
            RemovalPolicy = props.RemovalPolicy,
        });
        NagSuppressions.Add(Secret, new NagSuppression("AwsSolutions-SMG4",
            "It holds the hash of the password the owner chose; a rotation would replace it and lock the owner out"));
    }

    public Secret Secret { get; }
}
