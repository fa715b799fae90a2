using Site.Cdk.Tests.Synthesis;

namespace Site.Cdk.Tests;

/// <summary>
/// Every Lambda function of every stack, CDK's own helpers included, must be on a runtime Lambda still lets us
/// create: the stacks of a new environment would otherwise fail on their first deploy.
/// </summary>
[Collection(SharedSynthesis.Name)]
public sealed class LambdaRuntimeTests(DevSite dev, ProdSite prod, ImportedCertificateSite imported)
{
    /// <summary>
    /// Lambda's published deprecation dates (creating functions is blocked some weeks later). A runtime missing here
    /// fails the test: add it with its date from the Lambda runtimes page before using it.
    /// </summary>
    private static readonly Dictionary<string, DateOnly> Deprecation = new()
    {
        ["nodejs18.x"] = new(2025, 9, 1),
        ["nodejs20.x"] = new(2026, 4, 30),
        ["nodejs22.x"] = new(2027, 4, 30),
        ["nodejs24.x"] = new(2028, 4, 30),
        ["python3.9"] = new(2025, 12, 15),
        ["python3.10"] = new(2026, 10, 31),
        ["python3.11"] = new(2027, 6, 30),
        ["python3.12"] = new(2028, 10, 31),
        ["python3.13"] = new(2029, 6, 30),
    };

    /// <summary>Dev without a domain, prod with a Route 53 zone, prod with an imported certificate.</summary>
    private IEnumerable<(string Stack, string Id, string Runtime)> Functions =>
        new SynthesizedSite[] { dev, prod, imported }.SelectMany(s => s.Stacks).SelectMany(stack =>
            stack.Resources("AWS::Lambda::Function").Select(f => (stack.Name, f.Id, f.Properties.Str("Runtime"))));

    [Fact]
    public void EveryFunctionIsOnARuntimeLambdaHasNotDeprecated()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        Assert.NotEmpty(Functions);
        Assert.All(Functions, f =>
        {
            Assert.True(Deprecation.TryGetValue(f.Runtime, out var deprecated), $"{f.Stack}/{f.Id}: {f.Runtime} has no known deprecation date");
            Assert.True(today < deprecated, $"{f.Stack}/{f.Id}: {f.Runtime} is deprecated since {deprecated:yyyy-MM-dd}");
        });
    }

    [Fact]
    public void CdksHelpersRunOnTheChosenNodeAndPythonRuntimes() =>
        Assert.Equal([CurrentLambdaRuntimes.Node, CurrentLambdaRuntimes.Python], Functions.Select(f => f.Runtime).Distinct().Order());
}
