using MySqlConnector;
using Site.Web.Data;

namespace Site.Web.Tests.Database;

public sealed class DatabaseVariablesTests
{
    /// <summary>The CDK app sets Database__SslMode from this constant, having no MySqlConnector to name the enum by.</summary>
    [Fact]
    public void TheSslModeTheDeploymentSetsIsMySqlConnectorsVerifyFull() =>
        Assert.Equal(MySqlSslMode.VerifyFull, Enum.Parse<MySqlSslMode>(DatabaseVariables.VerifyFullSslMode));
}
