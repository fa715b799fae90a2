using Amazon.Runtime;
using Site.Web.Data;

namespace Site.Web.Tests.Database;

/// <summary>
/// The token generator against tokens made by AWS's own code: botocore's <c>generate_db_auth_token</c>
/// (its published unit-test vector, and vectors it produced for the other cases) and the SigV4 documentation.
/// </summary>
public sealed class RdsAuthTokenTests
{
    private const string Host = "prod-instance.us-east-1.rds.amazonaws.com";
    internal static readonly DateTimeOffset SignedAt = new(2016, 11, 7, 17, 39, 33, TimeSpan.Zero);
    internal static readonly ImmutableCredentials SessionKeys = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "IQoJb3JpZ2luX2VjEXAMPLE//token==");
    private static readonly ImmutableCredentials Keys = new("akid", "skid", null);

    /// <summary>The parts of a token: host and port, then each query parameter exactly as encoded.</summary>
    private static (string Authority, Dictionary<string, string> Parameters) Parse(string token)
    {
        Assert.DoesNotContain("://", token, StringComparison.Ordinal);
        var parts = token.Split("/?", 2);
        return (parts[0], parts[1].Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]));
    }

    internal static void AssertSameToken(string expected, string actual)
    {
        var (expectedAuthority, expectedParameters) = Parse(expected);
        var (actualAuthority, actualParameters) = Parse(actual);
        Assert.Equal(expectedAuthority, actualAuthority);
        Assert.Equal(expectedParameters.OrderBy(p => p.Key, StringComparer.Ordinal), actualParameters.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void TheTokenMatchesBotocoresPublishedVector()
    {
        var token = RdsAuthToken.Generate(Host, 3306, "someusername", "us-east-1", Keys, SignedAt);

        AssertSameToken(
            "prod-instance.us-east-1.rds.amazonaws.com:3306/?Action=connect&DBUser=someusername&X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=akid%2F20161107%2Fus-east-1%2Frds-db%2Faws4_request&X-Amz-Date=20161107T173933Z&X-Amz-Expires=900"
            + "&X-Amz-SignedHeaders=host&X-Amz-Signature=d1138cdbc0ca63eec012ec0fc6c2267e03642168f5884a7795320d4c18374c61",
            token);
        Assert.EndsWith("&X-Amz-Signature=d1138cdbc0ca63eec012ec0fc6c2267e03642168f5884a7795320d4c18374c61", token, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSigningKeyMatchesTheSigV4DocumentationExample()
    {
        var key = RdsAuthToken.SigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");

        Assert.Equal("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d", Convert.ToHexStringLower(key));
    }

    [Fact]
    public void ASessionTokenIsCarriedUrlEncodedAndSigned()
    {
        var withSession = RdsAuthToken.Generate(Host, 3306, "someusername", "us-east-1", new ImmutableCredentials("akid", "skid", "tok+en/with=chars"), SignedAt);
        var without = RdsAuthToken.Generate(Host, 3306, "someusername", "us-east-1", Keys, SignedAt);

        AssertSameToken(
            "prod-instance.us-east-1.rds.amazonaws.com:3306/?Action=connect&DBUser=someusername&X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=akid%2F20161107%2Fus-east-1%2Frds-db%2Faws4_request&X-Amz-Date=20161107T173933Z&X-Amz-Expires=900"
            + "&X-Amz-SignedHeaders=host&X-Amz-Security-Token=tok%2Ben%2Fwith%3Dchars"
            + "&X-Amz-Signature=b3394f1cb6d01e7e6159fe0475b762a05d5bbbad31b7c6d66387598e250b6ab3",
            withSession);
        Assert.NotEqual(Parse(without).Parameters["X-Amz-Signature"], Parse(withSession).Parameters["X-Amz-Signature"]);
        Assert.DoesNotContain("X-Amz-Security-Token", without, StringComparison.Ordinal);
    }

    [Fact]
    public void UserNamesArePercentEncodedKeepingUnreservedCharacters()
    {
        var token = RdsAuthToken.Generate(Host, 3306, "app user+x/é~._-", "us-east-1", Keys, SignedAt);

        AssertSameToken(
            "prod-instance.us-east-1.rds.amazonaws.com:3306/?Action=connect&DBUser=app%20user%2Bx%2F%C3%A9~._-&X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=akid%2F20161107%2Fus-east-1%2Frds-db%2Faws4_request&X-Amz-Date=20161107T173933Z&X-Amz-Expires=900"
            + "&X-Amz-SignedHeaders=host&X-Amz-Signature=1434ee755237994ec98fee6357bc0b96863b05c32e6253fab66cc5e6594df225",
            token);
    }

    [Fact]
    public void TheRegionPortAndSessionCredentialsOfARealDeploymentGiveBotocoresToken()
    {
        var token = RdsAuthToken.Generate("site.cluster-abc.eu-west-1.rds.amazonaws.com", 3306, "site_iam", "eu-west-1", SessionKeys, SignedAt);
        var otherPort = RdsAuthToken.Generate("site.cluster-abc.eu-west-1.rds.amazonaws.com", 3307, "site_iam", "eu-west-1", SessionKeys, SignedAt);

        AssertSameToken(BotocoreEuWest1Token, token);
        Assert.NotEqual(Parse(token).Parameters["X-Amz-Signature"], Parse(otherPort).Parameters["X-Amz-Signature"]);
    }

    /// <summary>botocore's token for site_iam on an eu-west-1 endpoint with <see cref="SessionKeys"/>, signed at <see cref="SignedAt"/>.</summary>
    internal const string BotocoreEuWest1Token =
        "site.cluster-abc.eu-west-1.rds.amazonaws.com:3306/?Action=connect&DBUser=site_iam&X-Amz-Algorithm=AWS4-HMAC-SHA256"
        + "&X-Amz-Credential=AKIDEXAMPLE%2F20161107%2Feu-west-1%2Frds-db%2Faws4_request&X-Amz-Date=20161107T173933Z&X-Amz-Expires=900"
        + "&X-Amz-SignedHeaders=host&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLE%2F%2Ftoken%3D%3D"
        + "&X-Amz-Signature=9ab5b8fe601d996a55751ca4d2015addb04664f14b44bcb0c9ea998d72161d73";
}
