using System.Diagnostics;
using System.Text.Json;
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
        Assert.Single(Prod.Service.Resources("AWS::CloudFront::Distribution"));
        Assert.Empty(Dev.Service.Resources("AWS::CloudFront::Distribution"));
    }

    [Fact]
    public void PagesPassThroughUncachedWithEverythingTheVisitorSentOverHttpsToTheLoadBalancer()
    {
        var pages = Config().At("DefaultCacheBehavior");
        var origin = Origin(pages.Str("TargetOriginId"));

        Assert.Equal(CachingDisabled, pages.Str("CachePolicyId"));
        Assert.Equal(AllViewer, pages.Str("OriginRequestPolicyId"));
        Assert.Equal("redirect-to-https", pages.Str("ViewerProtocolPolicy"));
        Assert.Contains("POST", pages.At("AllowedMethods").Strings());
        Assert.Equal(Prod.Service.IdOf("AWS::ElasticLoadBalancingV2::LoadBalancer", _ => true), origin.At("DomainName").Target());
        Assert.Equal("https-only", origin.Str("CustomOriginConfig", "OriginProtocolPolicy"));
        Assert.Equal(["TLSv1.2"], origin.At("CustomOriginConfig", "OriginSSLProtocols").Strings());
    }

    [Fact]
    public void StaticAssetsAreCachedForAsLongAsTheAppSays()
    {
        var pagesOrigin = Config().Str("DefaultCacheBehavior", "TargetOriginId");

        foreach (var path in new[] { "/css/*", "/js/*" })
        {
            var behavior = Behavior(path);
            Assert.Equal(UseOriginCacheControlHeaders, behavior.Str("CachePolicyId"));
            Assert.Equal(pagesOrigin, behavior.Str("TargetOriginId"));
            Assert.Equal("redirect-to-https", behavior.Str("ViewerProtocolPolicy"));
        }
    }

    [Fact]
    public void MediaIsReadFromTheBucketThroughOriginAccessControl()
    {
        var media = Behavior("/media/*");
        var origin = Origin(media.Str("TargetOriginId"));
        var access = Prod.Service.Resource(origin.At("OriginAccessControlId").Target()).At("Properties", "OriginAccessControlConfig");

        Assert.Equal(CachingOptimized, media.Str("CachePolicyId"));
        Assert.Equal(["GET", "HEAD"], media.At("AllowedMethods").Strings());
        Assert.Contains("MediaBucket", origin.At("DomainName").Target(), StringComparison.Ordinal);
        Assert.Contains("RegionalDomainName", origin.At("DomainName").Target(), StringComparison.Ordinal);
        Assert.Equal("", origin.Str("S3OriginConfig", "OriginAccessIdentity"));
        Assert.Equal(("s3", "always", "sigv4"),
            (access.Str("OriginAccessControlOriginType"), access.Str("SigningBehavior"), access.Str("SigningProtocol")));
    }

    /// <summary>The app serves /media/&lt;key&gt; from the object &lt;key&gt;: the edge's function asks the bucket the same.</summary>
    [Theory]
    [InlineData("/media/hero.jpg", "/hero.jpg")]
    [InlineData("/media/gallery/2026/tea-room.webp", "/gallery/2026/tea-room.webp")]
    public async Task TheMediaPathNamesTheSameObjectAsTheAppServes(string uri, string key)
    {
        var (id, function) = Assert.Single(Prod.Service.Resources("AWS::CloudFront::Function"));
        Assert.Equal(id, Behavior("/media/*").At("FunctionAssociations", 0, "FunctionARN").Target());
        Assert.Equal("cloudfront-js-2.0", function.Str("FunctionConfig", "Runtime"));

        var script = $"{function.Str("FunctionCode")}\nprocess.stdout.write(handler({{ request: {{ uri: {JsonSerializer.Serialize(uri)} }} }}).uri);";
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
        var statements = Site(env).Data.Resources("AWS::S3::BucketPolicy")
            .Single(p => p.Properties.At("Bucket").Target().Contains("MediaBucket", StringComparison.Ordinal)).Properties.Items("PolicyDocument", "Statement")
            .Where(s => s.Str("Effect") == "Allow" && s.Has("Principal") && s.At("Principal").ToString().Contains("cloudfront", StringComparison.Ordinal))
            .ToList();

        if (env == "dev")
        {
            Assert.Empty(statements);
            return;
        }
        var statement = Assert.Single(statements);
        Assert.Equal("cloudfront.amazonaws.com", statement.Str("Principal", "Service"));
        Assert.Equal(["s3:GetObject"], statement.At("Action").Strings());
        Assert.Equal("AWS::AccountId", statement.At("Condition", "StringEquals", "AWS:SourceAccount").Target());
        Assert.Contains(":distribution/*", statement.At("Condition", "ArnLike", "AWS:SourceArn").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void VisitorsGetHttpsWithTheSitesCertificateAndTheWebAclGuardsTheEdge()
    {
        var config = Config();
        var acl = Prod.Service.Only("AWS::WAFv2::WebACL");

        Assert.Equal(["www.example.org"], config.At("Aliases").Strings());
        Assert.Equal(Prod.Service.IdOf("AWS::CertificateManager::Certificate", _ => true), config.At("ViewerCertificate", "AcmCertificateArn").Target());
        Assert.Equal("TLSv1.2_2021", config.Str("ViewerCertificate", "MinimumProtocolVersion"));
        Assert.Equal("sni-only", config.Str("ViewerCertificate", "SslSupportMethod"));
        Assert.Equal(Prod.Service.IdOf("AWS::WAFv2::WebACL", _ => true), config.At("WebACLId").Target());
        Assert.Equal("CLOUDFRONT", acl.Str("Scope"));
        Assert.Empty(Prod.Service.Resources("AWS::WAFv2::WebACLAssociation"));
    }

    [Fact]
    public void TheLoadBalancerAdmitsCloudFrontOnlyAndServesOnlyRequestsWithTheSecretHeader()
    {
        var origin = Origin(Config().Str("DefaultCacheBehavior", "TargetOriginId"));
        var header = Assert.Single(origin.Items("OriginCustomHeaders"));
        var rule = Prod.Service.Resource(Prod.Service.Only("AWS::ECS::Service").At("LoadBalancers", 0, "AdvancedConfiguration", "ProductionListenerRule").Target())
            .At("Properties");
        var required = Assert.Single(rule.Items("Conditions"), c => c.Str("Field") == "http-header").At("HttpHeaderConfig");
        var secret = Prod.Service.IdOf("AWS::SecretsManager::Secret", s => s.Has("GenerateSecretString"));

        Assert.Equal(Edge.OriginHeader, header.Str("HeaderName"));
        Assert.Equal(Edge.OriginHeader, required.Str("HttpHeaderName"));
        Assert.Equal(JsonSerializer.Serialize(header.At("HeaderValue")), JsonSerializer.Serialize(Assert.Single(required.Items("Values"))));
        Assert.StartsWith("{{resolve:secretsmanager:", header.Str("HeaderValue", "Fn::Join", 1, 0), StringComparison.Ordinal);
        Assert.Equal(secret, header.At("HeaderValue", "Fn::Join", 1, 1).Target());
        Assert.True(Prod.Service.Resource(secret).At("Properties", "GenerateSecretString").Int("PasswordLength") >= 32);

        var ingress = Prod.Data.Resources("AWS::EC2::SecurityGroupIngress").Select(r => r.Properties)
            .Where(r => r.At("GroupId").Target().Contains("NetworkLoadBalancer", StringComparison.Ordinal)).ToList();
        var fromCloudFront = Assert.Single(ingress);
        Assert.Equal((443, 443, Edge.OriginFacingPrefixList), (fromCloudFront.Int("FromPort"), fromCloudFront.Int("ToPort"), fromCloudFront.Str("SourcePrefixListId")));
        var inline = Prod.Data.Resources("AWS::EC2::SecurityGroup").Where(g => g.Id.Contains("NetworkLoadBalancer", StringComparison.Ordinal))
            .SelectMany(g => g.Properties.Items("SecurityGroupIngress"));
        Assert.All(inline, r => Assert.Equal((Network.TestListenerPort, Network.VpcCidr), (r.Int("FromPort"), r.Str("CidrIp"))));
    }

    /// <summary>Behind the edge the visitor's address is the second last of X-Forwarded-For (the app's ProxyHops).</summary>
    [Theory, InlineData("dev", "1"), InlineData("prod", "2")]
    public void TheAppIsToldHowManyProxiesAppendTheAddressTheySaw(string env, string hops) =>
        Assert.Equal(hops, TaskContainers.EnvironmentOf(TaskContainers.WebContainer(Site(env)))["Hosting__ProxyHops"].GetString());

    [Fact]
    public void WwwIsAnAliasOfTheDistribution()
    {
        var record = Assert.Single(Prod.Service.Resources("AWS::Route53::RecordSet"), r => r.Properties.Str("Type") == "A").Properties;

        Assert.Equal("www.example.org.", record.Str("Name"));
        Assert.Equal(Prod.Service.IdOf("AWS::CloudFront::Distribution", _ => true), record.At("AliasTarget", "DNSName").Target());
        Assert.Equal(Prod.Service.IdOf("AWS::CloudFront::Distribution", _ => true), Prod.Service.Output("DistributionDomainName").At("Value").Target());
    }

    private JsonElement Config() => Prod.Service.Only("AWS::CloudFront::Distribution").At("DistributionConfig");

    private JsonElement Behavior(string path) => Assert.Single(Config().Items("CacheBehaviors"), b => b.Str("PathPattern") == path);

    private JsonElement Origin(string id) => Assert.Single(Config().Items("Origins"), o => o.Str("Id") == id);
}
