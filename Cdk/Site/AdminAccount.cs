using Amazon.CDK;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;

namespace Site.Cdk.Site;

public sealed record AdminAccountProps(RemovalPolicy RemovalPolicy);

/// <summary>
/// The owner's sign-in for /admin as a secret with the fields the app reads. The generated passwordHash is
/// random text, not a hash, so nobody can sign in until the owner stores a real hash in the secret.
/// </summary>
public sealed class AdminAccount : Construct
{
    public const string UserField = "user";
    public const string PasswordHashField = "passwordHash";
    public const string DefaultUser = "owner";

    public AdminAccount(Construct scope, string id, AdminAccountProps props) : base(scope, id)
    {
        Secret = new Secret(this, "Secret", new SecretProps
        {
            Description = "Owner sign-in for /admin; replace passwordHash with a real hash to enable it",
            GenerateSecretString = new SecretStringGenerator
            {
                SecretStringTemplate = $$"""{"{{UserField}}":"{{DefaultUser}}"}""",
                GenerateStringKey = PasswordHashField,
                PasswordLength = 48,
                ExcludePunctuation = true,
            },
            RemovalPolicy = props.RemovalPolicy,
        });
    }

    public Secret Secret { get; }
}
