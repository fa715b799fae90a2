using System.Text.Json;
using Site.Cdk.Site;
using Site.Cdk.Tests.Synthesis;

namespace Site.Deploy.Tests.Rehearsal;

/// <summary>
/// What the service template tells ECS and the load balancer about the web container, resolved as at deploy time:
/// its environment and secrets (by name, as the container sees them), its port, its health check command, and
/// what the target group probes.
/// </summary>
public sealed record WebTask(
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyDictionary<string, string> Secrets,
    int ContainerPort,
    int ServiceContainerPort,
    IReadOnlyList<string> HealthCheckCommand,
    string TargetHealthCheckPath,
    string TargetHealthyCodes,
    string Image)
{
    public static WebTask Read(SynthesizedSite site, DeployTime deployTime)
    {
        var service = site.Service;
        var container = service.Only("AWS::ECS::TaskDefinition").Items("ContainerDefinitions")
            .Single(c => c.Str("Name") == WebService.ContainerName);
        var targetGroup = service.Only("AWS::ElasticLoadBalancingV2::TargetGroup");
        var loadBalancer = service.Only("AWS::ECS::Service").Items("LoadBalancers").Single();

        IEnumerable<JsonElement> List(string name) => container.Has(name) ? container.Items(name) : [];
        return new WebTask(
            List("Environment").ToDictionary(e => e.Str("Name"), e => deployTime.Resolve(service, e.At("Value"))),
            List("Secrets").ToDictionary(s => s.Str("Name"), s => deployTime.SecretValue(deployTime.Resolve(service, s.At("ValueFrom")))),
            Assert.Single(container.Items("PortMappings")).Int("ContainerPort"),
            loadBalancer.Int("ContainerPort"),
            container.Items("HealthCheck", "Command").Select(c => c.GetString()!).ToList(),
            targetGroup.Str("HealthCheckPath"),
            targetGroup.Str("Matcher", "HttpCode"),
            deployTime.Resolve(service, container.At("Image")));
    }
}
