using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Microsoft.Extensions.Options;

namespace Site.Web.Data;

/// <summary>The password for new physical connections when it is not a fixed setting but made as needed.</summary>
public interface IDatabasePasswordProvider
{
    ValueTask<string> GetPasswordAsync(CancellationToken cancellationToken);
}

/// <summary>
/// IAM database authentication: an RDS auth token for the configured host, port, user and region, signed with
/// the credentials of the default AWS chain (on ECS, the task role from the container credentials endpoint).
/// </summary>
public sealed class RdsAuthTokenProvider(IOptions<DatabaseOptions> options, TimeProvider time, AWSCredentials? credentials = null)
    : IDatabasePasswordProvider
{
    public async ValueTask<string> GetPasswordAsync(CancellationToken cancellationToken)
    {
        var source = credentials ?? await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync();
        var keys = await source.GetCredentialsAsync();
        var settings = options.Value;
        var connection = settings.ToConnectionStringBuilder();
        return RdsAuthToken.Generate(connection.Server, (int)connection.Port, connection.UserID, settings.Region!, keys, time.GetUtcNow());
    }
}
