using System.Text.Json;
using Site.Cdk.Tests.Synthesis;
using Site.Web.Admin;

namespace Site.Cdk.Tests;

public sealed class AdminAccountTests(DevSite dev, ProdSite prod) : SiteTests(dev, prod)
{
    [Theory, InlineData("dev"), InlineData("prod")]
    public void TheAdminSecretStartsWithTheOwnerAndTheAdminAreaSwitchedOff(string env)
    {
        var secret = Site(env).Data.Resources("AWS::SecretsManager::Secret")
            .Select(s => s.Properties)
            .Single(p => p.Has("SecretString") && p.Str("SecretString").Contains(AdminSecret.PasswordHashField, StringComparison.Ordinal));
        using var value = JsonDocument.Parse(secret.Str("SecretString"));

        Assert.False(secret.Has("GenerateSecretString"));
        Assert.Equal(
            [(AdminSecret.UserField, AdminSecret.DefaultUser), (AdminSecret.PasswordHashField, AdminSecret.SwitchedOff)],
            value.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetString())).ToArray());
    }
}
