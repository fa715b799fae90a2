using System.Text.Json;
using Site.Cdk.Tests.Synthesis;
using Site.Web.Notifications;
using static Site.Cdk.Tests.Synthesis.TaskContainers;

namespace Site.Cdk.Tests;

public sealed class MailTests(DevSite dev, ProdSite prod, ImportedCertificateSite imported) : SiteTests(dev, prod)
{
    private static string MailSecretId(SynthesizedSite site) => site.Data.IdOf("AWS::SecretsManager::Secret",
        s => s.Has("SecretString") && s.Str("SecretString").Contains($"\"{MailSecret.FromField}\"", StringComparison.Ordinal));

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheMailSecretStartsWithEveryFieldSwitchedOffAndItsArnIsAnOutput(string env)
    {
        var id = MailSecretId(Site(env));
        var secret = Site(env).Data.Resource(id).At("Properties");
        using var value = JsonDocument.Parse(secret.Str("SecretString"));

        Assert.False(secret.Has("GenerateSecretString"));
        Assert.Equal(
            [(MailSecret.UsernameField, "off"), (MailSecret.PasswordField, "off"), (MailSecret.FromField, "off"), (MailSecret.ToField, "off")],
            value.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetString())).ToArray());
        Assert.Equal(id, Site(env).Data.Output("MailSecretArn").At("Value").Target());
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheWebTasksSendThroughSesInTheirRegionWithTheSecretsCredentialsAndAddresses(string env)
    {
        var web = WebContainer(Site(env));
        var environment = EnvironmentOf(web);
        var secrets = SecretsOf(web);

        Assert.Equal($"email-smtp.{SynthesizedSite.Region}.amazonaws.com", environment["Mail__Host"].GetString());
        Assert.Equal("587", environment["Mail__Port"].GetString());
        Assert.Equal("StartTls", environment["Mail__Security"].GetString());
        Assert.Equal($"https://github.com/{SynthesizedSite.GitHubRepository}/blob/main/docs/owner-guide.md#e-mail", environment["Mail__GuideUrl"].GetString());
        AssertSecretField(secrets["Mail__Username"], MailSecretId(Site(env)), MailSecret.UsernameField);
        AssertSecretField(secrets["Mail__Password"], MailSecretId(Site(env)), MailSecret.PasswordField);
        AssertSecretField(secrets["Mail__From"], MailSecretId(Site(env)), MailSecret.FromField);
        AssertSecretField(secrets["Mail__To"], MailSecretId(Site(env)), MailSecret.ToField);
        Assert.DoesNotContain(environment.Keys, k => k is "Mail__Username" or "Mail__Password" or "Mail__From" or "Mail__To");
    }

    [Fact]
    public void WithARoute53ZoneTheDomainIsAnSesIdentityWithItsDkimRecordsInTheZone()
    {
        var identity = Prod.Service.Only("AWS::SES::EmailIdentity");
        var records = Prod.Service.Resources("AWS::Route53::RecordSet").Select(r => r.Properties).Where(r => r.Str("Type") == "CNAME").ToList();

        Assert.Equal("example.org", identity.Str("EmailIdentity"));
        Assert.Equal(3, records.Count);
        Assert.All(records, r => Assert.Equal("Z0EXAMPLE12345", r.Str("HostedZoneId")));
        Assert.Equal(["DkimDNSTokenName1", "DkimDNSTokenName2", "DkimDNSTokenName3"],
            records.Select(r => r.At("Name", "Fn::GetAtt", 1).GetString()!).Order());
        Assert.DoesNotContain(Prod.Service.Json.GetProperty("Outputs").EnumerateObject(), o => o.Name.Contains("DkimRecords", StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutAZoneTheDomainIsAnSesIdentityAndTheDkimRecordsToMakeAreAnOutput()
    {
        var identity = imported.Service.Only("AWS::SES::EmailIdentity");
        var output = imported.Service.Json.GetProperty("Outputs").EnumerateObject().Single(o => o.Name.Contains("DkimRecords", StringComparison.Ordinal));

        Assert.Equal("example.net", identity.Str("EmailIdentity"));
        Assert.Empty(imported.Service.Resources("AWS::Route53::RecordSet"));
        Assert.Equal(3, output.Value.At("Value").GetRawText().Split("CNAME").Length - 1);
    }

    [Fact]
    public void WithoutADomainThereIsNoSesIdentity() => Assert.Empty(Dev.Service.Resources("AWS::SES::EmailIdentity"));
}
