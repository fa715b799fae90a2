using Amazon.CDK.Assertions;
using Site.Cdk.Tests.Synthesis;

namespace Site.Cdk.Tests;

public sealed class DatabaseTests(DevSite dev, ProdSite prod) : SiteTests(dev, prod)
{
    private static readonly string[] StatefulTypes =
    [
        "AWS::RDS::DBInstance", "AWS::RDS::DBSubnetGroup", "AWS::RDS::DBParameterGroup", "AWS::S3::Bucket", "AWS::SecretsManager::Secret",
    ];

    /// <summary>
    /// The major version alone: RDS creates new instances on its current default minor, so a new environment can still
    /// be created after RDS retires a minor, and later minors arrive in the maintenance window.
    /// </summary>
    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheDatabaseIsMySql84OnWhateverMinorRdsCurrentlyOffers(string env)
    {
        var instance = Site(env).Data.Only("AWS::RDS::DBInstance");

        Assert.Equal("mysql", instance.Str("Engine"));
        Assert.Equal("8.4", instance.Str("EngineVersion"));
        Assert.True(instance.At("AutoMinorVersionUpgrade").GetBoolean());
        // A major upgrade is a change of this code, never something RDS may do by itself.
        Assert.False(instance.Has("AllowMajorVersionUpgrade"));
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
    public void ProdDatabaseIsRetainedWithItsBackupsAndCreatedWithoutDeletionProtection()
    {
        var resource = Prod.Data.Resource(Prod.Data.IdOf("AWS::RDS::DBInstance", _ => true));

        Assert.Equal("RetainExceptOnCreate", resource.Str("DeletionPolicy"));
        Assert.Equal("Retain", resource.Str("UpdateReplacePolicy"));
        Assert.False(resource.At("Properties", "DeleteAutomatedBackups").GetBoolean());
        // Switched on by hand after the first deploy; a template that named it would switch it off again.
        Assert.False(resource.At("Properties").Has("DeletionProtection"));
    }

    [Fact]
    public void DevDatabaseCanBeTornDown()
    {
        var resource = Dev.Data.Resource(Dev.Data.IdOf("AWS::RDS::DBInstance", _ => true));

        Assert.False(resource.At("Properties").Has("DeletionProtection"));
        Assert.True(resource.At("Properties", "DeleteAutomatedBackups").GetBoolean());
        Assert.Equal("Delete", resource.Str("DeletionPolicy"));
    }

    /// <summary>
    /// Every resource of the stateful types (the database with its subnet and parameter groups, the buckets, the
    /// secrets) and every named log group (the app's, the database's, the web ACL's): the unnamed one is the media
    /// upload's own, which goes with it.
    /// </summary>
    [Theory, InlineData("dev", "Delete", "Delete"), InlineData("prod", "RetainExceptOnCreate", "Retain")]
    public void StatefulResourcesFollowTheEnvironmentsRemovalPolicy(string env, string onDelete, string onReplace)
    {
        var data = Site(env).Data.Template;
        var policy = Like.Object(("DeletionPolicy", onDelete), ("UpdateReplacePolicy", onReplace));

        Assert.All(StatefulTypes, type => data.AllResources(type, policy));
        var named = data.FindResources("AWS::Logs::LogGroup", Like.Object(("Properties", Like.Object(("LogGroupName", Match.AnyValue())))));
        Assert.NotEmpty(named);
        Assert.All(named.Values, group => Assert.Equal((onDelete, onReplace), ((string)group["DeletionPolicy"], (string)group["UpdateReplacePolicy"])));
    }

    /// <summary>
    /// The rollback of a failed first create deletes what that create made, unless it is kept by a plain Retain; a kept,
    /// named resource would make the retry fail on "already exists", and the failed stack would not be empty.
    /// </summary>
    [Fact]
    public void InProdTheRollbackOfAFailedCreateLeavesNothingNamedBehind()
    {
        var kept = new[] { Prod.Data, Prod.Service }.SelectMany(s => s.AllResources)
            .Where(r => r.Resource.Has("DeletionPolicy") && r.Resource.Str("DeletionPolicy") == "Retain").ToList();

        // Only the deletion-protected load balancer, which a rollback could not delete anyway: it has no name of its
        // own, so a retry creates the next one beside it.
        var loadBalancer = Assert.Single(kept);
        Assert.Equal("AWS::ElasticLoadBalancingV2::LoadBalancer", loadBalancer.Resource.Str("Type"));
        Assert.False(loadBalancer.Resource.At("Properties").Has("Name"));
        Assert.False(Dev.Service.Resource(loadBalancer.Id).Has("DeletionPolicy") && Dev.Service.Resource(loadBalancer.Id).Str("DeletionPolicy") == "Retain");
    }
}
