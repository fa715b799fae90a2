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
    public void TheDatabaseIsMySql84OnWhateverMinorRdsCurrentlyOffers(string env) =>
        Site(env).Data.Template.HasResourceProperties("AWS::RDS::DBInstance", Like.Object(
            ("Engine", "mysql"),
            ("EngineVersion", "8.4"),
            ("AutoMinorVersionUpgrade", true),
            // A major upgrade is a change of this code, never something RDS may do by itself.
            ("AllowMajorVersionUpgrade", Match.Absent())));

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheDatabaseIsMultiAzPrivateAndEncrypted(string env)
    {
        var data = Site(env).Data;

        data.Template.HasResourceProperties("AWS::RDS::DBInstance", Like.Object(
            ("MultiAZ", true), ("PubliclyAccessible", false), ("StorageEncrypted", true)));
        data.Template.HasResourceProperties("AWS::RDS::DBSubnetGroup", Like.Object(
            ("SubnetIds", data.Subnets(isPublic: false).Select(s => Like.Ref(s.Id)).ToArray())));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void IamAuthenticationIsOn(string env) =>
        Site(env).Data.Template.HasResourceProperties("AWS::RDS::DBInstance", Like.Object(("EnableIAMDatabaseAuthentication", true)));

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheParameterGroupRequiresTls(string env)
    {
        var data = Site(env).Data;

        data.Template.HasResourceProperties("AWS::RDS::DBParameterGroup", Like.Object(
            ("Family", "mysql8.4"), ("Parameters", Like.Object(("require_secure_transport", "ON")))));
        data.Template.HasResourceProperties("AWS::RDS::DBInstance", Like.Object(
            ("DBParameterGroupName", Like.Ref(data.IdOf("AWS::RDS::DBParameterGroup", _ => true)))));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void CredentialsAreGeneratedIntoSecretsManager(string env)
    {
        var data = Site(env).Data.Template;
        var secret = Assert.Single(data.FindResources("AWS::SecretsManager::Secret", Like.Object(("Properties", Like.Object(
            ("GenerateSecretString", Like.Object(
                ("GenerateStringKey", "password"), ("SecretStringTemplate", Match.StringLikeRegexp("\"username\":\"site_admin\""))))))))).Key;

        data.HasResourceProperties("AWS::RDS::DBInstance", Like.Object(("MasterUserPassword", Like.Dictionary(
            ("Fn::Join", new object[] { "", Like.ArrayWith("{{resolve:secretsmanager:", Like.Ref(secret)) })))));
    }

    [Theory, InlineData("dev", 0), InlineData("prod", 7)]
    public void BackupRetentionIsPerEnvironment(string env, int days) =>
        Site(env).Data.Template.HasResourceProperties("AWS::RDS::DBInstance", Like.Object(("BackupRetentionPeriod", days)));

    [Theory, InlineData("dev", "db.t4g.micro"), InlineData("prod", "db.m7g.large")]
    public void TheInstanceClassIsGravitonAndPerEnvironment(string env, string instanceClass) =>
        Site(env).Data.Template.HasResourceProperties("AWS::RDS::DBInstance", Like.Object(("DBInstanceClass", instanceClass)));

    [Theory, InlineData("dev"), InlineData("prod")]
    public void ErrorAndSlowQueryLogsGoToCloudWatchWithRetention(string env)
    {
        var data = Site(env).Data.Template;
        // The log groups are named by the instance's identifier, read from the instance.
        var instance = Site(env).Data.Only("AWS::RDS::DBInstance").Str("DBInstanceIdentifier");

        data.HasResourceProperties("AWS::RDS::DBInstance", Like.Object(("EnableCloudwatchLogsExports", new object[] { "error", "slowquery" })));
        // These two and no other under RDS's prefix: an export without its group would be kept forever.
        data.ResourcePropertiesCountIs("AWS::Logs::LogGroup", Like.Object(("LogGroupName", Match.StringLikeRegexp("^/aws/rds/instance/"))), 2);
        Assert.All(["error", "slowquery"], log => data.HasResourceProperties("AWS::Logs::LogGroup", Like.Object(
            ("LogGroupName", $"/aws/rds/instance/{instance}/{log}"), ("RetentionInDays", Match.AnyValue()))));
        data.HasResourceProperties("AWS::RDS::DBParameterGroup", Like.Object(("Parameters", Like.Object(("slow_query_log", "1")))));
    }

    [Fact]
    public void ProdDatabaseIsRetainedWithItsBackupsAndCreatedWithoutDeletionProtection() =>
        Prod.Data.Template.HasResource("AWS::RDS::DBInstance", Like.Object(
            ("DeletionPolicy", "RetainExceptOnCreate"),
            ("UpdateReplacePolicy", "Retain"),
            // Switched on by hand after the first deploy; a template that named it would switch it off again.
            ("Properties", Like.Object(("DeleteAutomatedBackups", false), ("DeletionProtection", Match.Absent())))));

    [Fact]
    public void DevDatabaseCanBeTornDown() =>
        Dev.Data.Template.HasResource("AWS::RDS::DBInstance", Like.Object(
            ("DeletionPolicy", "Delete"),
            ("Properties", Like.Object(("DeleteAutomatedBackups", true), ("DeletionProtection", Match.Absent())))));

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
        // Every resource of every type, which Template's assertions (one type at a time) cannot name.
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
