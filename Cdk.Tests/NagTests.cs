using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amazon.CDK;
using Amazon.CDK.AWS.S3;
using Site.Cdk.Tests.Synthesis;

namespace Site.Cdk.Tests;

/// <summary>
/// The cdk-nag AwsSolutions pack (scripts/cdk-nag.mjs, as `make nag` runs it) over the templates of every environment:
/// each rule holds or is suppressed on its resource with a reason.
/// </summary>
[Collection(SharedSynthesis.Name)]
public sealed partial class NagTests(DevSite dev, ProdSite prod, ImportedCertificateSite imported)
{
    /// <summary>Long enough to say why, not just "not needed".</summary>
    private const int MinimumReason = 40;

    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(3);

    private IEnumerable<SynthesizedSite> Sites => [dev, prod, imported];

    private IEnumerable<(string Stack, string Id, JsonElement Rule)> Suppressions => Sites.SelectMany(site => site.Stacks)
        .SelectMany(stack => stack.AllResources.Where(r => r.Resource.Has("Metadata") && r.Resource.At("Metadata").Has(NagSuppressions.MetadataKey))
            .SelectMany(r => r.Resource.Items("Metadata", NagSuppressions.MetadataKey, "rules_to_suppress").Select(rule => (stack.Name, r.Id, rule))));

    [Fact]
    public void EverySuppressionNamesAnAwsSolutionsRuleAndSaysWhy()
    {
        Assert.NotEmpty(Suppressions);
        Assert.All(Suppressions, s =>
        {
            Assert.Matches(RuleId(), s.Rule.Str("id"));
            Assert.True(s.Rule.Str("reason").Trim().Length >= MinimumReason, $"{s.Stack}/{s.Id}: the reason for {s.Rule.Str("id")} is too short");
            if (s.Rule.Has("applies_to"))
            {
                Assert.All(s.Rule.Items("applies_to"), finding => Assert.Matches(Finding(),
                    finding.ValueKind == JsonValueKind.Object ? finding.Str("regex") : finding.GetString()!));
            }
        });
    }

    [Fact]
    public void TheAwsSolutionsPackFindsNothingUnsuppressedInAnyEnvironment()
    {
        var run = Nag(Sites.Select(s => s.AssemblyDirectory));

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("0 problems", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AFindingWithoutItsSuppressionFailsTheRunNamingRuleAndResource()
    {
        var (directory, resource) = CopyWithout(dev, "AwsSolutions-EC23");
        try
        {
            var run = Nag([directory.FullName]);

            Assert.Equal(1, run.ExitCode);
            Assert.Matches($@"error AwsSolutions-EC23 site-dev-data/{resource}: .*0\.0\.0\.0/0", run.Output);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void ASuppressionOfARuleThatHoldsFailsTheRun()
    {
        var (directory, resource) = CopyWithout(dev, "AwsSolutions-EC23", rule => rule["id"] = "AwsSolutions-EC27");
        try
        {
            var run = Nag([directory.FullName]);

            Assert.Equal(1, run.ExitCode);
            Assert.Contains($"site-dev-data/{resource}: the suppression of AwsSolutions-EC27 suppresses nothing", run.Output, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void AResourcesSuppressionsAreGivenInOneCall()
    {
        var bucket = new Bucket(new Stack(new App(), "Scratch"), "Bucket");
        NagSuppressions.Add(bucket, new NagSuppression("AwsSolutions-S1", "A first suppression of this bucket, with its reason"));

        Assert.Throws<InvalidOperationException>(() =>
            NagSuppressions.Add(bucket, new NagSuppression("AwsSolutions-S10", "A second call would replace the first one")));
    }

    /// <summary>
    /// The one stack template holding the suppression of a rule, in a cloud assembly of its own, with that suppression
    /// taken off (or changed, when <paramref name="change"/> is given).
    /// </summary>
    private static (DirectoryInfo Directory, string Resource) CopyWithout(SynthesizedSite site, string ruleId, Action<JsonObject>? change = null)
    {
        var (stack, template, id, rules, rule) = site.Stacks
            .Select(stack => (stack, Template: JsonNode.Parse(stack.Json.GetRawText())!.AsObject()))
            .SelectMany(s => s.Template["Resources"]!.AsObject().Select(r => (s.stack, s.Template, Id: r.Key,
                Rules: r.Value!["Metadata"]?[NagSuppressions.MetadataKey]?["rules_to_suppress"] as JsonArray)))
            .SelectMany(r => (r.Rules ?? []).OfType<JsonObject>().Where(rule => (string?)rule["id"] == ruleId)
                .Select(rule => (r.stack, r.Template, r.Id, r.Rules!, rule)))
            .Single();
        if (change is null)
        {
            rules.Remove(rule);
        }
        else
        {
            change(rule);
        }

        var directory = Directory.CreateTempSubdirectory("site-cdk-nag-");
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(site.AssemblyDirectory, "manifest.json")))!.AsObject();
        var artifact = manifest["artifacts"]![stack.Name]!.DeepClone();
        manifest["artifacts"] = new JsonObject { [stack.Name] = artifact };
        File.WriteAllText(Path.Combine(directory.FullName, "manifest.json"), manifest.ToJsonString());
        File.WriteAllText(Path.Combine(directory.FullName, artifact["properties"]!["templateFile"]!.GetValue<string>()), template.ToJsonString());
        return (directory, id);
    }

    private static (int ExitCode, string Output) Nag(IEnumerable<string> assemblies)
    {
        var script = Path.Combine(CdkContext.RepositoryRoot, "scripts", "cdk-nag.mjs");
        Assert.True(Directory.Exists(Path.Combine(CdkContext.RepositoryRoot, "node_modules", "cdk-nag")),
            "cdk-nag is not installed: run npm ci --no-audit --no-fund (or make nag) first");
        var start = new ProcessStartInfo("node") { WorkingDirectory = CdkContext.RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var assembly in assemblies)
        {
            start.ArgumentList.Add(assembly);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(RunLimit), "cdk-nag did not finish");
        return (process.ExitCode, output.Result + errors.Result);
    }

    [GeneratedRegex(@"^AwsSolutions-[A-Z]+[0-9]+[a-z]?$")]
    private static partial Regex RuleId();

    /// <summary>A finding as cdk-nag prints it, or a pattern for findings between slashes.</summary>
    [GeneratedRegex(@"^((Action|Resource|Policy)::.+|/.+/[a-z]*)$")]
    private static partial Regex Finding();
}
