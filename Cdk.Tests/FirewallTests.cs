using System.Text.Json;
using Site.Cdk.Service;
using Site.Cdk.Tests.Synthesis;
using Site.Web.Admin;

namespace Site.Cdk.Tests;

/// <summary>The web ACL in front of the prod load balancer.</summary>
public sealed class FirewallTests(DevSite dev, ProdSite prod) : SiteTests(dev, prod)
{
    private static readonly string[] ManagedGroups =
        ["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"];

    private JsonElement Acl => Prod.Service.Only("AWS::WAFv2::WebACL");

    private IReadOnlyList<JsonElement> Rules => Acl.Items("Rules").ToList();

    [Fact]
    public void DevHasNoWebAcl()
    {
        Assert.Empty(Dev.Service.Resources("AWS::WAFv2::WebACL"));
        Assert.Empty(Dev.Service.Resources("AWS::WAFv2::WebACLAssociation"));
    }

    [Fact]
    public void InProdTheWebAclGuardsTheEdgeAndAllowsWhatNoRuleRefuses()
    {
        var service = Prod.Service;

        // Prod's edge is on: the distribution names the ACL (EdgeTests); a regional one would guard the load balancer.
        Assert.Equal("CLOUDFRONT", Acl.Str("Scope"));
        Assert.True(Acl.At("DefaultAction").Has("Allow"));
        Assert.Empty(service.Resources("AWS::WAFv2::WebACLAssociation"));
        Assert.Equal(service.IdOf("AWS::WAFv2::WebACL", _ => true),
            service.Only("AWS::CloudFront::Distribution").At("DistributionConfig", "WebACLId").Target());
    }

    [Fact]
    public void EachClientAddressIsAnswered429AboveAVisitorsRate()
    {
        var rule = Assert.Single(RateRules, r => !r.At("Statement", "RateBasedStatement").Has("ScopeDownStatement"));
        var rate = rule.At("Statement", "RateBasedStatement");

        Assert.Equal("IP", rate.Str("AggregateKeyType"));
        Assert.Equal(WebFirewall.RequestsPerClient, rate.Int("Limit"));
        Assert.Equal(WebFirewall.WindowSeconds, rate.Int("EvaluationWindowSec"));
        Assert.Equal(429, rule.Int("Action", "Block", "CustomResponse", "ResponseCode"));
    }

    [Fact]
    public void SignInPostsHaveATighterLimitPerClientAddressHoweverThePathIsWritten()
    {
        var rule = Assert.Single(RateRules, r => r.At("Statement", "RateBasedStatement").Has("ScopeDownStatement"));
        var rate = rule.At("Statement", "RateBasedStatement");
        var matches = rate.Items("ScopeDownStatement", "AndStatement", "Statements").Select(s => s.At("ByteMatchStatement")).ToList();
        var method = Assert.Single(matches, m => m.At("FieldToMatch").Has("Method"));
        var path = Assert.Single(matches, m => m.At("FieldToMatch").Has("UriPath"));

        Assert.Equal(2, matches.Count);
        Assert.Equal("IP", rate.Str("AggregateKeyType"));
        Assert.Equal(WebFirewall.SignInPostsPerClient, rate.Int("Limit"));
        Assert.True(WebFirewall.SignInPostsPerClient * 10 <= WebFirewall.RequestsPerClient);
        Assert.Equal(429, rule.Int("Action", "Block", "CustomResponse", "ResponseCode"));
        Assert.Equal(("EXACTLY", "POST"), (method.Str("PositionalConstraint"), method.Str("SearchString")));
        Assert.Equal(("STARTS_WITH", AdminPaths.Login), (path.Str("PositionalConstraint"), path.Str("SearchString")));
        Assert.Equal(["URL_DECODE", "LOWERCASE"], path.Items("TextTransformations").OrderBy(t => t.Int("Priority")).Select(t => t.Str("Type")));
    }

    [Fact]
    public void AwsManagedRulesRefuseBadAddressesAndInputsButLeaveTheBodySizeToTheApp()
    {
        var managed = Rules.Where(r => r.At("Statement").Has("ManagedRuleGroupStatement"))
            .ToDictionary(r => r.Str("Statement", "ManagedRuleGroupStatement", "Name"), r => r);
        var common = managed["AWSManagedRulesCommonRuleSet"].At("Statement", "ManagedRuleGroupStatement");
        var counted = Assert.Single(common.Items("RuleActionOverrides"));

        Assert.Equal(ManagedGroups, managed.Keys.Order());
        Assert.All(managed.Values, r =>
        {
            Assert.Equal("AWS", r.Str("Statement", "ManagedRuleGroupStatement", "VendorName"));
            Assert.Equal(["None"], r.At("OverrideAction").EnumerateObject().Select(p => p.Name));
        });
        Assert.Equal(WebFirewall.BodySizeRule, counted.Str("Name"));
        Assert.Equal(["Count"], counted.At("ActionToUse").EnumerateObject().Select(p => p.Name));
        Assert.All(managed.Where(m => m.Key != "AWSManagedRulesCommonRuleSet"),
            m => Assert.False(m.Value.At("Statement", "ManagedRuleGroupStatement").Has("RuleActionOverrides")));
    }

    [Fact]
    public void TheAclAndEveryRulePublishMetricsAndSampledRequests()
    {
        var configs = Rules.Select(r => r.At("VisibilityConfig")).Append(Acl.At("VisibilityConfig")).ToList();

        Assert.All(configs, c =>
        {
            Assert.True(c.At("CloudWatchMetricsEnabled").GetBoolean());
            Assert.True(c.At("SampledRequestsEnabled").GetBoolean());
        });
        Assert.Equal(configs.Count, configs.Select(c => c.Str("MetricName")).Distinct().Count());
    }

    [Fact]
    public void BlockedAndCountedRequestsAreLoggedWithoutCookiesToALogGroupThatExpiresThem()
    {
        var logging = Prod.Service.Only("AWS::WAFv2::LoggingConfiguration");
        var destination = Assert.Single(logging.Items("LogDestinationConfigs")).At("Fn::Join", 1).EnumerateArray().ToList();
        var groupId = Prod.Data.IdOf("AWS::Logs::LogGroup", g => g.Has("LogGroupName") && g.Str("LogGroupName") == "aws-waf-logs-site-prod");
        var keep = Assert.Single(logging.Items("LoggingFilter", "Filters"));

        Assert.Equal(Prod.Service.IdOf("AWS::WAFv2::WebACL", _ => true), logging.At("ResourceArn").Target());
        Assert.Equal(":log-group:", destination[^2].GetString());
        Assert.Contains($"ExportsOutputRef{groupId}", destination[^1].Target(), StringComparison.Ordinal);
        Assert.Equal(90, Prod.Data.Resource(groupId).Int("Properties", "RetentionInDays"));
        Assert.Equal("DROP", logging.Str("LoggingFilter", "DefaultBehavior"));
        Assert.Equal("KEEP", keep.Str("Behavior"));
        Assert.Equal(["BLOCK", "COUNT"], keep.Items("Conditions").Select(c => c.Str("ActionCondition", "Action")).Order());
        Assert.Equal("cookie", Assert.Single(logging.Items("RedactedFields")).Str("SingleHeader", "Name"));
    }

    [Fact]
    public void SustainedBlocksRaiseAnAlarm()
    {
        var alarm = Assert.Single(Prod.Service.Resources("AWS::CloudWatch::Alarm"), a => a.Properties.Str("AlarmName") == "site-prod-waf-blocked").Properties;
        var dimensions = alarm.Items("Dimensions").ToDictionary(d => d.Str("Name"), d => d.Str("Value"));

        Assert.Equal(("AWS/WAFV2", "BlockedRequests", "Sum"), (alarm.Str("Namespace"), alarm.Str("MetricName"), alarm.Str("Statistic")));
        Assert.Equal(Acl.Str("Name"), dimensions["WebACL"]);
        Assert.Equal("ALL", dimensions["Rule"]);
        // A CloudFront web ACL's metrics have no Region.
        Assert.DoesNotContain("Region", dimensions.Keys);
        Assert.Equal(WebFirewall.BlockedAlarmPerFiveMinutes, alarm.At("Threshold").GetDouble());
        Assert.Equal(300, alarm.Int("Period"));
        Assert.Equal("notBreaching", alarm.Str("TreatMissingData"));
    }

    private IEnumerable<JsonElement> RateRules => Rules.Where(r => r.At("Statement").Has("RateBasedStatement"));
}
