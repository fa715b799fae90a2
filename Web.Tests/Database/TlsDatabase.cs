using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Database;

/// <summary>
/// A private MariaDB that accepts TLS connections only, with a server certificate (for localhost and 127.0.0.1)
/// from a CA made for the test, as RDS's is from the RDS CA; and the certificate of a second, unrelated CA. Like RDS,
/// it knows AWSAuthenticationPlugin (<see cref="RdsIamStandIn"/>).
/// </summary>
public sealed class TlsDatabase : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("site-tests-tls-").FullName;

    public MariaDbServer Server { get; private set; } = null!;

    public string CaFile => Path.Combine(directory, "ca.pem");

    public string OtherCaFile => Path.Combine(directory, "other-ca.pem");

    public async Task InitializeAsync()
    {
        using var ca = CreateCa("CN=Site test database CA");
        using var otherCa = CreateCa("CN=Unrelated CA");
        using var serverKey = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var serverCertificate = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7), RandomNumberGenerator.GetBytes(16));

        var certificateFile = Path.Combine(directory, "server-cert.pem");
        var keyFile = Path.Combine(directory, "server-key.pem");
        await File.WriteAllTextAsync(CaFile, ca.ExportCertificatePem());
        await File.WriteAllTextAsync(OtherCaFile, otherCa.ExportCertificatePem());
        await File.WriteAllTextAsync(certificateFile, serverCertificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyFile, serverKey.ExportPkcs8PrivateKeyPem());

        Server = await MariaDbServer.StartPrivateAsync(
            [$"--ssl-ca={CaFile}", $"--ssl-cert={certificateFile}", $"--ssl-key={keyFile}", "--require-secure-transport=ON",
             .. await RdsIamStandIn.ServerArgumentsAsync()]);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    private static X509Certificate2 CreateCa(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }
}
