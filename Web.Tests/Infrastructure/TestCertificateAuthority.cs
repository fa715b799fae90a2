using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Site.Web.Tests.Infrastructure;

/// <summary>A certificate authority made for one test run, issuing server certificates as the RDS CA or ACM would.</summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly X509Certificate2 certificate;

    private TestCertificateAuthority(X509Certificate2 certificate) => this.certificate = certificate;

    public string CertificatePem => certificate.ExportCertificatePem();

    public static TestCertificateAuthority Create(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return new TestCertificateAuthority(request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30)));
    }

    /// <summary>A TLS server certificate for the given host names and addresses, valid for a week.</summary>
    public ServerCertificate Issue(string commonName, IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            names.AddDnsName(name);
        }

        foreach (var address in addresses)
        {
            names.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var issued = request.Create(certificate, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7), RandomNumberGenerator.GetBytes(16));

        return new ServerCertificate(
            issued.ExportCertificatePem(),
            key.ExportPkcs8PrivateKeyPem(),
            Convert.ToBase64String(SHA256.HashData(issued.PublicKey.ExportSubjectPublicKeyInfo())));
    }

    public void Dispose() => certificate.Dispose();
}

/// <summary>A server certificate and its key in PEM, and the base64 SHA-256 of its public key (what Chromium's SPKI allow-list takes).</summary>
public sealed record ServerCertificate(string CertificatePem, string KeyPem, string PublicKeySha256);
