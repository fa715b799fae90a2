using System.Text.Json;
using Site.Cdk.Service;
using Site.Cdk.Tests.Synthesis;

namespace Site.Deploy.Tests.Rehearsal;

/// <summary>One container of the task definition, resolved as at deploy time.</summary>
public sealed record ContainerSpec(
    string Name,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyDictionary<string, string> Secrets,
    IReadOnlyList<string> Command,
    IReadOnlyList<(string Container, string Condition)> DependsOn)
{
    /// <summary>What the container starts with: its environment and its secrets, which ECS never lets overlap.</summary>
    public Dictionary<string, string> Settings()
    {
        Assert.Empty(Environment.Keys.Intersect(Secrets.Keys));
        return Environment.Concat(Secrets).ToDictionary(s => s.Key, s => s.Value);
    }
}

/// <summary>
/// What the service template tells ECS and the load balancer about the task: its containers (with their
/// environment and secrets, by name, as each container sees them), the web container's port and health check
/// command, and what the target group probes.
/// </summary>
public sealed record WebTask(
    ContainerSpec Web,
    IReadOnlyList<ContainerSpec> Containers,
    int ContainerPort,
    int ServiceContainerPort,
    IReadOnlyList<string> HealthCheckCommand,
    string TargetHealthCheckPath,
    string TargetHealthyCodes)
{
    public IReadOnlyDictionary<string, string> Environment => Web.Environment;

    public IReadOnlyDictionary<string, string> Secrets => Web.Secrets;

    public static WebTask Read(SynthesizedSite site, DeployTime deployTime)
    {
        var service = site.Service;
        var definitions = service.Only("AWS::ECS::TaskDefinition").Items("ContainerDefinitions").ToList();
        var containers = definitions.Select(c => ReadContainer(service, deployTime, c)).ToList();
        var web = definitions.Single(c => c.Str("Name") == WebService.ContainerName);
        var loadBalancer = service.Only("AWS::ECS::Service").Items("LoadBalancers").Single();
        // Blue/green has two target groups checked alike (Cdk.Tests); the service names the first.
        var targetGroup = service.Resource(loadBalancer.At("TargetGroupArn").Target()).At("Properties");

        return new WebTask(
            containers.Single(c => c.Name == WebService.ContainerName),
            containers,
            Assert.Single(web.Items("PortMappings")).Int("ContainerPort"),
            loadBalancer.Int("ContainerPort"),
            web.Items("HealthCheck", "Command").Select(c => c.GetString()!).ToList(),
            targetGroup.Str("HealthCheckPath"),
            targetGroup.Str("Matcher", "HttpCode"));
    }

    private static ContainerSpec ReadContainer(StackTemplate service, DeployTime deployTime, JsonElement container)
    {
        IEnumerable<JsonElement> List(string name) => container.Has(name) ? container.Items(name) : [];
        return new ContainerSpec(
            container.Str("Name"),
            List("Environment").ToDictionary(e => e.Str("Name"), e => deployTime.Resolve(service, e.At("Value"))),
            List("Secrets").ToDictionary(s => s.Str("Name"), s => deployTime.SecretValue(deployTime.Resolve(service, s.At("ValueFrom")))),
            List("Command").Select(c => c.GetString()!).ToList(),
            List("DependsOn").Select(d => (d.Str("ContainerName"), d.Str("Condition"))).ToList());
    }
}
