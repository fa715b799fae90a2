using Amazon.CDK;
using Constructs;

namespace Site.Cdk;

/// <summary>A cdk-nag rule that does not hold for a resource, and why that is right for this site.</summary>
/// <param name="Id">The rule, e.g. <c>AwsSolutions-IAM5</c>.</param>
/// <param name="AppliesTo">
/// For rules that report findings (IAM4, IAM5): the ones suppressed, as cdk-nag prints them (<c>Resource::*</c>), or a
/// regular expression between slashes (<c>/^Resource::.*\/\*$/</c>); none suppresses every finding of the rule.
/// </param>
public sealed record NagSuppression(string Id, string Reason, params string[] AppliesTo);

/// <summary>
/// Writes suppressions where every cdk-nag run looks for them: the resource's template metadata
/// <c>cdk_nag.rules_to_suppress</c>, in cdk-nag's own format (<c>id</c>, <c>reason</c>, <c>applies_to</c>).
/// scripts/cdk-nag.mjs reads it from the synthesized templates.
/// </summary>
public static class NagSuppressions
{
    public const string MetadataKey = "cdk_nag";

    /// <summary>
    /// Suppresses on the resource itself or, for a higher-level construct, on its CloudFormation resource. All of a
    /// resource's suppressions are given in one call, so none can silently replace another.
    /// </summary>
    public static void Add(IConstruct construct, params NagSuppression[] suppressions)
    {
        var resource = construct as CfnResource ?? construct.Node.DefaultChild as CfnResource
            ?? throw new ArgumentException($"{construct.Node.Path} has no CloudFormation resource to carry the suppression.", nameof(construct));
        if (resource.GetMetadata(MetadataKey) is not null)
        {
            throw new InvalidOperationException($"{resource.Node.Path} already has its cdk-nag suppressions; give them all in one call.");
        }
        resource.AddMetadata(MetadataKey, new Dictionary<string, object>
        {
            ["rules_to_suppress"] = suppressions.Select(Render).ToArray(),
        });
    }

    private static object Render(NagSuppression suppression)
    {
        var rule = new Dictionary<string, object> { ["id"] = suppression.Id, ["reason"] = suppression.Reason };
        if (suppression.AppliesTo.Length > 0)
        {
            rule["applies_to"] = suppression.AppliesTo
                .Select(finding => IsPattern(finding) ? new Dictionary<string, object> { ["regex"] = finding } : (object)finding)
                .ToArray();
        }
        return rule;
    }

    // Findings start with "Action::", "Resource::" or "Policy::", so only a pattern starts and ends with a slash.
    private static bool IsPattern(string finding) => finding.Length > 2 && finding.StartsWith('/') && finding.EndsWith('/');
}
