using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;

namespace Site.Web.Data;

/// <summary>
/// The password for IAM database authentication: a SigV4 query-string-presigned <c>rds-db:connect</c>
/// request for one database user, valid for <see cref="Lifetime"/> after it was signed.
/// Written out here because AWSSDK.RDS, which has a generator, is not available.
/// </summary>
public static class RdsAuthToken
{
    public const string Service = "rds-db";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    private const string Algorithm = "AWS4-HMAC-SHA256";
    private static readonly string EmptyPayloadHash = Convert.ToHexStringLower(SHA256.HashData([]));

    public static string Generate(string host, int port, string user, string region, ImmutableCredentials credentials, DateTimeOffset signedAt)
    {
        var time = signedAt.UtcDateTime;
        var date = time.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var timestamp = time.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var scope = $"{date}/{region}/{Service}/aws4_request";
        var hostHeader = $"{host}:{port.ToString(CultureInfo.InvariantCulture)}";

        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["Action"] = "connect",
            ["DBUser"] = user,
            ["X-Amz-Algorithm"] = Algorithm,
            ["X-Amz-Credential"] = $"{credentials.AccessKey}/{scope}",
            ["X-Amz-Date"] = timestamp,
            ["X-Amz-Expires"] = ((int)Lifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            ["X-Amz-SignedHeaders"] = "host",
        };
        if (credentials.UseToken)
        {
            parameters["X-Amz-Security-Token"] = credentials.Token;
        }

        // Uri.EscapeDataString keeps exactly RFC 3986's unreserved characters, as SigV4 requires.
        var query = string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        var canonicalRequest = $"GET\n/\n{query}\nhost:{hostHeader}\n\nhost\n{EmptyPayloadHash}";
        var stringToSign = $"{Algorithm}\n{timestamp}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var signature = HMACSHA256.HashData(SigningKey(credentials.SecretKey, date, region, Service), Encoding.UTF8.GetBytes(stringToSign));
        return $"{hostHeader}/?{query}&X-Amz-Signature={Convert.ToHexStringLower(signature)}";
    }

    /// <param name="date">The signing date, yyyyMMdd.</param>
    public static byte[] SigningKey(string secretKey, string date, string region, string service)
    {
        var key = Encoding.UTF8.GetBytes("AWS4" + secretKey);
        foreach (var part in (string[])[date, region, service, "aws4_request"])
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        return key;
    }
}
