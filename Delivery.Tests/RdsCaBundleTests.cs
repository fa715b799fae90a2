using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using MySqlConnector;
using Site.Web.Tests.Database;
using Site.Web.Tests.Infrastructure;

namespace Site.Delivery.Tests;

/// <summary>
/// The RDS CA bundle the image carries (certs/, kept by scripts/rds-ca.sh), and beside it the roots RDS Proxy's
/// certificates chain to, checked on the committed files.
/// </summary>
public sealed partial class RdsCaBundleTests
{
    public const string Bundle = "certs/rds-global-bundle.pem";
    public const string Checksum = "certs/rds-global-bundle.sha256";
    public const string ProxyBundle = "certs/rds-proxy-bundle.pem";

    public static TheoryData<string, string> Bundles => new() { { Bundle, Checksum }, { ProxyBundle, "certs/rds-proxy-bundle.sha256" } };

    public static TheoryData<string> BundleFiles => [Bundle, ProxyBundle];

    private const string Remedy = "run scripts/rds-ca.sh update (AWS's published bundle) or build, review what it lists, and commit both files in certs/";

    private static X509Certificate2Collection Certificates(string bundle = Bundle)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(RepositoryFiles.PathOf(bundle));
        return certificates;
    }

    private static IEnumerable<string> CommonNames => Certificates().Select(c => c.GetNameInfo(X509NameType.SimpleName, forIssuer: false));

    [Theory, MemberData(nameof(Bundles))]
    public void TheBundleMatchesItsRecordedChecksum(string bundle, string checksum)
    {
        var recorded = Assert.Single(RepositoryFiles.Read(checksum).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var match = ChecksumLine().Match(recorded);
        Assert.True(match.Success, $"{checksum} is not one sha256sum line for {bundle}: '{recorded}'; {Remedy}.");

        Assert.Equal(bundle, match.Groups["path"].Value);
        var actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(RepositoryFiles.PathOf(bundle))));
        Assert.True(match.Groups["hash"].Value == actual, $"{bundle} (sha256 {actual}) does not match {checksum}; {Remedy}.");
    }

    [Theory, MemberData(nameof(BundleFiles))]
    public void EveryEntryIsAnUnexpiredCertificateAuthority(string bundle)
    {
        var text = RepositoryFiles.Read(bundle);
        var certificates = Certificates(bundle);

        Assert.True(certificates.Count > 0, $"{bundle} holds no certificate.");
        // Every PEM block is a certificate and every one of them parsed: nothing else hides in the file, nothing was skipped.
        Assert.Equal(PemBlock().Count(text), certificates.Count);
        Assert.All(certificates, certificate =>
        {
            var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().SingleOrDefault();
            Assert.True(constraints?.CertificateAuthority == true, $"{certificate.Subject} is not a CA certificate.");
            // Today, not a window ahead: the RDS roots run to 2061 and later, and a date margin would fail builds at random.
            Assert.True(certificate.NotAfter > DateTime.Now, $"{certificate.Subject} expired on {certificate.NotAfter:yyyy-MM-dd}; {Remedy} (both leave expired certificates out).");
        });
    }

    [Fact]
    public void EveryRegionTheBundleCoversHasTheCaTheDatabaseIsCreatedWith()
    {
        // The CDK names the instance's CA as CaCertificate.RDS_CA_<key>_<generation>; RDS names its root "Root CA <key> <generation>".
        var chosen = Assert.Single(CdkCaCertificate().Matches(RepositoryFiles.Read("Cdk/Data/Database.cs")));
        var rootName = $"Root CA {chosen.Groups["key"].Value} {chosen.Groups["generation"].Value}";
        var defaultRegion = CdkDefaultRegion().Match(RepositoryFiles.Read("Cdk/DeploymentContext.cs")).Groups["region"].Value;
        Assert.NotEmpty(defaultRegion);

        var names = CommonNames.ToHashSet();
        var regions = names.Select(name => RegionalName().Match(name)).Where(m => m.Success).Select(m => m.Groups["region"].Value)
            .Append(defaultRegion)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.All(regions, region => Assert.True(names.Contains($"Amazon RDS {region} {rootName}"),
            $"{Bundle} has no \"Amazon RDS {region} {rootName}\", the CA Cdk/Data/Database.cs creates the database with: a database in {region} could not be verified; {Remedy}."));
    }

    /// <summary>
    /// RDS Proxy presents certificates from AWS Certificate Manager, which chain to Amazon Trust Services' roots (and,
    /// for older clients, Starfield's cross-signed one); the proxy's path trusts those and no RDS CA.
    /// </summary>
    [Fact]
    public void TheProxyBundleHoldsTheAmazonTrustServicesRootsOnly()
    {
        var certificates = Certificates(ProxyBundle);

        Assert.All(certificates, c => Assert.True(c.Subject == c.Issuer, $"{c.Subject} is not a root."));
        Assert.Equal(
            ["Amazon Root CA 1", "Amazon Root CA 2", "Amazon Root CA 3", "Amazon Root CA 4", "Starfield Services Root Certificate Authority - G2"],
            certificates.Select(c => c.GetNameInfo(X509NameType.SimpleName, forIssuer: false)).Order(StringComparer.Ordinal));
    }

    // The paths are relative to the repository root, where the script, CI and the image build run sha256sum --check.
    [GeneratedRegex(@"^(?<hash>[0-9a-f]{64})  (?<path>\S+)$")]
    private static partial Regex ChecksumLine();

    [GeneratedRegex("-----BEGIN [A-Z0-9 ]+-----")]
    private static partial Regex PemBlock();

    [GeneratedRegex(@"CaCertificate\.RDS_CA_(?<key>[A-Z0-9]+)_(?<generation>G\d+)\b")]
    private static partial Regex CdkCaCertificate();

    [GeneratedRegex(@"DefaultRegion = ""(?<region>[a-z0-9-]+)""")]
    private static partial Regex CdkDefaultRegion();

    // "Amazon RDS eu-west-1 Root CA RSA2048 G1"; the Beta and Preview endpoints' CAs ("Amazon RDS Beta us-east-1 ...") are not regions.
    [GeneratedRegex(@"^Amazon RDS (?<region>[a-z]{2}(-[a-z]+)+-\d+) ")]
    private static partial Regex RegionalName();
}

/// <summary>
/// The bundle as MySqlConnector reads it for Database__SslCa. No certificate from a real RDS root can be made here
/// (its key is AWS's), so the test's own CA is appended to the bundle: the server it signed is verified only if
/// MySqlConnector takes every certificate of the file as a trust anchor, not the first one alone.
/// </summary>
public sealed class RdsCaBundleConnectionTests(TlsDatabase database) : IClassFixture<TlsDatabase>, IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("site-tests-rds-ca-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private async Task<MySqlConnection> ConnectAsync(string caFile)
    {
        var connectionString = new MySqlConnectionStringBuilder(await database.Server.CreateDatabaseAsync($"rdsca_{Guid.NewGuid():N}"[..20]))
        {
            SslMode = MySqlSslMode.VerifyFull,
            SslCa = caFile,
            Pooling = false,
        };
        var connection = new MySqlConnection(connectionString.ConnectionString);
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task AServerSignedByACaAtTheEndOfTheBundleIsVerified()
    {
        var caFile = Path.Combine(directory, "bundle-and-test-ca.pem");
        await File.WriteAllTextAsync(caFile, RepositoryFiles.Read(RdsCaBundleTests.Bundle) + await File.ReadAllTextAsync(database.CaFile));

        await using var connection = await ConnectAsync(caFile);
        await using var cipher = new MySqlCommand("SHOW SESSION STATUS LIKE 'Ssl_cipher'", connection);
        await using var reader = await cipher.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.NotEmpty(reader.GetString(1));
    }

    [Fact]
    public async Task TheBundleAloneRefusesAServerThatNoRdsCaSigned()
    {
        var refused = await Assert.ThrowsAsync<MySqlException>(() => ConnectAsync(RepositoryFiles.PathOf(RdsCaBundleTests.Bundle)));

        Assert.IsType<AuthenticationException>(refused.InnerException);
    }
}
