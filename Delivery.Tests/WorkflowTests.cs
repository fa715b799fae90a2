using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static Site.Delivery.Tests.Workflow;

using Site.Web.Tests.Infrastructure;

namespace Site.Delivery.Tests;

/// <summary>The promises of the GitHub Actions workflows, which cannot run here, checked on the files.</summary>
public sealed partial class WorkflowTests
{
    private const string ConfigureAwsCredentials = "aws-actions/configure-aws-credentials";
    private const string BuildPushAction = "docker/build-push-action";

    /// <summary>The multi-arch image CI builds once, as an OCI archive, and the artifact that carries it to later jobs.</summary>
    private const string ImageArchive = "${{ runner.temp }}/image.tar";
    private const string ImageArtifact = "image";

    private readonly Workflow ci = Load($"{Folder}/ci.yml");
    private readonly Workflow deploy = Load($"{Folder}/deploy.yml");
    private readonly Workflow rdsCa = Load($"{Folder}/rds-ca.yml");

    public static TheoryData<string> WorkflowFiles => [.. Files];

    [Theory]
    [MemberData(nameof(WorkflowFiles))]
    public void EveryJobHasATimeout(string file)
    {
        Assert.All(Load(file).Jobs, job =>
        {
            Assert.True(int.TryParse(Scalar(job.Value, "timeout-minutes"), out var minutes), $"{file}: job {job.Key} has no timeout-minutes.");
            // The longest is the production deploy (a first one creates a Multi-AZ database: see deploy.yml).
            Assert.InRange(minutes, 1, 120);
        });
    }

    [Theory]
    [MemberData(nameof(WorkflowFiles))]
    public void NothingIsPermittedByDefaultAndEveryJobDeclaresWhatItNeeds(string file)
    {
        var workflow = Load(file);

        Assert.Empty(Assert.IsType<YamlMappingNode>(Child(workflow.Root, "permissions")).Children);
        Assert.All(workflow.Jobs, job => Assert.True(Mapping(job.Value, "permissions") is not null, $"{file}: job {job.Key} declares no permissions."));
    }

    [Theory]
    [MemberData(nameof(WorkflowFiles))]
    public void WritePermissionsAreGivenOnlyToJobsThatUseThem(string file)
    {
        foreach (var (name, job) in Load(file).Jobs)
        {
            foreach (var (scope, access) in Permissions(job).Where(p => p.Value == "write"))
            {
                var needed = scope switch
                {
                    "id-token" => Uses(job, ConfigureAwsCredentials),
                    "contents" => Runs(job, "git push"),
                    "pull-requests" => Uses(job, "actions/github-script") || Runs(job, "gh pr "),
                    _ => false,
                };
                Assert.True(needed, $"{file}: job {name} has {scope}: {access} without a step that needs it.");
            }
        }
    }

    [Fact]
    public void EveryActionIsPinnedToACommitNamedByItsReleaseInAComment()
    {
        // A tag can be moved to other code; a commit cannot. The comment is what Dependabot and a reader update by.
        var files = Files.Concat(Directory.GetFiles(RepositoryFiles.PathOf(".github/actions"), "action.yml", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(RepositoryFiles.Root, path)));
        var uses = files
            .SelectMany(file => RepositoryFiles.Read(file).Split('\n').Select(line => (file, line: line.Trim())))
            .Where(pair => UsesLine().IsMatch(pair.line) && !pair.line.Contains("uses: ./", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(uses);
        Assert.All(uses, pair => Assert.True(PinnedAction().IsMatch(pair.line), $"{pair.file}: '{pair.line}' is not owner/name@<40-hex commit> # vX.Y.Z."));
        // Every step's action, as the YAML reads it, is among the lines checked.
        var parsed = files.Select(Load).SelectMany(w => w.Jobs.Values.Append(w.Root)).SelectMany(Steps).Select(step => Scalar(step, "uses"))
            .OfType<string>().Count(action => !action.StartsWith("./", StringComparison.Ordinal));
        Assert.Equal(parsed, uses.Count);
    }

    [Fact]
    public void TheDeployPassesTheImagesScanGateForTheDigestBeforeCdkDeploy()
    {
        var steps = Steps(deploy.Jobs["deploy"]).Select(step => Scalar(step, "run") ?? "").ToList();
        var gate = steps.FindIndex(run => run.Contains("scripts/ecr-scan-gate.sh", StringComparison.Ordinal));
        var cdkDeploy = steps.FindIndex(run => run.Contains("npx cdk deploy", StringComparison.Ordinal));

        Assert.InRange(gate, 0, cdkDeploy - 1);
        Assert.Equal("${{ steps.image.outputs.digest }}", Scalar(Mapping(Steps(deploy.Jobs["deploy"])[gate], "env")!, "DIGEST"));
    }

    [Fact]
    public void PullRequestDiffsCreateNoChangeSet()
    {
        // A change set needs the deploy role; the diff role only reads templates.
        Assert.True(Runs(ci.Jobs["diff"], "npx cdk diff --no-change-set"), "The diff job runs cdk diff --no-change-set.");
    }

    [Fact]
    public void PullRequestsAndPushesToMainRunMakeTestAgainstAMySql84Service()
    {
        var on = Assert.IsType<YamlMappingNode>(Child(ci.Root, "on"));
        Assert.NotNull(Child(on, "pull_request"));
        Assert.Contains("main", ((YamlSequenceNode)Child(Mapping(on, "push")!, "branches")!).Select(b => b.ToString()));

        var test = Assert.Single(ci.Jobs.Values, job => Steps(job).Any(step => Scalar(step, "run") == "make test"));
        var mysql = Assert.Single(Mapping(test, "services")!.Children.Values.Cast<YamlMappingNode>());
        Assert.Equal("mysql:8.4", Scalar(mysql, "image"));
        Assert.Contains("3306:3306", ((YamlSequenceNode)Child(mysql, "ports")!).Select(p => p.ToString()));

        var environment = Mapping(test, "env")!;
        Assert.Contains("Server=127.0.0.1;Port=3306;", Scalar(environment, "TEST_MYSQL_ADMIN_CONNECTION_STRING"), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(Scalar(environment, "CHROMIUM_PATH")));
        Assert.Contains(Steps(test), step => Scalar(step, "run") == "make build");
    }

    [Fact]
    public void TheImageIsBuiltOnceForBothArchitecturesWithItsSbomAndProvenanceIntoOneArchiveKeptForTheLaterJobs()
    {
        var (job, build) = Assert.Single(ci.Jobs.SelectMany(job => Steps(job.Value).Select(step => (job.Key, step))),
            pair => IsAction(pair.step, BuildPushAction) || DockerBuild().IsMatch(Scalar(pair.step, "run") ?? ""));
        var with = Mapping(build, "with")!;

        Assert.Equal("image", job);
        Assert.Equal("linux/amd64,linux/arm64", Scalar(with, "platforms"));
        Assert.Equal($"type=oci,dest={ImageArchive}", Scalar(with, "outputs"));
        Assert.Null(Child(with, "push"));
        Assert.StartsWith("type=gha", Scalar(with, "cache-from"), StringComparison.Ordinal);
        Assert.Equal("APP_VERSION=${{ github.sha }}", Scalar(with, "build-args"));
        // Attestation manifests in the archive's index, which the push copies whole (--all) to ECR.
        Assert.Equal(("true", "mode=max"), (Scalar(with, "sbom"), Scalar(with, "provenance")));
        Assert.True(Runs(ci.Jobs["push"], "skopeo copy --all"), "The push copies the whole index, attestations included.");
        var upload = Assert.Single(Steps(ci.Jobs[job]), step => IsAction(step, "actions/upload-artifact"));
        Assert.Equal((ImageArtifact, ImageArchive), (Scalar(Mapping(upload, "with")!, "name"), Scalar(Mapping(upload, "with")!, "path")));
    }

    [Fact]
    public void ThatVeryArchiveIsRunAgainstMySqlOnANativeRunnerOfEachArchitecture()
    {
        var check = ci.Jobs["image-check"];
        var matrix = Mapping(Mapping(check, "strategy")!, "matrix")!;
        var runners = ((YamlSequenceNode)Child(matrix, "include")!).Cast<YamlMappingNode>()
            .ToDictionary(entry => Scalar(entry, "arch")!, entry => Scalar(entry, "runner")!);

        Assert.Equal("image", Scalar(check, "needs"));
        Assert.Equal(new Dictionary<string, string> { ["amd64"] = "ubuntu-24.04", ["arm64"] = "ubuntu-24.04-arm" }, runners);
        Assert.Equal("${{ matrix.runner }}", Scalar(check, "runs-on"));
        AssertDownloadsTheArchive(check);
        var steps = Steps(check);
        var load = Assert.Single(steps, step => Scalar(step, "run")?.StartsWith("skopeo ", StringComparison.Ordinal) == true);
        Assert.Equal("skopeo --override-arch \"$ARCH\" copy \"oci-archive:$ARCHIVE\" docker-daemon:site:ci", Scalar(load, "run"));
        Assert.Equal(("${{ matrix.arch }}", ImageArchive), (Scalar(Mapping(load, "env")!, "ARCH"), Scalar(Mapping(load, "env")!, "ARCHIVE")));
        Assert.Equal("scripts/image-check.sh site:ci", Scalar(steps[^1], "run"));
        Assert.DoesNotContain(steps, IsImageBuild);
    }

    [Fact]
    public void OnlyPushesToMainPushTheCheckedArchiveUnchangedTaggedWithTheCommitAndReportItsDigest()
    {
        var push = ci.Jobs["push"];
        var steps = Steps(push);
        var copy = Assert.Single(steps, step => Scalar(step, "run")?.Contains("skopeo copy", StringComparison.Ordinal) == true);
        var script = Scalar(copy, "run")!;
        var env = Mapping(copy, "env")!;
        var login = Mapping(Assert.Single(steps, step => IsAction(step, ConfigureAwsCredentials)), "with")!;

        Assert.Equal("github.event_name == 'push' && github.ref == 'refs/heads/main'", Scalar(push, "if"));
        Assert.Equal(["image-check", "synth", "test"], ((YamlSequenceNode)Child(push, "needs")!).Select(n => n.ToString()).Order());
        AssertDownloadsTheArchive(push);
        Assert.Equal("${{ vars.AWS_IMAGE_PUSH_ROLE_ARN }}", Scalar(login, "role-to-assume"));
        Assert.Contains("skopeo copy --all --preserve-digests", script, StringComparison.Ordinal);
        Assert.Contains("\"oci-archive:$ARCHIVE\" \"docker://$REPOSITORY:$SHA\"", script, StringComparison.Ordinal);
        Assert.Equal((ImageArchive, "${{ github.sha }}", "${{ vars.ECR_REPOSITORY_URI }}"),
            (Scalar(env, "ARCHIVE"), Scalar(env, "SHA"), Scalar(env, "REPOSITORY")));
        // An existing tag (a re-run) is reported rather than pushed again: tags are immutable.
        Assert.Contains("scripts/ecr-digest.sh \"$REPOSITORY\" \"$SHA\"", script, StringComparison.Ordinal);
        Assert.Contains("echo \"digest=$digest\" >>\"$GITHUB_OUTPUT\"", script, StringComparison.Ordinal);
        Assert.Contains("$GITHUB_STEP_SUMMARY", script, StringComparison.Ordinal);
        Assert.Equal($"${{{{ steps.{Scalar(copy, "id")}.outputs.digest }}}}", Scalar(Mapping(push, "outputs")!, "digest"));
        Assert.DoesNotContain(steps, IsImageBuild);
    }

    [Fact]
    public void SupersededPullRequestRunsAreCancelledButRunsOnMainAreNot()
    {
        var concurrency = Mapping(ci.Root, "concurrency")!;

        Assert.Contains("github.event.pull_request.number", Scalar(concurrency, "group"), StringComparison.Ordinal);
        Assert.Equal("${{ github.event_name == 'pull_request' }}", Scalar(concurrency, "cancel-in-progress"));
    }

    [Fact]
    public void DeploysFollowAPassingCiOfAPushToMainOrAManualRun()
    {
        var on = Mapping(deploy.Root, "on")!;
        var run = Mapping(on, "workflow_run")!;

        Assert.Equal([Scalar(ci.Root, "name")], ((YamlSequenceNode)Child(run, "workflows")!).Select(w => w.ToString()));
        Assert.Equal(["main"], ((YamlSequenceNode)Child(run, "branches")!).Select(w => w.ToString()));
        Assert.NotNull(Child(on, "workflow_dispatch"));
        var condition = Scalar(deploy.Jobs["commit"], "if")!;
        Assert.Contains("github.event.workflow_run.conclusion == 'success'", condition, StringComparison.Ordinal);
        Assert.Contains("github.event.workflow_run.event == 'push'", condition, StringComparison.Ordinal);
    }

    [Fact]
    public void AwsRolesAreAssumedThroughOidcFromVariablesAndNoKeysAreStored()
    {
        var jobs = Files.Select(Load).SelectMany(w => w.Jobs.Values).Where(job => Uses(job, ConfigureAwsCredentials)).ToList();
        var logins = jobs.SelectMany(Steps).Where(step => IsAction(step, ConfigureAwsCredentials)).ToList();

        Assert.Contains(deploy.Jobs["deploy"], jobs);
        Assert.Contains(ci.Jobs["push"], jobs);
        Assert.All(jobs, job => Assert.Equal("write", Permissions(job)["id-token"]));
        Assert.All(logins, login =>
        {
            var with = Mapping(login, "with")!;
            Assert.Contains("${{ vars.", Scalar(with, "role-to-assume"), StringComparison.Ordinal);
            Assert.Contains("${{ vars.", Scalar(with, "aws-region"), StringComparison.Ordinal);
            Assert.Null(Child(with, "aws-access-key-id"));
            Assert.Null(Child(with, "aws-secret-access-key"));
        });
        Assert.All(Files.Select(RepositoryFiles.Read), text => Assert.DoesNotMatch(StoredAwsKey(), text));
    }

    [Fact]
    public void OneDeployRunsAtATimeAndNoneIsEverCancelled()
    {
        var concurrency = Mapping(deploy.Root, "concurrency")!;

        Assert.False(string.IsNullOrWhiteSpace(Scalar(concurrency, "group")));
        Assert.Equal("false", Scalar(concurrency, "cancel-in-progress"));
        Assert.All(deploy.Jobs.Values, job => Assert.Null(Child(job, "concurrency")));
    }

    [Fact]
    public void TheProductionDeployIsGatedByItsEnvironmentAndDeploysTheDigestCiPushedThenVerifiesIt()
    {
        var job = deploy.Jobs["deploy"];
        Assert.Equal("production", Scalar(Mapping(job, "environment")!, "name"));

        var steps = Steps(job);
        var runs = steps.Select(step => Scalar(step, "run") ?? "").ToList();
        var lookup = runs.FindIndex(r => r.Contains("scripts/ecr-digest.sh \"$REPOSITORY\" \"$SHA\"", StringComparison.Ordinal));
        var cdkDeploy = runs.FindIndex(r => r.Contains("npx cdk deploy", StringComparison.Ordinal));
        var verify = runs.FindIndex(r => r.StartsWith("scripts/verify-rollout.sh", StringComparison.Ordinal));
        Assert.True(lookup >= 0 && lookup < cdkDeploy && cdkDeploy < verify, "The digest is looked up, then deployed, then verified.");
        Assert.Contains("::error::", runs[lookup], StringComparison.Ordinal);
        var digest = $"${{{{ steps.{Scalar(steps[lookup], "id")}.outputs.digest }}}}";

        Assert.Contains("--require-approval never", runs[cdkDeploy], StringComparison.Ordinal);
        Assert.Contains("-c imageTag=\"$SHA\"", runs[cdkDeploy], StringComparison.Ordinal);
        Assert.Contains("-c imageDigest=\"$DIGEST\"", runs[cdkDeploy], StringComparison.Ordinal);
        Assert.Equal(digest, Scalar(Mapping(steps[cdkDeploy], "env")!, "DIGEST"));
        Assert.Equal("scripts/verify-rollout.sh \"$SERVICE_STACK\" \"$SHA\" \"$DIGEST\" cdk-outputs.json", runs[verify]);
        Assert.Equal(digest, Scalar(Mapping(steps[verify], "env")!, "DIGEST"));
    }

    [Fact]
    public void BeforeDeployingAFailedFirstCreateIsUnblockedForBothStacks()
    {
        var steps = Steps(deploy.Jobs["deploy"]);
        var runs = steps.Select(step => Scalar(step, "run") ?? "").ToList();
        var retry = runs.FindIndex(r => r.StartsWith("scripts/retry-failed-create.sh", StringComparison.Ordinal));
        var cdkDeploy = runs.FindIndex(r => r.Contains("npx cdk deploy", StringComparison.Ordinal));

        Assert.True(retry >= 0 && retry < cdkDeploy, "The failed-create check runs before cdk deploy.");
        Assert.Equal("scripts/retry-failed-create.sh \"$ACCOUNT\" \"$REGION\" \"$DATA_STACK\" \"$SERVICE_STACK\"", runs[retry]);
        Assert.Equal("site-prod-data", Scalar(Mapping(deploy.Root, "env")!, "DATA_STACK"));
        var script = RepositoryFiles.Read("scripts/retry-failed-create.sh");
        Assert.Matches(@"ROLLBACK_COMPLETE\)\s+echo [^\n]*\n\s+aws cloudformation update-termination-protection --no-enable-termination-protection", script);
        Assert.Single(Regex.Matches(script, "update-termination-protection"));
    }

    [Fact]
    public void DeploysBuildNothing()
    {
        var steps = deploy.Jobs.Values.SelectMany(Steps).ToList();

        Assert.DoesNotContain(steps, IsImageBuild);
        Assert.DoesNotContain(steps, step => IsAction(step, "aws-actions/amazon-ecr-login"));
        Assert.All(steps.Select(step => Scalar(step, "run") ?? ""), run => Assert.DoesNotMatch(@"docker (buildx )?(build|push)|skopeo", run));
    }

    [Fact]
    public void DeploysSubscribeTheAlarmAddressAndWarnWhenThereIsNone()
    {
        var cdkDeploy = Assert.Single(Steps(deploy.Jobs["deploy"]), step => Scalar(step, "run")?.Contains("npx cdk deploy", StringComparison.Ordinal) == true);
        var run = Scalar(cdkDeploy, "run")!;

        Assert.Equal("${{ vars.ALARM_EMAIL }}", Scalar(Mapping(cdkDeploy, "env")!, "ALARM_EMAIL"));
        Assert.Contains("-c alarmEmail=\"$ALARM_EMAIL\"", run, StringComparison.Ordinal);
        Assert.Matches(@"if \[ -z ""\$ALARM_EMAIL"" \]; then\s+echo ""::warning::", run);
    }

    [Fact]
    public void EveryRepositoryVariableTheWorkflowsReadIsInTheDeployGuide()
    {
        var variables = Files.Select(RepositoryFiles.Read).SelectMany(text => RepositoryVariable().Matches(text)).Select(m => m.Groups[1].Value)
            .Distinct().ToList();
        var guide = RepositoryFiles.Read("docs/deploy.md");

        Assert.Contains("ALARM_EMAIL", variables);
        Assert.All(variables, name => Assert.Contains($"| `{name}`", guide, StringComparison.Ordinal));
    }

    /// <summary>A step that builds an image or sets up the builder.</summary>
    private static bool IsImageBuild(YamlMappingNode step) =>
        IsAction(step, BuildPushAction) || IsAction(step, "docker/setup-buildx-action") || DockerBuild().IsMatch(Scalar(step, "run") ?? "");

    private static void AssertDownloadsTheArchive(YamlMappingNode job)
    {
        var download = Assert.Single(Steps(job), step => IsAction(step, "actions/download-artifact"));
        Assert.Equal(ImageArtifact, Scalar(Mapping(download, "with")!, "name"));
        Assert.Equal(Path.GetDirectoryName(ImageArchive), Scalar(Mapping(download, "with")!, "path"));
    }

    [Fact]
    public void AWeeklyRunComparesTheRdsCaBundleAndOnlyADifferenceLetsAJobWrite()
    {
        var on = Mapping(rdsCa.Root, "on")!;
        Assert.NotEmpty(Assert.IsType<YamlSequenceNode>(Child(on, "schedule")));
        Assert.NotNull(Child(on, "workflow_dispatch"));

        var (compareName, compare) = Assert.Single(rdsCa.Jobs, job => Runs(job.Value, "scripts/rds-ca.sh compare"));
        Assert.Equal(new Dictionary<string, string> { ["contents"] = "read" }, Permissions(compare));

        var propose = Assert.Single(rdsCa.Jobs.Values, job => Runs(job, "scripts/rds-ca.sh update"));
        Assert.Equal(compareName, Scalar(propose, "needs"));
        Assert.Equal($"needs.{compareName}.outputs.differs == 'true'", Scalar(propose, "if"));
        Assert.True(Runs(propose, "gh pr create") && Runs(propose, "gh pr edit"), "The job opens a pull request, or updates the open one.");
        Assert.All(rdsCa.Jobs.Values.Where(job => job != propose), job => Assert.DoesNotContain("write", Permissions(job).Values));
    }

    [GeneratedRegex(@"^(- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")]
    private static partial Regex PinnedAction();

    [GeneratedRegex(@"^(- )?uses:")]
    private static partial Regex UsesLine();

    [GeneratedRegex(@"secrets\.AWS_|aws-(access-key-id|secret-access-key)|AKIA[0-9A-Z]{16}")]
    private static partial Regex StoredAwsKey();

    [GeneratedRegex(@"docker (buildx )?build")]
    private static partial Regex DockerBuild();

    [GeneratedRegex(@"\bvars\.([A-Z0-9_]+)")]
    private static partial Regex RepositoryVariable();
}
