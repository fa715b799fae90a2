using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Amazon.JSII.Runtime.Deputy;
using Constructs;

namespace Site.Cdk;

/// <summary>
/// Why the functions CDK adds for its own custom resources (see <see cref="CurrentLambdaRuntimes"/>) do not follow two
/// cdk-nag rules, recorded on each of them wherever CDK puts them.
/// </summary>
public sealed class CdkHelperFindings : DeputyBase, IAspect
{
    public const string BasicExecutionPolicy = "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

    public void Visit(IConstruct node)
    {
        switch (node)
        {
            // Core's custom resource providers write their role as a plain resource, with AWS's basic execution policy.
            case CfnResource { CfnResourceType: "AWS::IAM::Role" } role when role.Node.Scope is CustomResourceProviderBase:
                NagSuppressions.Add(role, new NagSuppression("AwsSolutions-IAM4",
                    "CDK's own custom resource handler; AWSLambdaBasicExecutionRole only lets it write its own logs", BasicExecutionPolicy));
                break;
            case CfnFunction function when function.Runtime?.StartsWith("python", StringComparison.Ordinal) == true:
                NagSuppressions.Add(function, new NagSuppression("AwsSolutions-L1",
                    $"CDK's Python helper (the media upload) runs the AWS CLI of the pinned Amazon.CDK.Asset.AwsCliV1 layer, which supports Python up to {CurrentLambdaRuntimes.Python}"));
                break;
        }
    }
}
