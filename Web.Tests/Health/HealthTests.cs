using System.Net;
using System.Text.Json;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Health;

public sealed class HealthTests(SiteFactory site) : IClassFixture<SiteFactory>
{
    private readonly HttpClient client = site.CreateClient();

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task HealthEndpointsAnswerHealthyJsonThatIsNeverCached(string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ReadinessReportsTheDatabaseCheckAndLivenessDoesNot()
    {
        using var ready = JsonDocument.Parse(await client.GetStringAsync(new Uri("/health/ready", UriKind.Relative)));
        using var live = JsonDocument.Parse(await client.GetStringAsync(new Uri("/health/live", UriKind.Relative)));

        Assert.Equal("Healthy", ready.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Empty(live.RootElement.GetProperty("checks").EnumerateObject());
    }

    [Fact]
    public async Task MigrationsAreRecordedInTheDatabase()
    {
        await using var connection = await site.OpenDatabaseAsync();
        await using var command = new MySqlConnector.MySqlCommand("SELECT COUNT(*) FROM schema_migrations", connection);

        Assert.Equal(Data.Migrator.All.Count, Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }
}
