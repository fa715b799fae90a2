using System.Text.Json;
using System.Text.RegularExpressions;
using Match = Amazon.CDK.Assertions.Match;
using Site.Cdk.Tests.Synthesis;
using Site.Web.Admin;
using Site.Web.Hosting;
using Site.Web.Notifications;

namespace Site.Cdk.Tests;

/// <summary>Rules every resource of every stack must follow, whatever construct created it.</summary>
public sealed partial class SecurityRuleTests(DevSite dev, ProdSite prod) : SiteTests(dev, prod)
{
    private static readonly int[] WebPorts = [80, 443];
    private static readonly string[] PublicAccessSettings = ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"];

    private IEnumerable<StackTemplate> AllStacks => BothSites.SelectMany(s => s.Stacks);

    /// <summary>
    /// Every ingress rule, inline or separate, is read as JSON: Assertions finds a resource with a rule, it cannot say
    /// that no rule anywhere but these two admits the internet.
    /// </summary>
    [Fact]
    public void OnlyTheLoadBalancerAdmitsTheInternetAndOnlyOnHttpAndHttps()
    {
        foreach (var site in BothSites)
        {
            var loadBalancerGroup = site.Data.IdOf("AWS::EC2::SecurityGroup",
                g => g.Str("GroupDescription").StartsWith("Load balancer", StringComparison.Ordinal));
            var open = site.Stacks.SelectMany(IngressRules).Where(r => r.Rule.Has("CidrIp") && r.Rule.Str("CidrIp") == "0.0.0.0/0"
                || r.Rule.Has("CidrIpv6") && r.Rule.Str("CidrIpv6") == "::/0").ToList();

            // With the edge on, CloudFront's prefix list alone reaches the load balancer (EdgeTests).
            Assert.Equal(site.Settings.Edge ? 0 : 2, open.Count);
            Assert.All(open, r =>
            {
                Assert.Equal(loadBalancerGroup, r.Group);
                Assert.Contains(r.Rule.Int("FromPort"), WebPorts);
                Assert.Equal(r.Rule.Int("FromPort"), r.Rule.Int("ToPort"));
            });
        }
    }

    [Fact]
    public void EveryLogGroupHasARetention()
    {
        var withGroups = AllStacks.Where(s => s.Template.FindResources("AWS::Logs::LogGroup").Count > 0).ToList();

        Assert.NotEmpty(withGroups);
        Assert.All(withGroups, s => s.Template.AllResourcesProperties("AWS::Logs::LogGroup", Like.Object(("RetentionInDays", Match.AnyValue()))));
    }

    /// <summary>
    /// The site's privacy page states LogKeeping.LongestDays as how long visitors' IP addresses are kept. The retentions
    /// are read as JSON: Assertions matches values, not bounds.
    /// </summary>
    [Fact]
    public void NoLogIsKeptLongerThanThePrivacyPageSays()
    {
        var groups = AllStacks.SelectMany(s => s.Resources("AWS::Logs::LogGroup")).ToList();
        var accessLogs = BothSites.SelectMany(site => site.Data.Resources("AWS::S3::Bucket"))
            .Where(b => b.Id.StartsWith("AccessLogs", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(accessLogs);
        Assert.All(groups, g => Assert.InRange(g.Properties.Int("RetentionInDays"), 1, LogKeeping.LongestDays));
        Assert.All(accessLogs, b => Assert.All(b.Properties.Items("LifecycleConfiguration", "Rules"),
            rule => Assert.InRange(rule.Int("ExpirationInDays"), 1, LogKeeping.LongestDays)));
    }

    [Fact]
    public void EveryBucketBlocksPublicAccessAndRefusesPlainHttp()
    {
        var blocked = Like.Object(("PublicAccessBlockConfiguration",
            Match.ObjectEquals(PublicAccessSettings.ToDictionary(setting => setting, object (_) => true))));

        foreach (var stack in AllStacks)
        {
            foreach (var id in stack.Template.FindResources("AWS::S3::Bucket").Keys)
            {
                stack.HasResourceProperties("AWS::S3::Bucket", id, blocked);
                stack.Template.HasResourceProperties("AWS::S3::BucketPolicy", Like.Object(
                    ("Bucket", Like.Ref(id)),
                    ("PolicyDocument", Like.Dictionary(("Statement", Like.ArrayWith(Like.Object(
                        ("Effect", "Deny"), ("Condition", Like.Dictionary(("Bool", Like.Dictionary(("aws:SecureTransport", "false"))))))))))));
            }
        }
    }

    /// <summary>
    /// Statements sit in policies of many types and in roles' inline policies, and actions are strings or arrays: every
    /// one is read as JSON, a rule no resource may break being beyond Assertions' matching of a resource.
    /// </summary>
    [Fact]
    public void NoPolicyAllowsEveryActionOfAService()
    {
        var allows = AllStacks.SelectMany(s => s.Json.At("Resources").Descendants())
            .Where(o => o.Has("Statement") && o.At("Statement").ValueKind == JsonValueKind.Array).SelectMany(d => d.Items("Statement"))
            .Where(s => s.Str("Effect") == "Allow").ToList();

        Assert.NotEmpty(allows);
        Assert.All(allows, s =>
        {
            Assert.False(s.Has("NotAction"));
            Assert.All(s.At("Action").Strings(), a => Assert.DoesNotMatch(@"^(\*|[a-z0-9-]+:\*)$", a));
        });
    }

    /// <summary>Every property named like a password, wherever it sits, is read as JSON: the rule is over all of them.</summary>
    [Fact]
    public void NoSecretValueIsWrittenIntoATemplate()
    {
        var secrets = AllStacks.SelectMany(s => s.Resources("AWS::SecretsManager::Secret")).ToList();
        var passwords = AllStacks.SelectMany(s => s.Json.At("Resources").Descendants()).SelectMany(o => o.EnumerateObject())
            .Where(p => p.Name.Contains("Password", StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind != JsonValueKind.Number)
            .ToList();
        var plainVariables = AllStacks.SelectMany(s => s.Resources("AWS::ECS::TaskDefinition"))
            .SelectMany(t => t.Properties.Items("ContainerDefinitions"))
            .SelectMany(c => c.Has("Environment") ? c.Items("Environment") : [])
            .Select(e => e.Str("Name")).ToList();

        // The literal values are the owner's starting secrets, which hold nothing secret: the admin area and e-mail switched off.
        Assert.All(secrets.Where(s => s.Properties.Has("SecretString")), literal =>
        {
            using var value = JsonDocument.Parse(literal.Properties.Str("SecretString"));
            if (value.RootElement.TryGetProperty(AdminSecret.PasswordHashField, out var hash))
            {
                Assert.Equal(AdminSecret.SwitchedOff, hash.GetString());
            }
            else
            {
                Assert.All(MailSecret.Settings, s => Assert.Equal(MailSecret.SwitchedOff, value.RootElement.Str(s.Field)));
            }
        });
        Assert.NotEmpty(passwords);
        Assert.All(passwords, p => Assert.Contains("{{resolve:secretsmanager:", p.Value.ToString(), StringComparison.Ordinal));
        Assert.NotEmpty(plainVariables);
        Assert.All(plainVariables, name => Assert.DoesNotMatch(SecretLookingName(), name));
    }

    [Fact]
    public void SecretLookingVariablesAreRecognised()
    {
        // Guards the rule above against a pattern that matches nothing.
        Assert.Matches(SecretLookingName(), "Database__Password");
        Assert.Matches(SecretLookingName(), "Admin__PasswordHash");
        Assert.Matches(SecretLookingName(), "DataProtection__KeyEncryptionKey");
        Assert.DoesNotMatch(SecretLookingName(), "Database__Host");
    }

    [GeneratedRegex("(?i)password|secret|token|hash|apikey|privatekey|encryptionkey")]
    private static partial Regex SecretLookingName();

    /// <summary>Inline and separate ingress rules with the logical id of the group they open.</summary>
    private static IEnumerable<(string Group, JsonElement Rule)> IngressRules(StackTemplate stack)
    {
        var inline = stack.Resources("AWS::EC2::SecurityGroup").Where(g => g.Properties.Has("SecurityGroupIngress"))
            .SelectMany(g => g.Properties.Items("SecurityGroupIngress").Select(r => (g.Id, r)));
        var separate = stack.Resources("AWS::EC2::SecurityGroupIngress").Select(r => (r.Properties.At("GroupId").Target(), r.Properties));
        return inline.Concat(separate);
    }
}
