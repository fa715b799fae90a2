using Amazon.CDK;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;
using Site.Web.Notifications;

namespace Site.Cdk.Data;

public sealed record MailAccountProps
{
    public required RemovalPolicy RemovalPolicy { get; init; }
}

/// <summary>
/// The SMTP credentials and addresses of mail to the owner, as a secret with the fields the app reads
/// (<see cref="MailSecret"/>). It starts with every field switched off, so a new deploy boots with e-mail off; the
/// owner fills it in (docs/deploy.md). As with the admin secret, CloudFormation writes the value only when the secret
/// is created or this starting value changes, so deploys keep what the owner stored.
/// </summary>
public sealed class MailAccount : Construct
{
    public MailAccount(Construct scope, string id, MailAccountProps props) : base(scope, id)
    {
        Secret = new Secret(this, "Secret", new SecretProps
        {
            Description = "SMTP credentials (Amazon SES) and addresses for mail to the site's owner: replace every "
                + $"'{MailSecret.SwitchedOff}' to switch e-mail on (docs/deploy.md, E-mail)",
            SecretObjectValue = MailSecret.Settings.ToDictionary(s => s.Field, _ => SecretValue.UnsafePlainText(MailSecret.SwitchedOff)),
            RemovalPolicy = props.RemovalPolicy,
        });
        NagSuppressions.Add(Secret, new NagSuppression("AwsSolutions-SMG4",
            "It holds SES SMTP credentials derived from an IAM user's key, which the owner replaces by hand; a rotation function could not create them"));
    }

    public Secret Secret { get; }
}
