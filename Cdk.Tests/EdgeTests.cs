using System.Diagnostics;
using System.Text.Json;
using Amazon.CDK.Assertions;
using Site.Cdk.Data;
using Site.Cdk.Service;
using Site.Cdk.Tests.Synthesis;

namespace Site.Cdk.Tests;

/// <summary>
/// CloudFront in front of the load balancer and the media bucket (prod): pages pass through, static assets and media
/// are served from the edge, and the load balancer answers CloudFront only.
/// </summary>
public sealed class EdgeTests(DevSite dev, ProdSite prod) : SiteTests(dev, prod)
{
    // AWS's managed policies, by the ids CloudFront documents.
    private const string CachingDisabled = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
    private const string CachingOptimized = "658327ea-f89d-4fab-a63d-7e88639e58f6";
    private const string UseOriginCacheControlHeaders = "83da9c7e-98b4-4e11-a168-04f0df8e2c65";
    private const string AllViewer = "216adef6-5c7f-47e4-b989-5492eafa07d3";

    [Fact]
    public void TheEdgeIsOnInProdAndOffInDev()
    {
        Prod.Service.Template.ResourceCountIs("AWS::CloudFront::Distribution", 1);
        Dev.Service.Template.ResourceCountIs("AWS::CloudFront::Distribution", 0);
    }

    [Fact]
    public void PagesPassThroughUncachedWithEverythingTheVisitorSentOverHttpsToTheLoadBalancer()
    {
        var loadBalancer = Prod.Service.IdOf("AWS::ElasticLoadBalancingV2::LoadBalancer", _ => true);

        AssertDistribution(
            ("DefaultCacheBehavior", Like.Dictionary(
                ("TargetOriginId", PagesOrigin),
                ("CachePolicyId", CachingDisabled),
                ("OriginRequestPolicyId", AllViewer),
                ("ViewerProtocolPolicy", "redirect-to-https"),
                ("AllowedMethods", Like.ArrayWith("POST")))),
            ("Origins", Like.ArrayWith(Like.Object(
                ("Id", PagesOrigin),
                ("DomainName", GetAtt(loadBalancer, "DNSName")),
                ("CustomOriginConfig", Like.Dictionary(("OriginProtocolPolicy", "https-only"), ("OriginSSLProtocols", new object[] { "TLSv1.2" })))))));
    }

    [Theory, InlineData("/css/*"), InlineData("/js/*")]
    public void StaticAssetsAreCachedForAsLongAsTheAppSays(string path) =>
        AssertDistribution(("CacheBehaviors", Like.ArrayWith(Like.Object(
            ("PathPattern", path),
            ("CachePolicyId", UseOriginCacheControlHeaders),
            ("TargetOriginId", PagesOrigin),
            ("ViewerProtocolPolicy", "redirect-to-https")))));

    [Fact]
    public void MediaIsReadFromTheBucketThroughOriginAccessControl()
    {
        var access = Prod.Service.IdOf("AWS::CloudFront::OriginAccessControl", _ => true);
        var origin = MediaOrigin;

        AssertDistribution(
            ("CacheBehaviors", Like.ArrayWith(Like.Object(
                ("PathPattern", Edge.MediaPath),
                ("TargetOriginId", origin),
                ("CachePolicyId", CachingOptimized),
                ("AllowedMethods", new object[] { "GET", "HEAD" })))),
            ("Origins", Like.ArrayWith(Like.Object(
                ("Id", origin),
                ("DomainName", Like.Dictionary(("Fn::ImportValue", Match.StringLikeRegexp($"FnGetAtt{Prod.MediaBucketId}RegionalDomainName")))),
                ("S3OriginConfig", Like.Dictionary(("OriginAccessIdentity", ""))),
                ("OriginAccessControlId", GetAtt(access, "Id"))))));
        Prod.Service.Template.HasResourceProperties("AWS::CloudFront::OriginAccessControl", Like.Object(("OriginAccessControlConfig", Like.Dictionary(
            ("OriginAccessControlOriginType", "s3"), ("SigningBehavior", "always"), ("SigningProtocol", "sigv4")))));
    }

    /// <summary>The app serves /media/&lt;key&gt; from the object &lt;key&gt;: the edge's function asks the bucket the same.</summary>
    [Theory]
    [InlineData("/media/hero.jpg", "/hero.jpg")]
    [InlineData("/media/gallery/2026/tea-room.webp", "/gallery/2026/tea-room.webp")]
    public async Task TheMediaPathNamesTheSameObjectAsTheAppServes(string uri, string key)
    {
        var id = Prod.Service.IdOf("AWS::CloudFront::Function", _ => true);
        AssertDistribution(("CacheBehaviors", Like.ArrayWith(Like.Object(
            ("PathPattern", Edge.MediaPath),
            ("FunctionAssociations", new object[] { Like.Dictionary(("FunctionARN", GetAtt(id, "FunctionARN"))) })))));
        Prod.Service.Template.HasResourceProperties("AWS::CloudFront::Function", Like.Object(
            ("FunctionConfig", Like.Dictionary(("Runtime", "cloudfront-js-2.0")))));

        // The function's code is read to be run, not matched.
        var code = Prod.Service.Resource(id).Str("Properties", "FunctionCode");
        var script = $"{code}\nprocess.stdout.write(handler({{ request: {{ uri: {JsonSerializer.Serialize(uri)} }} }}).uri);";
        var info = new ProcessStartInfo("node", ["-e", script]) { RedirectStandardOutput = true };
        using var node = Process.Start(info)!;
        var output = await node.StandardOutput.ReadToEndAsync();
        await node.WaitForExitAsync();

        Assert.Equal(0, node.ExitCode);
        Assert.Equal(key, output);
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheMediaBucketLetsOnlyThisAccountsDistributionsReadObjectsWhereTheEdgeIsOn(string env)
    {
        var site = Site(env);
        // Assertions finds a statement but cannot say it is the only one: the grants to CloudFront are counted here.
        var statements = Assert.Single(site.Data.Resources("AWS::S3::BucketPolicy"), p => p.Properties.At("Bucket").Target() == site.MediaBucketId)
            .Properties.Items("PolicyDocument", "Statement");
        Assert.Equal(site.Settings.Edge ? 1 : 0, statements.Count(s => s.Str("Effect") == "Allow" && s.Has("Principal")
            && s.At("Principal").ToString().Contains("cloudfront", StringComparison.Ordinal)));
        if (site.Settings.Edge)
        {
            site.Data.Template.HasResourceProperties("AWS::S3::BucketPolicy", Like.Object(
                ("Bucket", Like.Ref(site.MediaBucketId)),
                ("PolicyDocument", Like.Dictionary(("Statement", Like.ArrayWith(Like.Object(
                    ("Effect", "Allow"),
                    ("Principal", Match.ObjectEquals(Like.Dictionary(("Service", "cloudfront.amazonaws.com")))),
                    ("Action", "s3:GetObject"),
                    ("Condition", Match.ObjectEquals(Like.Dictionary(
                        ("StringEquals", Like.Dictionary(("AWS:SourceAccount", Like.Ref("AWS::AccountId")))),
                        ("ArnLike", Like.Dictionary(("AWS:SourceArn", Like.Dictionary(("Fn::Join", new object[] { "", Match.ArrayWith([":distribution/*"]) })))))))))))))));
        }
    }

    [Fact]
    public void VisitorsGetHttpsWithTheSitesCertificateAndTheWebAclGuardsTheEdge()
    {
        var service = Prod.Service;

        AssertDistribution(
            ("Aliases", new object[] { "www.example.org" }),
            ("ViewerCertificate", Like.Dictionary(
                ("AcmCertificateArn", Like.Ref(service.IdOf("AWS::CertificateManager::Certificate", _ => true))),
                ("MinimumProtocolVersion", "TLSv1.2_2021"),
                ("SslSupportMethod", "sni-only"))),
            ("WebACLId", GetAtt(service.IdOf("AWS::WAFv2::WebACL", _ => true), "Arn")));
        service.Template.HasResourceProperties("AWS::WAFv2::WebACL", Like.Object(("Scope", "CLOUDFRONT")));
        service.Template.ResourceCountIs("AWS::WAFv2::WebACLAssociation", 0);
    }

    [Fact]
    public void TheLoadBalancerAdmitsCloudFrontOnlyAndServesOnlyRequestsWithTheSecretHeader()
    {
        var service = Prod.Service;
        var secret = service.IdOf("AWS::SecretsManager::Secret", s => s.Has("GenerateSecretString"));
        // The secret's dynamic reference: CloudFormation resolves it for the distribution and the listener rule alike.
        var secretValue = Like.Dictionary(("Fn::Join", new object[] { "", new object[] { "{{resolve:secretsmanager:", Like.Ref(secret), ":SecretString:::}}" } }));
        // The ECS service names its production rule; the test listener's rule must not be the one checked.
        var productionRule = service.Only("AWS::ECS::Service").At("LoadBalancers", 0, "AdvancedConfiguration", "ProductionListenerRule").Target();

        AssertDistribution(("Origins", Like.ArrayWith(Like.Object(
            ("Id", PagesOrigin),
            ("OriginCustomHeaders", new object[] { Like.Dictionary(("HeaderName", Edge.OriginHeader), ("HeaderValue", secretValue)) })))));
        service.HasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule", productionRule, Like.Dictionary(
            ("Conditions", Like.ArrayWith(Like.Object(
                ("Field", "http-header"),
                ("HttpHeaderConfig", Like.Dictionary(("HttpHeaderName", Edge.OriginHeader), ("Values", new object[] { secretValue }))))))));
        // A bound, which Assertions cannot match.
        Assert.True(service.Resource(secret).Int("Properties", "GenerateSecretString", "PasswordLength") >= 32);

        var loadBalancerGroup = Assert.Single(Prod.Data.Resources("AWS::EC2::SecurityGroup"), g => g.Id.Contains("NetworkLoadBalancer", StringComparison.Ordinal)).Id;
        var groupId = GetAtt(loadBalancerGroup, "GroupId");
        // CloudFront's prefix list is the only rule of its own: the count is the requirement.
        Prod.Data.Template.ResourcePropertiesCountIs("AWS::EC2::SecurityGroupIngress", Like.Object(("GroupId", groupId)), 1);
        Prod.Data.Template.HasResourceProperties("AWS::EC2::SecurityGroupIngress", Like.Object(
            ("GroupId", groupId), ("FromPort", 443), ("ToPort", 443), ("SourcePrefixListId", Edge.OriginFacingPrefixList)));
        Prod.Data.HasResourceProperties("AWS::EC2::SecurityGroup", loadBalancerGroup, Like.Dictionary(
            ("SecurityGroupIngress", new object[] { Like.Dictionary(("FromPort", Network.TestListenerPort), ("CidrIp", Network.VpcCidr)) })));
    }

    /// <summary>Behind the edge the visitor's address is the second last of X-Forwarded-For (the app's ProxyHops).</summary>
    [Theory, InlineData("dev", "1"), InlineData("prod", "2")]
    public void TheAppIsToldHowManyProxiesAppendTheAddressTheySaw(string env, string hops) =>
        TaskContainers.AssertWebContainer(Site(env), ("Environment", Like.ArrayWith(Like.Object(("Name", "Hosting__ProxyHops"), ("Value", hops)))));

    [Fact]
    public void WwwIsAnAliasOfTheDistribution()
    {
        var distribution = GetAtt(Prod.Service.IdOf("AWS::CloudFront::Distribution", _ => true), "DomainName");

        // www is the site's only address record.
        Prod.Service.Template.ResourcePropertiesCountIs("AWS::Route53::RecordSet", Like.Object(("Type", "A")), 1);
        Prod.Service.Template.HasResourceProperties("AWS::Route53::RecordSet", Like.Object(
            ("Type", "A"), ("Name", "www.example.org."), ("AliasTarget", Like.Dictionary(("DNSName", distribution)))));
        Prod.Service.Template.HasOutput("DistributionDomainName", Like.Object(("Value", distribution)));
    }

    /// <summary>Origins are named by the distribution: read from its behaviours, to match the origin each one uses.</summary>
    private string PagesOrigin => Config.Str("DefaultCacheBehavior", "TargetOriginId");

    private string MediaOrigin =>
        Assert.Single(Config.Items("CacheBehaviors"), b => b.Str("PathPattern") == Edge.MediaPath).Str("TargetOriginId");

    private JsonElement Config => Prod.Service.Only("AWS::CloudFront::Distribution").At("DistributionConfig");

    private void AssertDistribution(params (string Key, object Value)[] config) =>
        Prod.Service.Template.HasResourceProperties("AWS::CloudFront::Distribution", Like.Object(("DistributionConfig", Like.Dictionary(config))));

    private static Dictionary<string, object> GetAtt(string logicalId, string attribute) =>
        Like.Dictionary(("Fn::GetAtt", new object[] { logicalId, attribute }));
}
