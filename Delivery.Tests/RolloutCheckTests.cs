using System.Runtime.Versioning;

using Site.Web.Tests.Infrastructure;

namespace Site.Delivery.Tests;

/// <summary>
/// scripts/verify-rollout.sh, the deploy's last step, against a stand-in for the AWS CLI calls it makes (there is no
/// ECS here), answered as the CLI's --query would: a blue/green service deployment that moves through the states a
/// test lists, one per poll, and the site (a real local server) behind the stack's SiteUrl output.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class RolloutCheckTests : IDisposable
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";
    private const string Digest = "sha256:5555555555555555555555555555555555555555555555555555555555555555";
    private const string Stack = "site-prod-service";
    private const string NewTask = "arn:aws:ecs:us-east-1:123456789012:task-definition/site-prod-web:8";
    private const string OldTask = "arn:aws:ecs:us-east-1:123456789012:task-definition/site-prod-web:7";
    private const string NewDeployment = "arn:aws:ecs:us-east-1:123456789012:service-deployment/site-prod/web/new";
    private const string OldDeployment = "arn:aws:ecs:us-east-1:123456789012:service-deployment/site-prod/web/old";

    private static readonly string Script = RepositoryFiles.PathOf("scripts/verify-rollout.sh");

    private readonly AwsCliStandIn aws = new("rollout-check", $$$"""
            #!/usr/bin/env bash
            # Stand-in: the CloudFormation and ECS calls of verify-rollout.sh, nothing else.
            set -euo pipefail
            here="$(dirname "$0")"
            echo "$*" >>"$here/calls.log"
            case "$1 $2" in
            "cloudformation describe-stack-resources")
                case "$*" in
                *AWS::ECS::Cluster*) echo site-prod ;;
                *AWS::ECS::Service*) echo arn:aws:ecs:us-east-1:123456789012:service/site-prod/web ;;
                *AWS::ECS::TaskDefinition*) echo {{{NewTask}}} ;;
                esac ;;
            "ecs describe-task-definition") cat "$here/containers.json" ;;
            "ecs list-service-deployments") cat "$here/deployments.json" ;;
            "ecs describe-service-deployments")
                poll=$(($(cat "$here/polls" 2>/dev/null || echo 0) + 1))
                echo "$poll" >"$here/polls"
                line="$(sed -n "${poll}p" "$here/states")"
                [ -n "$line" ] || line="$(tail -n 1 "$here/states")"
                read -r status stage revision <<<"$line"
                jq -n --arg status "$status" --arg stage "$stage" --arg revision "revision-$revision" \
                    '{status: $status, lifecycleStage: $stage, statusReason: "the reason ECS gives", targetServiceRevision: {arn: $revision}}' ;;
            "ecs describe-service-revisions") cat "$here/$(grep -oE 'revision-(new|old)' <<<"$*")" ;;
            "ecs describe-services") echo "2026-12-01T10:05:00+00:00	a service event" ;;
            *) echo "unexpected: $*" >&2; exit 255 ;;
            esac
            """);
    private readonly JsonDocumentServer site = new(_ => new Dictionary<string, string> { ["/health/ready"] = "{}", ["/"] = "{}" });

    public RolloutCheckTests()
    {
        aws.Write("containers.json", $$"""
            [{"name": "web", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/site-prod@{{Digest}}",
              "environment": [{"name": "APP_VERSION", "value": "{{Sha}}"}]}]
            """);
        // Listed oldest last on purpose: the script must pick the newest by its time, not by its place.
        aws.Write("deployments.json", $$"""
            [{"serviceDeploymentArn": "{{NewDeployment}}", "createdAt": "2026-12-01T10:00:00.000000+00:00", "status": "IN_PROGRESS"},
             {"serviceDeploymentArn": "{{OldDeployment}}", "createdAt": "2026-11-30T09:00:00.000000+00:00", "status": "SUCCESSFUL"}]
            """);
        aws.Write("outputs.json", $$$"""{"{{{Stack}}}": {"SiteUrl": "{{{site.Root}}}/"}}""");
        aws.Write("revision-new", NewTask);
        aws.Write("revision-old", OldTask);
    }

    public void Dispose()
    {
        site.Dispose();
        aws.Dispose();
    }

    [Fact]
    public async Task ADeploymentThatPassesTestTrafficAndTheBakeTimeSucceedsAndTheSiteIsProbed()
    {
        var (exitCode, output) = await RunAsync(
            "IN_PROGRESS SCALE_UP new",
            "IN_PROGRESS TEST_TRAFFIC_SHIFT new",
            "IN_PROGRESS PRODUCTION_TRAFFIC_SHIFT new",
            "IN_PROGRESS BAKE_TIME new",
            "SUCCESSFUL CLEAN_UP new");

        Assert.True(exitCode == 0, $"The check exited {exitCode}:\n{output}");
        Assert.Contains("Deployment IN_PROGRESS at BAKE_TIME", output, StringComparison.Ordinal);
        Assert.Contains($"Deployment SUCCESSFUL: production runs {NewTask}.", output, StringComparison.Ordinal);
        Assert.Contains($"{site.Root}/health/ready answered 200.", output, StringComparison.Ordinal);
        var described = File.ReadAllLines(aws.PathOf("calls.log")).Where(c => c.StartsWith("ecs describe-service-deployments", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, described.Count);
        Assert.All(described, c => Assert.Contains(NewDeployment, c, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ADeploymentRolledBackDuringTheBakeTimeFailsTheDeployWithECSsReasonAndTheSiteIsNotProbed()
    {
        var (exitCode, output) = await RunAsync(
            "IN_PROGRESS BAKE_TIME new",
            "ROLLBACK_IN_PROGRESS BAKE_TIME new",
            "ROLLBACK_SUCCESSFUL CLEAN_UP new");

        Assert.True(exitCode == 1, $"The check exited {exitCode}:\n{output}");
        Assert.Contains("::error::Deployment ROLLBACK_IN_PROGRESS at BAKE_TIME, production is back on the previous version: the reason ECS gives",
            output, StringComparison.Ordinal);
        Assert.Contains("a service event", output, StringComparison.Ordinal);
        Assert.DoesNotContain("answered 200", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADeploymentStillBakingAtTheTimeLimitFailsTheDeploy()
    {
        var (exitCode, output) = await RunAsync(limitSeconds: 0, "IN_PROGRESS BAKE_TIME new");

        Assert.True(exitCode == 1, $"The check exited {exitCode}:\n{output}");
        Assert.Contains("::error::Deployment still IN_PROGRESS at BAKE_TIME after 0 s.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANewerDeploymentOfAnotherTaskDefinitionFailsTheDeploy()
    {
        var (exitCode, output) = await RunAsync("IN_PROGRESS SCALE_UP old");

        Assert.True(exitCode == 1, $"The check exited {exitCode}:\n{output}");
        Assert.Contains($"::error::The newest deployment runs {OldTask}, not {NewTask}", output, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Output)> RunAsync(params string[] states) => RunAsync(limitSeconds: 600, states);

    private async Task<(int ExitCode, string Output)> RunAsync(int limitSeconds, params string[] states)
    {
        aws.Write("states", string.Join('\n', states) + "\n");
        var info = aws.Start(Script, Stack, Sha, Digest, aws.PathOf("outputs.json"));
        info.Environment["ROLLOUT_LIMIT_SECONDS"] = limitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["ROLLOUT_POLL_SECONDS"] = "0";
        info.Environment.Remove("GITHUB_OUTPUT");
        return await LocalMachine.RunAsync(info, TimeSpan.FromMinutes(2));
    }
}
