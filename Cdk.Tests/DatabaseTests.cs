using Site.Cdk.Tests.Synthesis;

namespace Site.Cdk.Tests;

public sealed class DatabaseTests(DevSite dev, ProdSite prod) : SiteTests(dev, prod)
{
    private static readonly string[] StatefulTypes = ["AWS::RDS::DBInstance", "AWS::S3::Bucket", "AWS::SecretsManager::Secret"];

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheDatabaseIsMySql84(string env)
    {
        var instance = Site(env).Data.Only("AWS::RDS::DBInstance");

        Assert.Equal("mysql", instance.Str("Engine"));
        Assert.StartsWith("8.4.", instance.Str("EngineVersion"), StringComparison.Ordinal);
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheDatabaseIsMultiAzPrivateAndEncrypted(string env)
    {
        var data = Site(env).Data;
        var instance = data.Only("AWS::RDS::DBInstance");
        var privateSubnets = data.Subnets(isPublic: false).Select(s => s.Id).Order();

        Assert.True(instance.At("MultiAZ").GetBoolean());
        Assert.False(instance.At("PubliclyAccessible").GetBoolean());
        Assert.True(instance.At("StorageEncrypted").GetBoolean());
        Assert.Equal(privateSubnets, data.Only("AWS::RDS::DBSubnetGroup").Items("SubnetIds").Select(s => s.Target()).Order());
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void IamAuthenticationIsOn(string env) =>
        Assert.True(Site(env).Data.Only("AWS::RDS::DBInstance").At("EnableIAMDatabaseAuthentication").GetBoolean());

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheParameterGroupRequiresTls(string env)
    {
        var data = Site(env).Data;
        var group = data.Only("AWS::RDS::DBParameterGroup");

        Assert.Equal("mysql8.4", group.Str("Family"));
        Assert.Equal("ON", group.Str("Parameters", "require_secure_transport"));
        Assert.Equal(data.IdOf("AWS::RDS::DBParameterGroup", _ => true),
            data.Only("AWS::RDS::DBInstance").At("DBParameterGroupName").Target());
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void CredentialsAreGeneratedIntoSecretsManager(string env)
    {
        var data = Site(env).Data;
        var instance = data.Only("AWS::RDS::DBInstance");
        var secret = data.Resources("AWS::SecretsManager::Secret").Single(s => s.Properties.Has("GenerateSecretString")
            && s.Properties.Str("GenerateSecretString", "GenerateStringKey") == "password").Properties;

        Assert.Contains("\"username\":\"site_admin\"", secret.Str("GenerateSecretString", "SecretStringTemplate"), StringComparison.Ordinal);
        Assert.Contains("{{resolve:secretsmanager:", instance.At("MasterUserPassword").ToString(), StringComparison.Ordinal);
    }

    [Theory, InlineData("dev", 0), InlineData("prod", 7)]
    public void BackupRetentionIsPerEnvironment(string env, int days) =>
        Assert.Equal(days, Site(env).Data.Only("AWS::RDS::DBInstance").Int("BackupRetentionPeriod"));

    [Theory, InlineData("dev", "db.t4g.micro"), InlineData("prod", "db.m7g.large")]
    public void TheInstanceClassIsGravitonAndPerEnvironment(string env, string instanceClass) =>
        Assert.Equal(instanceClass, Site(env).Data.Only("AWS::RDS::DBInstance").Str("DBInstanceClass"));

    [Theory, InlineData("dev"), InlineData("prod")]
    public void ErrorAndSlowQueryLogsGoToCloudWatchWithRetention(string env)
    {
        var data = Site(env).Data;
        var instance = data.Only("AWS::RDS::DBInstance");
        var groups = data.Resources("AWS::Logs::LogGroup").Select(g => g.Properties)
            .Where(g => g.Has("LogGroupName") && g.Str("LogGroupName").StartsWith("/aws/rds/instance/", StringComparison.Ordinal))
            .ToList();

        Assert.Equal(["error", "slowquery"], instance.Items("EnableCloudwatchLogsExports").Select(e => e.GetString()).Order());
        Assert.Equal(["error", "slowquery"], groups.Select(g => g.Str("LogGroupName").Split('/')[^1]).Order());
        Assert.All(groups, g => Assert.StartsWith($"/aws/rds/instance/{instance.Str("DBInstanceIdentifier")}/",
            g.Str("LogGroupName"), StringComparison.Ordinal));
        Assert.Equal("1", data.Only("AWS::RDS::DBParameterGroup").Str("Parameters", "slow_query_log"));
    }

    [Fact]
    public void ProdDatabaseIsDeletionProtectedAndRetained()
    {
        var resource = Prod.Data.Resource(Prod.Data.IdOf("AWS::RDS::DBInstance", _ => true));

        Assert.True(resource.At("Properties", "DeletionProtection").GetBoolean());
        Assert.Equal("Retain", resource.Str("DeletionPolicy"));
        Assert.Equal("Retain", resource.Str("UpdateReplacePolicy"));
    }

    [Fact]
    public void DevDatabaseCanBeTornDown()
    {
        var resource = Dev.Data.Resource(Dev.Data.IdOf("AWS::RDS::DBInstance", _ => true));

        Assert.False(resource.At("Properties", "DeletionProtection").GetBoolean());
        Assert.Equal("Delete", resource.Str("DeletionPolicy"));
    }

    [Theory, InlineData("dev", "Delete"), InlineData("prod", "Retain")]
    public void StatefulResourcesFollowTheEnvironmentsRemovalPolicy(string env, string policy)
    {
        var data = Site(env).Data;
        var stateful = StatefulTypes.SelectMany(type => data.Resources(type)).ToList();

        // Database, media and access-log buckets, database credentials, admin and data protection secrets.
        Assert.Equal(6, stateful.Count);
        Assert.All(stateful, r => Assert.Equal(policy, data.Resource(r.Id).Str("DeletionPolicy")));
    }
}
