using System.Text.Json;
using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Hosting;

/// <summary>The checker the request lines are held to accepts what the specification allows and catches what it forbids.</summary>
public sealed class EmbeddedMetricFormatTests
{
    private const string Valid = """
        {"_aws": {"Timestamp": 1700000000123, "CloudWatchMetrics": [{"Namespace": "Shop", "Dimensions": [["Page"], []],
          "Metrics": [{"Name": "Latency", "Unit": "Milliseconds"}, {"Name": "Sizes", "StorageResolution": 60}]}]},
         "Page": "/basket", "Latency": 12.5, "Sizes": [1, 2, 3], "other": {"nested": true}}
        """;

    [Fact]
    public void ADocumentAsTheSpecificationDescribesItPasses() =>
        Assert.Empty(EmbeddedMetricFormat.Violations(JsonDocument.Parse(Valid).RootElement));

    [Theory]
    [InlineData("\"Timestamp\": 1700000000123", "\"Timestamp\": \"2024-01-01\"")]
    [InlineData("\"Page\": \"/basket\"", "\"Page\": 7")]
    [InlineData("\"Latency\": 12.5", "\"Latency\": \"slow\"")]
    [InlineData("[[\"Page\"], []]", "[[\"Missing\"]]")]
    [InlineData("\"Unit\": \"Milliseconds\"", "\"Unit\": \"ms\"")]
    [InlineData("\"Namespace\": \"Shop\"", "\"Namespace\": \"\"")]
    [InlineData("\"StorageResolution\": 60", "\"StorageResolution\": 5")]
    [InlineData("\"Namespace\": \"Shop\",", "\"Namespace\": \"Shop\", \"Extra\": 1,")]
    public void ADocumentThatBreaksARuleFails(string part, string broken) =>
        Assert.NotEmpty(EmbeddedMetricFormat.Violations(JsonDocument.Parse(Valid.Replace(part, broken, StringComparison.Ordinal)).RootElement));
}
