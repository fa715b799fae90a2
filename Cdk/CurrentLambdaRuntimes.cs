using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Amazon.JSII.Runtime.Deputy;
using Constructs;

namespace Site.Cdk;

/// <summary>
/// Moves the functions CDK 2.160 adds for its own custom resources (locking the default security group, emptying a
/// bucket, uploading the media) from nodejs20.x and python3.11 onto runtimes Lambda still creates. Their handlers
/// are all <c>async (event, context)</c>, the only form Node.js 24 accepts; the media upload's AWS CLI is the
/// release pinned in Directory.Packages.props, which supports Python 3.13.
/// </summary>
public sealed class CurrentLambdaRuntimes : DeputyBase, IAspect
{
    public const string Node = "nodejs24.x";
    public const string Python = "python3.13";

    public void Visit(IConstruct node)
    {
        switch (node)
        {
            case CfnFunction function:
                function.Runtime = function.Runtime switch
                {
                    { } runtime when runtime.StartsWith("nodejs", StringComparison.Ordinal) => Node,
                    { } runtime when runtime.StartsWith("python", StringComparison.Ordinal) => Python,
                    var other => other,
                };
                break;
            // Core's custom resource providers write their function as a plain resource; they only run Node.js.
            case CfnResource { CfnResourceType: "AWS::Lambda::Function" } resource when resource.Node.Scope is CustomResourceProviderBase:
                resource.AddPropertyOverride("Runtime", Node);
                break;
        }
    }
}
