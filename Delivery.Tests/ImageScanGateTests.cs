using System.Runtime.Versioning;

using Site.Web.Tests.Infrastructure;

namespace Site.Delivery.Tests;

/// <summary>
/// scripts/ecr-scan-gate.sh, the deploy's image vulnerability gate, run against a stand-in for the two AWS CLI calls
/// it makes (there is no ECR here): an image index of two platform images and an attestation manifest, each image's
/// scan complete with the critical findings a test gives it, answered as the CLI's --query and --output text would.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class ImageScanGateTests : IDisposable
{
    private const string Index = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string Amd64 = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
    private const string Arm64 = "sha256:3333333333333333333333333333333333333333333333333333333333333333";
    private const string Attestation = "sha256:4444444444444444444444444444444444444444444444444444444444444444";

    private static readonly string Gate = RepositoryFiles.PathOf("scripts/ecr-scan-gate.sh");

    private readonly AwsCliStandIn aws = new("scan-gate", """
            #!/usr/bin/env bash
            # Stand-in: `aws ecr batch-get-image` and `aws ecr describe-image-scan-findings`, nothing else.
            set -euo pipefail
            here="$(dirname "$0")"
            echo "$*" >>"$here/calls.log"
            image="$(grep -o 'imageDigest=sha256:[0-9a-f]*' <<<"$*" | cut -d: -f2)"
            case "$2" in
            batch-get-image) cat "$here/index.json" ;;
            describe-image-scan-findings)
                if [[ "$*" == *imageScanStatus.status* ]]; then echo COMPLETE; else cat "$here/findings-$image.txt" 2>/dev/null || true; fi ;;
            *) echo "unexpected: $*" >&2; exit 255 ;;
            esac
            """);

    public ImageScanGateTests()
    {
        aws.Write("index.json", $$$"""
            {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": [
              {"digest": "{{{Amd64}}}", "platform": {"os": "linux", "architecture": "amd64"}},
              {"digest": "{{{Arm64}}}", "platform": {"os": "linux", "architecture": "arm64"}},
              {"digest": "{{{Attestation}}}", "platform": {"os": "unknown", "architecture": "unknown"}}]}
            """);
    }

    public void Dispose() => aws.Dispose();

    [Fact]
    public async Task ACriticalFindingInEitherPlatformImageBlocksTheDeployAndIsNamed()
    {
        Findings(Arm64, "CVE-2026-0001\topenssl");

        var (exitCode, output) = await RunAsync(accepted: "");

        Assert.True(exitCode == 1, $"The gate exited {exitCode}:\n{output}");
        Assert.Contains($"| `{Arm64}` | CVE-2026-0001 | openssl | blocks the deploy |", output, StringComparison.Ordinal);
        var calls = File.ReadAllText(aws.PathOf("calls.log"));
        Assert.Contains(Amd64, calls, StringComparison.Ordinal);
        Assert.DoesNotContain(Attestation, calls, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFindingAcceptedUntilALaterDayPassesAndOneWhoseDayIsPastBlocksAgain()
    {
        Findings(Amd64, "CVE-2026-0001\topenssl\nCVE-2026-0002\tzlib");

        var accepted = await RunAsync(accepted: "CVE-2026-0001 2999-12-31 not reachable\nCVE-2026-0002 2999-12-31 not reachable\n");
        Assert.True(accepted.ExitCode == 0, $"The gate exited {accepted.ExitCode}:\n{accepted.Output}");
        Assert.Contains("| CVE-2026-0002 | zlib | accepted", accepted.Output, StringComparison.Ordinal);

        var expired = await RunAsync(accepted: "CVE-2026-0001 2999-12-31 not reachable\nCVE-2026-0002 2000-01-01 fixed upstream by now\n");
        Assert.True(expired.ExitCode == 1, $"The gate exited {expired.ExitCode}:\n{expired.Output}");
        Assert.Contains("| CVE-2026-0002 | zlib | blocks the deploy |", expired.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAcceptanceWithoutExpiryOrReasonAcceptsNothingAndStopsTheGate()
    {
        Findings(Amd64, "CVE-2026-0001\topenssl");

        var (exitCode, output) = await RunAsync(accepted: "CVE-2026-0001 forever\n");

        Assert.True(exitCode == 2, $"The gate exited {exitCode}:\n{output}");
    }

    [Fact]
    public void TheCommittedAcceptedFindingsFileIsWellFormed()
    {
        var entries = RepositoryFiles.Read("security/accepted-findings.txt").Split('\n')
            .Where(line => line.Trim().Length > 0 && !line.TrimStart().StartsWith('#'));

        Assert.All(entries, line => Assert.Matches(@"^\S+\s+\d{4}-\d{2}-\d{2}\s+\S", line));
    }

    private void Findings(string image, string lines) =>
        aws.Write($"findings-{image["sha256:".Length..]}.txt", lines + "\n");

    private async Task<(int ExitCode, string Output)> RunAsync(string accepted)
    {
        aws.Write("accepted.txt", accepted);
        var info = aws.Start(Gate, "123456789012.dkr.ecr.us-east-1.amazonaws.com/site-prod", Index);
        info.Environment["ACCEPTED_FINDINGS"] = aws.PathOf("accepted.txt");
        info.Environment.Remove("GITHUB_STEP_SUMMARY");
        return await LocalMachine.RunAsync(info, TimeSpan.FromMinutes(2));
    }
}
