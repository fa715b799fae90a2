using System.Text.Json;
using Amazon.CDK.Assertions;
using Site.Cdk.Data;
using Site.Cdk.Service;
using Site.Cdk.Tests.Synthesis;
using Site.Web.Data;
using Site.Web.Hosting;
using static Site.Cdk.Tests.Synthesis.TaskContainers;

namespace Site.Cdk.Tests;

/// <summary>An environment not yet switched to IAM database authentication, as one deployed before the switch was.</summary>
public sealed class PasswordAuthSite() : SynthesizedSite("dev", null, null, s => s with { DatabaseAuth = DatabaseAuth.Password });

/// <summary>
/// Least privilege for the database: the web container signs in as the IAM user with tokens and never holds the
/// master password, which only the provisioning step reads (and which rotates).
/// </summary>
public sealed class DatabaseSignInTests(DevSite dev, ProdSite prod) : SiteTests(dev, prod)
{
    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheWebContainerSignsInAsTheIamUserAndHasNoSecretFromTheMasterSecret(string env)
    {
        var web = WebContainer(Site(env));
        var environment = EnvironmentOf(web);

        Assert.Equal("Iam", environment["Database__Auth"].GetString());
        Assert.Equal(Site(env).Settings.IamDatabaseUser, environment["Database__User"].GetString());
        Assert.DoesNotContain(SecretsOf(web).Values, valueFrom => ReadsMasterSecret(Site(env), valueFrom));
        Assert.DoesNotContain(environment.Keys, name => name == "Database__Password");
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void AStepThatHoldsTheMasterSecretCreatesTheIamUserAndEndsBeforeTheWebContainerStarts(string env)
    {
        var site = Site(env);
        var provision = Named(site, WebService.ProvisionContainerName);
        var environment = EnvironmentOf(provision);
        var attachment = site.Data.IdOf("AWS::SecretsManager::SecretTargetAttachment", _ => true);

        Assert.False(provision.At("Essential").GetBoolean());
        Assert.Equal([AppCommands.ProvisionDatabase], provision.Items("Command").Select(c => c.GetString()));
        Assert.Equal(WebContainer(site).At("Image").ToString(), provision.At("Image").ToString());
        Assert.Equal("Password", environment["Database__Auth"].GetString());
        Assert.Equal(site.Settings.IamDatabaseUser, environment["Database__IamUser"].GetString());
        Assert.Equal("VerifyFull", environment["Database__SslMode"].GetString());
        AssertSecretField(SecretsOf(provision)["Database__User"], attachment, "username");
        AssertSecretField(SecretsOf(provision)["Database__Password"], attachment, "password");
        Assert.False(provision.Has("PortMappings"));

        var dependency = Assert.Single(WebContainer(site).Items("DependsOn"));
        Assert.Equal((WebService.ProvisionContainerName, "SUCCESS"), (dependency.Str("ContainerName"), dependency.Str("Condition")));
    }

    /// <summary>"Exactly" and "no secret" cover every statement of the role's policies, which only their JSON lists.</summary>
    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheTaskRoleMayConnectAsExactlyTheIamUserAndReadNoSecret(string env)
    {
        var site = Site(env);
        var statements = site.TaskRoleStatements;

        var connect = Assert.Single(statements, s => s.At("Action").Strings().Any(a => a.StartsWith("rds-db:", StringComparison.Ordinal)));
        Assert.Equal(["rds-db:connect"], connect.At("Action").Strings());
        Assert.Equal($"/{site.Settings.IamDatabaseUser}", connect.At("Resource", "Fn::Join", 1).EnumerateArray().Last().GetString());
        Assert.DoesNotContain(statements, s => s.At("Action").Strings().Any(a => a.StartsWith("secretsmanager:", StringComparison.Ordinal)));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheMasterSecretRotatesOnASchedule(string env)
    {
        var data = Site(env).Data;

        Assert.True(Database.MasterPasswordRotation.ToDays() <= 90);
        data.Template.HasResourceProperties("AWS::SecretsManager::RotationSchedule", Like.Object(
            ("SecretId", Like.Ref(data.IdOf("AWS::SecretsManager::SecretTargetAttachment", _ => true))),
            ("RotationRules", Like.Dictionary(("ScheduleExpression", $"rate({Database.MasterPasswordRotation.ToDays()} days)"))),
            ("RotationLambdaARN", Like.Dictionary(("Fn::GetAtt", new object[] { Match.StringLikeRegexp("RotationSingleUser"), Match.AnyValue() })))));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheRotationFunctionJoinsTheSiteTasksGroupSoTheDatabaseStillAdmitsOneGroup(string env)
    {
        var data = Site(env).Data;
        var appGroup = data.IdOf("AWS::EC2::SecurityGroup", g => g.Str("GroupDescription").StartsWith("Site tasks", StringComparison.Ordinal));

        data.Template.HasResourceProperties("AWS::Serverless::Application", Like.Object(("Parameters", Like.Object(
            ("vpcSecurityGroupIds", Like.Dictionary(("Fn::GetAtt", new object[] { appGroup, "GroupId" })))))));
    }

    private static bool ReadsMasterSecret(SynthesizedSite site, JsonElement valueFrom)
    {
        var attachment = site.Data.IdOf("AWS::SecretsManager::SecretTargetAttachment", _ => true);
        var credentials = site.Data.IdOf("AWS::SecretsManager::Secret",
            s => s.Has("GenerateSecretString") && s.Str("GenerateSecretString", "SecretStringTemplate").Contains("username", StringComparison.Ordinal));
        var text = valueFrom.ToString();
        return text.Contains(attachment, StringComparison.Ordinal) || text.Contains(credentials, StringComparison.Ordinal);
    }
}

/// <summary>Before the switch: the site itself holds the master password and creates the IAM user ahead of it.</summary>
public sealed class PasswordSignInTests(PasswordAuthSite site) : IClassFixture<PasswordAuthSite>
{
    [Fact]
    public void WithThePasswordTheWebContainerCreatesTheIamUserAheadOfASwitchAndNeedsNoProvisioningStep()
    {
        var web = WebContainer(site);
        var attachment = site.Data.IdOf("AWS::SecretsManager::SecretTargetAttachment", _ => true);

        Assert.Equal("Password", EnvironmentOf(web)["Database__Auth"].GetString());
        Assert.Equal("site_app", EnvironmentOf(web)["Database__IamUser"].GetString());
        AssertSecretField(SecretsOf(web)["Database__User"], attachment, "username");
        AssertSecretField(SecretsOf(web)["Database__Password"], attachment, "password");
        site.Service.Template.HasResourceProperties("AWS::ECS::TaskDefinition", Like.Object(
            ("ContainerDefinitions", new object[] { Like.Object(("Name", WebService.ContainerName)) })));
    }
}
