using System.Text.Json;
using Site.Cdk.Site;
using Site.Cdk.Tests.Synthesis;

namespace Site.Cdk.Tests;

/// <summary>Dev switched to IAM database authentication, the way an environment opts in.</summary>
public sealed class IamAuthSite() : SynthesizedSite("dev", null, null, s => s with { DatabaseAuth = DatabaseAuth.Iam });

public sealed class IamDatabaseAuthTests(IamAuthSite site) : IClassFixture<IamAuthSite>
{
    [Fact]
    public void TheAppConnectsAsTheIamUserWithATokenInsteadOfThePassword()
    {
        var container = Assert.Single(site.Service.Only("AWS::ECS::TaskDefinition").Items("ContainerDefinitions"));
        var environment = container.Items("Environment").ToDictionary(e => e.Str("Name"), e => e.At("Value"));
        var secrets = container.Items("Secrets").Select(s => s.Str("Name")).ToList();

        Assert.Equal("Iam", environment["Database__Auth"].GetString());
        Assert.Equal("site_app", environment["Database__User"].GetString());
        Assert.DoesNotContain("Database__Password", secrets);
        Assert.DoesNotContain("Database__User", secrets);
    }

    [Fact]
    public void TheTaskRoleMayConnectAsExactlyThatUser()
    {
        var connect = site.Service.Resources("AWS::IAM::Policy").SelectMany(p => p.Properties.Items("PolicyDocument", "Statement"))
            .Single(s => s.At("Action").Strings().SequenceEqual(["rds-db:connect"]));

        Assert.Equal("/site_app", connect.At("Resource", "Fn::Join", 1).EnumerateArray().Last().GetString());
        Assert.Equal(JsonValueKind.Object, connect.At("Resource").ValueKind);
    }
}
