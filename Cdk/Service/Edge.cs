using Amazon.CDK;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.CloudFront;
using Amazon.CDK.AWS.CloudFront.Origins;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.Route53;
using Amazon.CDK.AWS.Route53.Targets;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;
using CloudFrontFunction = Amazon.CDK.AWS.CloudFront.Function;
using CloudFrontFunctionProps = Amazon.CDK.AWS.CloudFront.FunctionProps;

namespace Site.Cdk.Service;

public sealed record EdgeProps
{
    public required WebService Web { get; init; }

    public required IBucket Media { get; init; }

    public required SiteDomain Domain { get; init; }

    /// <summary>For www in us-east-1, where CloudFront reads certificates.</summary>
    public required ICertificate Certificate { get; init; }

    /// <summary>A web ACL of scope CLOUDFRONT, or none.</summary>
    public string? WebAclArn { get; init; }

    /// <summary>The www record, pointed at the distribution; none where DNS is outside Route 53.</summary>
    public ARecord? Record { get; init; }
}

/// <summary>
/// CloudFront in front of the load balancer and the media bucket. Pages pass through uncached with everything the
/// visitor sent; static assets are cached as the app's Cache-Control says; media is read from the bucket through
/// origin access control, so the tasks stop streaming it. The load balancer admits only CloudFront's origin-facing
/// addresses (Network), and its production rule only requests carrying the secret header CloudFront adds.
/// </summary>
public sealed class Edge : Construct
{
    /// <summary>The header CloudFront adds to every request to the load balancer; nothing else knows its value.</summary>
    public const string OriginHeader = "X-Origin-Verify";

    /// <summary>CloudFront's origin-facing managed prefix list (com.amazonaws.global.cloudfront.origin-facing) in us-east-1.</summary>
    public const string OriginFacingPrefixList = "pl-3b927c52";

    /// <summary>The only region the edge is made in: CloudFront's certificates and web ACLs live there.</summary>
    public const string Region = "us-east-1";

    public static IReadOnlyList<string> StaticPaths { get; } = ["/css/*", "/js/*"];

    public const string MediaPath = "/media/*";

    public Edge(Construct scope, string id, EdgeProps props) : base(scope, id)
    {
        var web = props.Web;
        var originSecret = new Secret(this, "OriginSecret", new SecretProps
        {
            Description = $"The value of {OriginHeader}: CloudFront sends it, the load balancer's production rule requires it",
            GenerateSecretString = new SecretStringGenerator { ExcludePunctuation = true, PasswordLength = 48 },
        });
        NagSuppressions.Add(originSecret, new NagSuppression("AwsSolutions-SMG4",
            "Rotating it would have to change the distribution and the listener rule at once; it only proves a request came through CloudFront"));
        // A dynamic reference: CloudFormation resolves it in both places and the template holds no value.
        var secretValue = originSecret.SecretValue.UnsafeUnwrap();
        web.ProductionRule.AddCondition(ListenerCondition.HttpHeader(OriginHeader, [secretValue]));

        var site = new LoadBalancerV2Origin(web.Service.LoadBalancer, new LoadBalancerV2OriginProps
        {
            // CloudFront checks the load balancer's certificate against the Host it forwards, www.<domain>.
            ProtocolPolicy = OriginProtocolPolicy.HTTPS_ONLY,
            OriginSslProtocols = [OriginSslPolicy.TLS_V1_2],
            CustomHeaders = new Dictionary<string, string> { [OriginHeader] = secretValue },
        });
        var pages = new BehaviorOptions
        {
            Origin = site,
            ViewerProtocolPolicy = ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            AllowedMethods = AllowedMethods.ALLOW_ALL,
            CachePolicy = CachePolicy.CACHING_DISABLED,
            OriginRequestPolicy = OriginRequestPolicy.ALL_VIEWER,
        };
        // Fingerprinted by the app (MapStaticAssets), which says for how long; the Host stays in the key and goes to the origin.
        var assets = new BehaviorOptions
        {
            Origin = site,
            ViewerProtocolPolicy = ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            CachePolicy = CachePolicy.USE_ORIGIN_CACHE_CONTROL_HEADERS,
        };

        var access = new CfnOriginAccessControl(this, "MediaAccess", new CfnOriginAccessControlProps
        {
            OriginAccessControlConfig = new CfnOriginAccessControl.OriginAccessControlConfigProperty
            {
                Name = $"{Stack.Of(this).StackName}-media",
                OriginAccessControlOriginType = "s3",
                SigningBehavior = "always",
                SigningProtocol = "sigv4",
            },
        });
        // The bucket's policy (MediaStore, in the data stack) admits this account's distributions; granting it from here
        // would make the data stack refer to the service stack, which refers to it.
        var media = new BehaviorOptions
        {
            Origin = S3BucketOrigin.WithBucketDefaults(props.Media, new OriginProps { OriginAccessControlId = access.AttrId }),
            ViewerProtocolPolicy = ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            AllowedMethods = AllowedMethods.ALLOW_GET_HEAD,
            CachePolicy = CachePolicy.CACHING_OPTIMIZED,
            FunctionAssociations =
            [
                new FunctionAssociation
                {
                    EventType = FunctionEventType.VIEWER_REQUEST,
                    Function = new CloudFrontFunction(this, "MediaKey", new CloudFrontFunctionProps
                    {
                        Comment = "/media/<key> is the object <key>, as the app serves it",
                        Runtime = FunctionRuntime.JS_2_0,
                        Code = FunctionCode.FromInline(
                            "function handler(event) { var request = event.request; request.uri = request.uri.replace(/^\\/media\\//, '/'); return request; }"),
                    }),
                },
            ],
        };

        var behaviors = StaticPaths.ToDictionary(p => p, IBehaviorOptions (_) => assets);
        behaviors[MediaPath] = media;
        Distribution = new Distribution(this, "Distribution", new DistributionProps
        {
            Comment = $"{Stack.Of(this).StackName}: the site and its media",
            DomainNames = [props.Domain.HostName],
            Certificate = props.Certificate,
            MinimumProtocolVersion = SecurityPolicyProtocol.TLS_V1_2_2021,
            HttpVersion = HttpVersion.HTTP2_AND_3,
            WebAclId = props.WebAclArn,
            DefaultBehavior = pages,
            AdditionalBehaviors = behaviors,
        });
        // S3BucketOrigin.WithBucketDefaults in CDK 2.160 drops the origin access control it is given; the media origin
        // is the second (after the default behaviour's).
        ((CfnDistribution)Distribution.Node.DefaultChild!).AddPropertyOverride("DistributionConfig.Origins.1.OriginAccessControlId", access.AttrId);
        NagSuppressions.Add(Distribution,
            new NagSuppression("AwsSolutions-CFR3",
                "Every request that reaches the site is in the load balancer's access logs and the web ACL's logs; CloudFront's standard logs need bucket ACLs, which the log bucket refuses"),
            new NagSuppression("AwsSolutions-CFR1", "A public website for visitors anywhere: no geographic restriction"));

        if (props.Record is { } record)
        {
            // The pattern made www an alias of the load balancer; the edge takes it over.
            ((CfnRecordSet)record.Node.DefaultChild!).AddPropertyOverride("AliasTarget", new Dictionary<string, object>
            {
                ["DNSName"] = Distribution.DistributionDomainName,
                ["HostedZoneId"] = CloudFrontTarget.GetHostedZoneId(this),
                ["EvaluateTargetHealth"] = false,
            });
        }
    }

    public Distribution Distribution { get; }
}
