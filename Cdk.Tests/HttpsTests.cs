using Amazon.CDK.Assertions;
using Site.Cdk.Tests.Synthesis;

namespace Site.Cdk.Tests;

/// <summary>Dev is synthesized without a domain and prod with one, so both shapes are covered.</summary>
public sealed class HttpsTests(DevSite dev, ProdSite prod) : SiteTests(dev, prod)
{
    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheLoadBalancerFacesTheInternetFromThePublicSubnets(string env)
    {
        var site = Site(env);
        var loadBalancer = site.Service.Only("AWS::ElasticLoadBalancingV2::LoadBalancer");
        var publicSubnets = site.Data.Subnets(isPublic: true).Select(s => s.Id).ToList();

        Assert.Equal("internet-facing", loadBalancer.Str("Scheme"));
        Assert.Equal("application", loadBalancer.Str("Type"));
        Assert.Equal(2, loadBalancer.Items("Subnets").Count());
        Assert.All(loadBalancer.Items("Subnets"), s => Assert.Contains(publicSubnets, p => s.Target().Contains(p, StringComparison.Ordinal)));
    }

    [Fact]
    public void WithoutADomainTheSiteIsPlainHttpOnTheLoadBalancersName()
    {
        var service = Dev.Service.Template;

        service.HasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Like.Object(("Port", 80), ("Protocol", "HTTP")));
        service.HasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Like.Object(("Port", 8443), ("Protocol", "HTTP")));
        service.ResourcePropertiesCountIs("AWS::ElasticLoadBalancingV2::Listener", Like.Object(("Port", 443)), 0);
        service.ResourceCountIs("AWS::CertificateManager::Certificate", 0);
        service.ResourceCountIs("AWS::Route53::RecordSet", 0);
        Assert.Equal("http://", Dev.Service.Output("SiteUrl").Str("Value", "Fn::Join", 1, 0));
    }

    [Fact]
    public void WithADomainAnAcmCertificateForWwwIsValidatedThroughDns()
    {
        Prod.Service.Template.HasResourceProperties("AWS::CertificateManager::Certificate", Like.Object(
            ("DomainName", "www.example.org"),
            ("ValidationMethod", "DNS"),
            ("DomainValidationOptions", new object[] { Like.Object(("HostedZoneId", "Z0EXAMPLE12345")) })));
    }

    [Fact]
    public void WithADomainTheSiteIsServedOverModernTls()
    {
        var certificate = Like.Ref(Prod.Service.IdOf("AWS::CertificateManager::Certificate", _ => true));

        Assert.All([443, 8443], port => AssertModernTls(Prod.Service, port, certificate));
    }

    [Fact]
    public void WithADomainPlainHttpIsRedirectedPermanentlyToHttps() => AssertRedirectedToHttps(Prod.Service);

    [Fact]
    public void WithADomainWwwIsAnAliasInTheZone()
    {
        // Of the distribution, prod's edge being on (EdgeTests).
        Prod.Service.Template.HasResourceProperties("AWS::Route53::RecordSet", Like.Object(
            ("Name", "www.example.org."), ("Type", "A"), ("HostedZoneId", "Z0EXAMPLE12345"), ("AliasTarget", Match.AnyValue())));
        Prod.Service.Template.HasOutput("SiteUrl", Like.Object(("Value", "https://www.example.org")));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheLoadBalancersNameIsAnOutputForDns(string env)
    {
        var service = Site(env).Service;

        Assert.Equal(service.IdOf("AWS::ElasticLoadBalancingV2::LoadBalancer", _ => true),
            service.Output("LoadBalancerDnsName").At("Value").Target());
    }

    /// <summary>A listener on the port answers HTTPS only, with the certificate, under TLS 1.3 and 1.2 only.</summary>
    internal static void AssertModernTls(StackTemplate service, int port, object certificate) =>
        service.Template.HasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Like.Object(
            ("Port", port),
            ("Protocol", "HTTPS"),
            ("SslPolicy", "ELBSecurityPolicy-TLS13-1-2-2021-06"),
            ("Certificates", new object[] { Like.Dictionary(("CertificateArn", certificate)) })));

    /// <summary>Plain HTTP gets a permanent redirect to the same URL over HTTPS, and nothing else.</summary>
    internal static void AssertRedirectedToHttps(StackTemplate service) =>
        service.Template.HasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Like.Object(
            ("Port", 80),
            ("DefaultActions", new object[]
            {
                Like.Object(("Type", "redirect"), ("RedirectConfig", Like.Dictionary(("Protocol", "HTTPS"), ("Port", "443"), ("StatusCode", "HTTP_301")))),
            })));
}

/// <summary>Prod for a domain whose DNS is not in Route 53: the owner's certificate, the owner's DNS record.</summary>
[Collection(SharedSynthesis.Name)]
public sealed class ImportedCertificateTests(ImportedCertificateSite site)
{
    [Fact]
    public void TheImportedCertificateServesHttpsAndNoneIsRequested()
    {
        HttpsTests.AssertModernTls(site.Service, 443, ImportedCertificateSite.CertificateArn);
        site.Service.Template.ResourceCountIs("AWS::CertificateManager::Certificate", 0);
    }

    [Fact]
    public void PlainHttpIsRedirectedToHttps() => HttpsTests.AssertRedirectedToHttps(site.Service);

    [Fact]
    public void NoRecordIsMadeAndTheSiteIsWwwOfTheDomain()
    {
        site.Service.Template.ResourceCountIs("AWS::Route53::RecordSet", 0);
        site.Service.Template.HasOutput("SiteUrl", Like.Object(("Value", "https://www.example.net")));
        Assert.Equal(site.Service.IdOf("AWS::ElasticLoadBalancingV2::LoadBalancer", _ => true),
            site.Service.Output("LoadBalancerDnsName").At("Value").Target());
    }
}
