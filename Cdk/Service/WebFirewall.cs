using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.WAFv2;
using Constructs;
using Site.Web.Admin;
using static Amazon.CDK.AWS.WAFv2.CfnWebACL;

namespace Site.Cdk.Service;

public sealed record WebFirewallProps
{
    /// <summary>The web ACL's name, which its metrics are found by.</summary>
    public required string Name { get; init; }

    /// <summary>The load balancer it guards; none when it guards the edge (scope CLOUDFRONT, attached by the distribution).</summary>
    public IApplicationLoadBalancer? LoadBalancer { get; init; }

    /// <summary>Receives the requests the web ACL blocks or counts (a group named aws-waf-logs-*).</summary>
    public required ILogGroup Logs { get; init; }
}

/// <summary>
/// An AWS WAF web ACL on the load balancer: known bad addresses are refused, a client sending far more than a visitor
/// does is answered 429 for as long as it keeps on, and so is one posting the admin sign-in form more than its owner
/// ever would; AWS's managed rules refuse common exploits. Everything else is allowed. The numbers are explained in
/// docs/security.md.
/// </summary>
public sealed class WebFirewall : Construct
{
    /// <summary>Requests per client address in any five minutes: far above a visitor, who loads a page in about ten.</summary>
    public const int RequestsPerClient = 3000;

    /// <summary>
    /// Sign-in posts per client address in any five minutes: more than its owner ever sends. The app throttles sign-in
    /// itself; this stops a flood before each attempt costs a task a PBKDF2 hash.
    /// </summary>
    public const int SignInPostsPerClient = 20;

    public const int WindowSeconds = 300;

    /// <summary>
    /// The common rule set refuses bodies over 8 KB, the most WAF inspects on a load balancer; a contact message of 4000
    /// non-Latin characters is more than that once form-encoded. The app refuses what is too big itself (413 over 64 KiB).
    /// </summary>
    public const string BodySizeRule = "SizeRestrictions_BODY";

    /// <summary>Sustained blocks above this many per five minutes page whoever is on call.</summary>
    public const int BlockedAlarmPerFiveMinutes = 1000;

    private readonly string _prefix;
    private readonly bool _regional;

    public WebFirewall(Construct scope, string id, WebFirewallProps props) : base(scope, id)
    {
        _prefix = props.Name;
        _regional = props.LoadBalancer is not null;
        Acl = new CfnWebACL(this, "Acl", new CfnWebACLProps
        {
            Name = _prefix,
            Description = "Rate limits per client address and AWS managed rules in front of the site",
            Scope = _regional ? "REGIONAL" : "CLOUDFRONT",
            DefaultAction = new DefaultActionProperty { Allow = new AllowActionProperty() },
            VisibilityConfig = Visibility(_prefix),
            Rules = new object[]
            {
                ManagedRules(0, "AWSManagedRulesAmazonIpReputationList"),
                RateLimit(1, "SignInPostsPerClient", SignInPostsPerClient, SignInPosts()),
                RateLimit(2, "RequestsPerClient", RequestsPerClient, null),
                ManagedRules(3, "AWSManagedRulesKnownBadInputsRuleSet"),
                ManagedRules(4, "AWSManagedRulesCommonRuleSet", BodySizeRule),
            },
        });
        if (props.LoadBalancer is { } loadBalancer)
        {
            _ = new CfnWebACLAssociation(this, "Association", new CfnWebACLAssociationProps
            {
                ResourceArn = loadBalancer.LoadBalancerArn,
                WebAclArn = Acl.AttrArn,
            });
        }
        _ = new CfnLoggingConfiguration(this, "Logging", new CfnLoggingConfigurationProps
        {
            ResourceArn = Acl.AttrArn,
            // WAF wants the group's ARN without the ":*" CloudFormation's Arn attribute ends with.
            LogDestinationConfigs = [Stack.Of(this).FormatArn(new ArnComponents
            {
                Service = "logs",
                Resource = "log-group",
                ResourceName = props.Logs.LogGroupName,
                ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
            })],
            // Allowed requests are in the load balancer's access logs already.
            LoggingFilter = new Dictionary<string, object>
            {
                ["DefaultBehavior"] = "DROP",
                ["Filters"] = new object[]
                {
                    new Dictionary<string, object>
                    {
                        ["Behavior"] = "KEEP",
                        ["Requirement"] = "MEETS_ANY",
                        ["Conditions"] = new object[]
                        {
                            new Dictionary<string, object> { ["ActionCondition"] = new Dictionary<string, object> { ["Action"] = "BLOCK" } },
                            new Dictionary<string, object> { ["ActionCondition"] = new Dictionary<string, object> { ["Action"] = "COUNT" } },
                        },
                    },
                },
            },
            // The admin session cookie is a credential; whoever reads the logs must not be able to sign in with it.
            RedactedFields = new object[] { new CfnLoggingConfiguration.FieldToMatchProperty { SingleHeader = new Dictionary<string, object> { ["Name"] = "cookie" } } },
        });
    }

    public CfnWebACL Acl { get; }

    public Metric BlockedRequests(Duration period) => new(new MetricProps
    {
        Namespace = "AWS/WAFV2",
        MetricName = "BlockedRequests",
        // A CloudFront web ACL's metrics (in us-east-1) have no Region dimension.
        DimensionsMap = _regional
            ? new Dictionary<string, string> { ["WebACL"] = _prefix, ["Region"] = Stack.Of(this).Region, ["Rule"] = "ALL" }
            : new Dictionary<string, string> { ["WebACL"] = _prefix, ["Rule"] = "ALL" },
        Statistic = Stats.SUM,
        Period = period,
    });

    private RuleProperty RateLimit(int priority, string name, int limit, StatementProperty? scopeDown) => new()
    {
        Name = name,
        Priority = priority,
        Action = new RuleActionProperty { Block = new BlockActionProperty { CustomResponse = new CustomResponseProperty { ResponseCode = 429 } } },
        // The load balancer is the edge: the client address WAF sees is the visitor's own, not one it could forge.
        Statement = new StatementProperty
        {
            RateBasedStatement = new RateBasedStatementProperty
            {
                AggregateKeyType = "IP",
                Limit = limit,
                EvaluationWindowSec = WindowSeconds,
                ScopeDownStatement = scopeDown,
            },
        },
        VisibilityConfig = Visibility($"{_prefix}-{name}"),
    };

    private RuleProperty ManagedRules(int priority, string name, params string[] counted) => new()
    {
        Name = name,
        Priority = priority,
        OverrideAction = new OverrideActionProperty { None = new Dictionary<string, object>() },
        Statement = new StatementProperty
        {
            ManagedRuleGroupStatement = new ManagedRuleGroupStatementProperty
            {
                VendorName = "AWS",
                Name = name,
                RuleActionOverrides = counted.Length == 0 ? null : counted.Select(rule => (object)new RuleActionOverrideProperty
                {
                    Name = rule,
                    ActionToUse = new RuleActionProperty { Count = new CountActionProperty() },
                }).ToArray(),
            },
        },
        VisibilityConfig = Visibility($"{_prefix}-{name}"),
    };

    /// <summary>POST to the sign-in page, however its path is cased or percent-encoded (the app matches it either way).</summary>
    private static StatementProperty SignInPosts() => new()
    {
        AndStatement = new AndStatementProperty
        {
            Statements = new object[]
            {
                new StatementProperty
                {
                    ByteMatchStatement = new ByteMatchStatementProperty
                    {
                        FieldToMatch = new FieldToMatchProperty { Method = new Dictionary<string, object>() },
                        PositionalConstraint = "EXACTLY",
                        SearchString = "POST",
                        TextTransformations = new object[] { new TextTransformationProperty { Priority = 0, Type = "NONE" } },
                    },
                },
                new StatementProperty
                {
                    ByteMatchStatement = new ByteMatchStatementProperty
                    {
                        FieldToMatch = new FieldToMatchProperty { UriPath = new Dictionary<string, object>() },
                        PositionalConstraint = "STARTS_WITH",
                        SearchString = AdminPaths.Login,
                        TextTransformations = new object[]
                        {
                            new TextTransformationProperty { Priority = 0, Type = "URL_DECODE" },
                            new TextTransformationProperty { Priority = 1, Type = "LOWERCASE" },
                        },
                    },
                },
            },
        },
    };

    private static VisibilityConfigProperty Visibility(string metricName) => new()
    {
        CloudWatchMetricsEnabled = true,
        MetricName = metricName,
        SampledRequestsEnabled = true,
    };
}
