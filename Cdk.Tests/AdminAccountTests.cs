using System.Text.Json;
using Site.Cdk.Tests.Synthesis;

namespace Site.Cdk.Tests;

public sealed class AdminAccountTests(DevSite dev, ProdSite prod) : SiteTests(dev, prod)
{
    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheAdminSecretHoldsTheOwnerAndAGeneratedPlaceholderHash(string env)
    {
        var generator = Site(env).Data.Resources("AWS::SecretsManager::Secret")
            .Select(s => s.Properties.At("GenerateSecretString"))
            .Single(g => g.Str("GenerateStringKey") == "passwordHash");
        using var template = JsonDocument.Parse(generator.Str("SecretStringTemplate"));

        Assert.Equal("owner", template.RootElement.Str("user"));
        Assert.Equal(["user"], template.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.True(generator.At("ExcludePunctuation").GetBoolean());
    }
}
