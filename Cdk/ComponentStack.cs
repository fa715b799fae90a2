using Amazon.CDK;
using Constructs;

namespace Site.Cdk;

/// <summary>
/// One component (ci, data, service) of an environment as a stack: named and tagged after both, pinned to a region.
/// The account is left to the deploying credentials so that the availability zones resolve at deploy time
/// (Fn::GetAZs) instead of through a context lookup, which keeps synth offline.
/// </summary>
public abstract class ComponentStack : Stack
{
    protected ComponentStack(Construct scope, string component, EnvironmentSettings settings, string region)
        : base(scope, settings.StackName(component), new StackProps
        {
            Env = new Amazon.CDK.Environment { Region = region },
            TerminationProtection = settings.Protected,
            Description = $"{EnvironmentSettings.Project} {settings.Name}: {component}",
        })
    {
        Settings = settings;
        Amazon.CDK.Tags.Of(this).Add("Project", EnvironmentSettings.Project);
        Amazon.CDK.Tags.Of(this).Add("Environment", settings.Name);
        Aspects.Of(this).Add(new CurrentLambdaRuntimes());
        Aspects.Of(this).Add(new CdkHelperFindings());
    }

    public EnvironmentSettings Settings { get; }

    /// <summary>Fails synth of this stack (and only this one) with a message naming what to pass.</summary>
    protected void Require(bool condition, string message)
    {
        if (!condition)
        {
            Annotations.Of(this).AddError(message);
        }
    }
}
