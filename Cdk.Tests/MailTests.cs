using Amazon.CDK.Assertions;
using Site.Cdk.Tests.Synthesis;
using Site.Web.Notifications;
using static Site.Cdk.Tests.Synthesis.TaskContainers;

namespace Site.Cdk.Tests;

public sealed class MailTests(DevSite dev, ProdSite prod, ImportedCertificateSite imported) : SiteTests(dev, prod)
{
    /// <summary>Each setting the web tasks read from a field of the mail secret.</summary>
    private static readonly (string Variable, string Field)[] SecretSettings =
    [
        ("Mail__Username", MailSecret.UsernameField), ("Mail__Password", MailSecret.PasswordField),
        ("Mail__From", MailSecret.FromField), ("Mail__To", MailSecret.ToField),
    ];

    /// <summary>How the output listing the DKIM records, made when there is no zone to put them in, is described.</summary>
    private static readonly Matcher DkimRecordsDescription = Match.StringLikeRegexp("^CNAME records that verify the domain");

    private static string MailSecretId(SynthesizedSite site) => site.Data.IdWith("AWS::SecretsManager::Secret",
        Like.Dictionary(("SecretString", Match.SerializedJson(Like.Object((MailSecret.FromField, Match.AnyValue()))))));

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheMailSecretStartsWithEveryFieldSwitchedOffAndItsArnIsAnOutput(string env)
    {
        var data = Site(env).Data;
        var id = MailSecretId(Site(env));

        data.HasResourceProperties("AWS::SecretsManager::Secret", id, Like.Dictionary(
            ("SecretString", Match.SerializedJson(Match.ObjectEquals(SecretSettings.ToDictionary(s => s.Field, object (_) => "off")))),
            ("GenerateSecretString", Match.Absent())));
        data.Template.HasOutput("MailSecretArn", Like.Object(("Value", Like.Ref(id))));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheWebTasksSendThroughSesInTheirRegionWithTheSecretsCredentialsAndAddresses(string env)
    {
        var site = Site(env);
        var settings = new Dictionary<string, string>
        {
            ["Mail__Host"] = $"email-smtp.{SynthesizedSite.Region}.amazonaws.com",
            ["Mail__Port"] = "587",
            ["Mail__Security"] = "StartTls",
            ["Mail__GuideUrl"] = $"https://github.com/{SynthesizedSite.GitHubRepository}/blob/main/docs/owner-guide.md#e-mail",
        };

        foreach (var (name, value) in settings)
        {
            AssertWebContainer(site, ("Environment", Like.ArrayWith(Like.Object(("Name", name), ("Value", value)))));
        }
        foreach (var (name, field) in SecretSettings)
        {
            // ECS reads one JSON field of the secret, which the data stack exports, when ValueFrom is "arn:field::".
            var valueFrom = Like.Dictionary(("Fn::Join", new object[]
            {
                "", new object[] { Like.Dictionary(("Fn::ImportValue", Match.StringLikeRegexp($"Ref{MailSecretId(site)}"))), $":{field}::" },
            }));
            AssertWebContainer(site,
                ("Secrets", Like.ArrayWith(Like.Object(("Name", name), ("ValueFrom", valueFrom)))),
                ("Environment", Match.Not(Like.ArrayWith(Like.Object(("Name", name))))));
        }
    }

    [Fact]
    public void WithARoute53ZoneTheDomainIsAnSesIdentityWithItsDkimRecordsInTheZone()
    {
        var service = Prod.Service;
        var identity = service.IdOf("AWS::SES::EmailIdentity", _ => true);

        service.Template.HasResourceProperties("AWS::SES::EmailIdentity", Like.Object(("EmailIdentity", "example.org")));
        // SES's three DKIM tokens, and no other CNAME.
        service.Template.ResourcePropertiesCountIs("AWS::Route53::RecordSet", Like.Object(("Type", "CNAME")), 3);
        foreach (var token in new[] { 1, 2, 3 })
        {
            service.Template.HasResourceProperties("AWS::Route53::RecordSet", Like.Object(
                ("Type", "CNAME"),
                ("HostedZoneId", "Z0EXAMPLE12345"),
                ("Name", Like.Dictionary(("Fn::GetAtt", new object[] { identity, $"DkimDNSTokenName{token}" })))));
        }
        Assert.Empty(service.Template.FindOutputs("*", Like.Object(("Description", DkimRecordsDescription))));
    }

    [Fact]
    public void WithoutAZoneTheDomainIsAnSesIdentityAndTheDkimRecordsToMakeAreAnOutput()
    {
        var service = imported.Service;
        var identity = service.IdOf("AWS::SES::EmailIdentity", _ => true);
        object Record(int token) => Like.Dictionary(("Fn::Join", new object[]
        {
            "", new object[]
            {
                Like.Dictionary(("Fn::GetAtt", new object[] { identity, $"DkimDNSTokenName{token}" })),
                " CNAME ",
                Like.Dictionary(("Fn::GetAtt", new object[] { identity, $"DkimDNSTokenValue{token}" })),
            },
        }));

        service.Template.HasResourceProperties("AWS::SES::EmailIdentity", Like.Object(("EmailIdentity", "example.net")));
        service.Template.ResourceCountIs("AWS::Route53::RecordSet", 0);
        service.Template.HasOutput("*", Like.Object(
            ("Description", DkimRecordsDescription),
            ("Value", Like.Dictionary(("Fn::Join", new object[] { " ; ", new object[] { Record(1), Record(2), Record(3) } })))));
    }

    [Fact]
    public void WithoutADomainThereIsNoSesIdentity() => Dev.Service.Template.ResourceCountIs("AWS::SES::EmailIdentity", 0);
}
