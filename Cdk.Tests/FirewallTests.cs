using System.Text.Json;
using Amazon.CDK.Assertions;
using Site.Cdk.Service;
using Site.Cdk.Tests.Synthesis;
using Site.Web.Admin;

namespace Site.Cdk.Tests;

/// <summary>The web ACL in front of the prod site.</summary>
public sealed class FirewallTests(DevSite dev, ProdSite prod) : SiteTests(dev, prod)
{
    private static readonly string[] ManagedGroups =
        ["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"];

    private static readonly Dictionary<string, object> Refused429 =
        Like.Dictionary(("Block", Like.Dictionary(("CustomResponse", Like.Dictionary(("ResponseCode", 429))))));

    private string AclId => Prod.Service.IdOf("AWS::WAFv2::WebACL", _ => true);

    [Fact]
    public void DevHasNoWebAcl()
    {
        Dev.Service.Template.ResourceCountIs("AWS::WAFv2::WebACL", 0);
        Dev.Service.Template.ResourceCountIs("AWS::WAFv2::WebACLAssociation", 0);
    }

    [Fact]
    public void InProdTheWebAclGuardsTheEdgeAndAllowsWhatNoRuleRefuses()
    {
        var service = Prod.Service.Template;

        // Prod's edge is on: the distribution names the ACL (EdgeTests); a regional one would guard the load balancer.
        service.HasResourceProperties("AWS::WAFv2::WebACL", Like.Object(
            ("Scope", "CLOUDFRONT"), ("DefaultAction", Match.ObjectEquals(Like.Dictionary(("Allow", Like.Dictionary()))))));
        service.ResourceCountIs("AWS::WAFv2::WebACLAssociation", 0);
        service.HasResourceProperties("AWS::CloudFront::Distribution", Like.Object(
            ("DistributionConfig", Like.Dictionary(("WebACLId", Like.Dictionary(("Fn::GetAtt", new object[] { AclId, "Arn" })))))));
    }

    [Fact]
    public void EachClientAddressIsAnswered429AboveAVisitorsRate() => AssertRule(
        ("Action", Refused429),
        ("Statement", Like.Dictionary(("RateBasedStatement", Like.Dictionary(
            ("AggregateKeyType", "IP"),
            ("Limit", WebFirewall.RequestsPerClient),
            ("EvaluationWindowSec", WebFirewall.WindowSeconds),
            ("ScopeDownStatement", Match.Absent()))))));

    [Fact]
    public void SignInPostsHaveATighterLimitPerClientAddressHoweverThePathIsWritten()
    {
        Assert.True(WebFirewall.SignInPostsPerClient * 10 <= WebFirewall.RequestsPerClient);
        AssertRule(
            ("Action", Refused429),
            ("Statement", Like.Dictionary(("RateBasedStatement", Like.Dictionary(
                ("AggregateKeyType", "IP"),
                ("Limit", WebFirewall.SignInPostsPerClient),
                ("ScopeDownStatement", Like.Dictionary(("AndStatement", Like.Dictionary(("Statements", new object[]
                {
                    Like.Dictionary(("ByteMatchStatement", Like.Dictionary(
                        ("FieldToMatch", Like.Dictionary(("Method", Match.AnyValue()))),
                        ("PositionalConstraint", "EXACTLY"),
                        ("SearchString", "POST")))),
                    Like.Dictionary(("ByteMatchStatement", Like.Dictionary(
                        ("FieldToMatch", Like.Dictionary(("UriPath", Match.AnyValue()))),
                        ("PositionalConstraint", "STARTS_WITH"),
                        ("SearchString", AdminPaths.Login),
                        ("TextTransformations", new object[]
                        {
                            Like.Dictionary(("Priority", 0), ("Type", "URL_DECODE")),
                            Like.Dictionary(("Priority", 1), ("Type", "LOWERCASE")),
                        })))),
                }))))))))));
    }

    [Fact]
    public void AwsManagedRulesRefuseBadAddressesAndInputsButLeaveTheBodySizeToTheApp()
    {
        // Assertions finds each group's rule; that no other group is in the ACL is read from it.
        Assert.Equal(ManagedGroups, Rules.Where(r => r.At("Statement").Has("ManagedRuleGroupStatement"))
            .Select(r => r.Str("Statement", "ManagedRuleGroupStatement", "Name")).Order());
        foreach (var group in ManagedGroups)
        {
            AssertRule(
                ("OverrideAction", Match.ObjectEquals(Like.Dictionary(("None", Like.Dictionary())))),
                ("Statement", Like.Dictionary(("ManagedRuleGroupStatement", Like.Dictionary(
                    ("VendorName", "AWS"),
                    ("Name", group),
                    ("RuleActionOverrides", group == "AWSManagedRulesCommonRuleSet"
                        ? new object[] { Like.Dictionary(("Name", WebFirewall.BodySizeRule), ("ActionToUse", Match.ObjectEquals(Like.Dictionary(("Count", Like.Dictionary()))))) }
                        : Match.Absent()))))));
        }
    }

    [Fact]
    public void TheAclAndEveryRulePublishMetricsAndSampledRequests()
    {
        var published = Like.Dictionary(("CloudWatchMetricsEnabled", true), ("SampledRequestsEnabled", true));
        // Every rule by name, and their metric names compared, are read from the ACL: Assertions matches values, not across them.
        var metricNames = Rules.Select(r => r.At("VisibilityConfig")).Append(Acl.At("VisibilityConfig")).Select(c => c.Str("MetricName")).ToList();

        Prod.Service.Template.HasResourceProperties("AWS::WAFv2::WebACL", Like.Object(("VisibilityConfig", published)));
        Assert.All(Rules.Select(r => r.Str("Name")), name => AssertRule(("Name", name), ("VisibilityConfig", published)));
        Assert.Equal(metricNames.Count, metricNames.Distinct().Count());
    }

    [Fact]
    public void BlockedAndCountedRequestsAreLoggedWithoutCookiesToALogGroupThatExpiresThem()
    {
        var groupId = Prod.Data.IdWith("AWS::Logs::LogGroup", Like.Dictionary(("LogGroupName", "aws-waf-logs-site-prod")));

        Prod.Data.Template.HasResourceProperties("AWS::Logs::LogGroup", Like.Object(
            ("LogGroupName", "aws-waf-logs-site-prod"), ("RetentionInDays", 90)));
        Prod.Service.Template.HasResourceProperties("AWS::WAFv2::LoggingConfiguration", Like.Object(
            ("ResourceArn", Like.Dictionary(("Fn::GetAtt", new object[] { AclId, "Arn" }))),
            // The group's ARN, ending in its name as the data stack exports it.
            ("LogDestinationConfigs", new object[]
            {
                Like.Dictionary(("Fn::Join", new object[]
                {
                    "", Match.ArrayWith([":log-group:", Like.Dictionary(("Fn::ImportValue", Match.StringLikeRegexp($"ExportsOutputRef{groupId}")))]),
                })),
            }),
            ("LoggingFilter", Like.Dictionary(
                ("DefaultBehavior", "DROP"),
                ("Filters", new object[]
                {
                    Like.Dictionary(("Behavior", "KEEP"), ("Conditions", new object[]
                    {
                        Like.Dictionary(("ActionCondition", Like.Dictionary(("Action", "BLOCK")))),
                        Like.Dictionary(("ActionCondition", Like.Dictionary(("Action", "COUNT")))),
                    })),
                }))),
            ("RedactedFields", new object[] { Like.Dictionary(("SingleHeader", Like.Dictionary(("Name", "cookie")))) })));
    }

    [Fact]
    public void SustainedBlocksRaiseAnAlarm()
    {
        Prod.Service.Template.HasResourceProperties("AWS::CloudWatch::Alarm", Like.Object(
            ("AlarmName", "site-prod-waf-blocked"),
            ("Namespace", "AWS/WAFV2"),
            ("MetricName", "BlockedRequests"),
            ("Statistic", "Sum"),
            // A CloudFront web ACL's metrics have no Region.
            ("Dimensions", new object[]
            {
                Like.Dictionary(("Name", "Rule"), ("Value", "ALL")),
                Like.Dictionary(("Name", "WebACL"), ("Value", Acl.Str("Name"))),
            }),
            ("Threshold", WebFirewall.BlockedAlarmPerFiveMinutes),
            ("Period", 300),
            ("TreatMissingData", "notBreaching")));
    }

    /// <summary>The ACL has a rule with at least these properties.</summary>
    private void AssertRule(params (string Key, object Value)[] rule) =>
        Prod.Service.Template.HasResourceProperties("AWS::WAFv2::WebACL", Like.Object(("Rules", Like.ArrayWith(Like.Object(rule)))));

    private JsonElement Acl => Prod.Service.Only("AWS::WAFv2::WebACL");

    private IReadOnlyList<JsonElement> Rules => Acl.Items("Rules").ToList();
}
