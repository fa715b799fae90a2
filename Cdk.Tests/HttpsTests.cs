using System.Text.Json;
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
        var listener = Dev.Service.Listener(80);

        Assert.Equal("HTTP", listener.Str("Protocol"));
        Assert.Equal("HTTP", Dev.Service.Listener(8443).Str("Protocol"));
        Assert.DoesNotContain(Dev.Service.Resources("AWS::ElasticLoadBalancingV2::Listener"), l => l.Properties.Int("Port") == 443);
        Assert.Empty(Dev.Service.Resources("AWS::CertificateManager::Certificate"));
        Assert.Empty(Dev.Service.Resources("AWS::Route53::RecordSet"));
        Assert.Equal("http://", Dev.Service.Output("SiteUrl").Str("Value", "Fn::Join", 1, 0));
    }

    [Fact]
    public void WithADomainAnAcmCertificateForWwwIsValidatedThroughDns()
    {
        var certificate = Prod.Service.Only("AWS::CertificateManager::Certificate");

        Assert.Equal("www.example.org", certificate.Str("DomainName"));
        Assert.Equal("DNS", certificate.Str("ValidationMethod"));
        Assert.Equal("Z0EXAMPLE12345", certificate.Str("DomainValidationOptions", 0, "HostedZoneId"));
    }

    [Fact]
    public void WithADomainTheSiteIsServedOverModernTls()
    {
        var https = Listener(443);
        var certificate = Prod.Service.IdOf("AWS::CertificateManager::Certificate", _ => true);

        Assert.Equal("HTTPS", https.Str("Protocol"));
        Assert.Equal("ELBSecurityPolicy-TLS13-1-2-2021-06", https.Str("SslPolicy"));
        Assert.Equal(certificate, https.At("Certificates", 0, "CertificateArn").Target());
        var test = Listener(8443);
        Assert.Equal("HTTPS", test.Str("Protocol"));
        Assert.Equal("ELBSecurityPolicy-TLS13-1-2-2021-06", test.Str("SslPolicy"));
        Assert.Equal(certificate, test.At("Certificates", 0, "CertificateArn").Target());
    }

    [Fact]
    public void WithADomainPlainHttpIsRedirectedPermanentlyToHttps()
    {
        var redirect = Listener(80).At("DefaultActions", 0);

        Assert.Equal("redirect", redirect.Str("Type"));
        Assert.Equal("HTTPS", redirect.Str("RedirectConfig", "Protocol"));
        Assert.Equal("443", redirect.Str("RedirectConfig", "Port"));
        Assert.Equal("HTTP_301", redirect.Str("RedirectConfig", "StatusCode"));
    }

    [Fact]
    public void WithADomainWwwIsAnAliasInTheZone()
    {
        var record = Assert.Single(Prod.Service.Resources("AWS::Route53::RecordSet"), r => r.Properties.Str("Type") == "A").Properties;

        // Of the distribution, prod's edge being on (EdgeTests).
        Assert.Equal("www.example.org.", record.Str("Name"));
        Assert.Equal("A", record.Str("Type"));
        Assert.Equal("Z0EXAMPLE12345", record.Str("HostedZoneId"));
        Assert.True(record.Has("AliasTarget"));
        Assert.Equal("https://www.example.org", Prod.Service.Output("SiteUrl").Str("Value"));
    }

    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheLoadBalancersNameIsAnOutputForDns(string env)
    {
        var service = Site(env).Service;

        Assert.Equal(service.IdOf("AWS::ElasticLoadBalancingV2::LoadBalancer", _ => true),
            service.Output("LoadBalancerDnsName").At("Value").Target());
    }

    private JsonElement Listener(int port) => Prod.Service.Listener(port);
}

/// <summary>Prod for a domain whose DNS is not in Route 53: the owner's certificate, the owner's DNS record.</summary>
[Collection(SharedSynthesis.Name)]
public sealed class ImportedCertificateTests(ImportedCertificateSite site)
{
    [Fact]
    public void TheImportedCertificateServesHttpsAndNoneIsRequested()
    {
        var https = site.Service.Listener(443);

        Assert.Equal("HTTPS", https.Str("Protocol"));
        Assert.Equal("ELBSecurityPolicy-TLS13-1-2-2021-06", https.Str("SslPolicy"));
        Assert.Equal(ImportedCertificateSite.CertificateArn, https.Str("Certificates", 0, "CertificateArn"));
        Assert.Empty(site.Service.Resources("AWS::CertificateManager::Certificate"));
    }

    [Fact]
    public void PlainHttpIsRedirectedToHttps()
    {
        var redirect = site.Service.Listener(80).At("DefaultActions", 0);

        Assert.Equal("redirect", redirect.Str("Type"));
        Assert.Equal("HTTPS", redirect.Str("RedirectConfig", "Protocol"));
        Assert.Equal("HTTP_301", redirect.Str("RedirectConfig", "StatusCode"));
    }

    [Fact]
    public void NoRecordIsMadeAndTheSiteIsWwwOfTheDomain()
    {
        Assert.Empty(site.Service.Resources("AWS::Route53::RecordSet"));
        Assert.Equal("https://www.example.net", site.Service.Output("SiteUrl").Str("Value"));
        Assert.Equal(site.Service.IdOf("AWS::ElasticLoadBalancingV2::LoadBalancer", _ => true),
            site.Service.Output("LoadBalancerDnsName").At("Value").Target());
    }
}
