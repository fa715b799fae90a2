using System.Net;
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
        using var ca = TestCertificateAuthority.Create("CN=Site test database CA");
        using var otherCa = TestCertificateAuthority.Create("CN=Unrelated CA");
        var server = ca.Issue("localhost", ["localhost"], [IPAddress.Loopback]);

        var certificateFile = Path.Combine(directory, "server-cert.pem");
        var keyFile = Path.Combine(directory, "server-key.pem");
        await File.WriteAllTextAsync(CaFile, ca.CertificatePem);
        await File.WriteAllTextAsync(OtherCaFile, otherCa.CertificatePem);
        await File.WriteAllTextAsync(certificateFile, server.CertificatePem);
        await File.WriteAllTextAsync(keyFile, server.KeyPem);

        Server = await MariaDbServer.StartPrivateAsync(
            [$"--ssl-ca={CaFile}", $"--ssl-cert={certificateFile}", $"--ssl-key={keyFile}", "--require-secure-transport=ON",
             .. await RdsIamStandIn.ServerArgumentsAsync()]);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }
}
