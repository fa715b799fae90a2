using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static Site.Web.Tests.Delivery.Workflow;

using Site.Web.Tests.Infrastructure;

namespace Site.Web.Tests.Delivery;

/// <summary>The promises of the GitHub Actions workflows, which cannot run here, checked on the files.</summary>
public sealed partial class WorkflowTests
{
    private const string ConfigureAwsCredentials = "aws-actions/configure-aws-credentials";

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
            Assert.InRange(minutes, 1, 90);
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
    public void EveryActionIsPinnedToAMajorVersionOrACommit()
    {
        var files = Files.Concat(Directory.GetFiles(RepositoryFiles.PathOf(".github/actions"), "action.yml", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(RepositoryFiles.Root, path)));
        var uses = files.Select(Load)
            .SelectMany(w => w.Jobs.Values.Append(w.Root))
            .SelectMany(Steps)
            .Select(step => Scalar(step, "uses"))
            .OfType<string>()
            .Where(action => !action.StartsWith("./", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(uses);
        Assert.All(uses, action => Assert.Matches(PinnedAction(), action));
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
    public void TheImageIsBuiltForBothArchitecturesAndRunAgainstMySqlBeforeAnythingIsDeployed()
    {
        var image = ci.Jobs["image"];
        var builds = Steps(image).Where(step => Scalar(step, "uses")?.StartsWith("docker/build-push-action@", StringComparison.Ordinal) == true).ToList();

        Assert.Equal(["linux/amd64", "linux/arm64"], builds.Select(b => Scalar(Mapping(b, "with")!, "platforms")).Order());
        Assert.All(builds, b => Assert.StartsWith("type=gha", Scalar(Mapping(b, "with")!, "cache-from"), StringComparison.Ordinal));
        Assert.Equal("scripts/image-check.sh site:ci", Scalar(Steps(image)[^1], "run"));
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
    public void DeploysAssumeRolesThroughOidcFromVariablesAndUseNoStoredKeys()
    {
        var job = deploy.Jobs["deploy"];
        var logins = Steps(job).Where(step => Scalar(step, "uses")?.StartsWith(ConfigureAwsCredentials, StringComparison.Ordinal) == true).ToList();

        Assert.Equal("write", Permissions(job)["id-token"]);
        Assert.NotEmpty(logins);
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
    public void TheProductionDeployIsGatedByItsEnvironmentAndVerifiedAfterCdkDeploy()
    {
        var job = deploy.Jobs["deploy"];
        Assert.Equal("production", Scalar(Mapping(job, "environment")!, "name"));

        var runs = Steps(job).Select(step => Scalar(step, "run") ?? Scalar(step, "uses") ?? "").ToList();
        var push = runs.FindIndex(r => r.StartsWith("docker/build-push-action@", StringComparison.Ordinal));
        var cdkDeploy = runs.FindIndex(r => r.Contains("npx cdk deploy", StringComparison.Ordinal));
        var verify = runs.FindIndex(r => r.StartsWith("scripts/verify-rollout.sh", StringComparison.Ordinal));
        Assert.True(push >= 0 && push < cdkDeploy && cdkDeploy < verify, "The image is pushed, then deployed, then verified.");
        Assert.Contains("--require-approval never", runs[cdkDeploy], StringComparison.Ordinal);
        Assert.Contains("-c imageTag=\"$SHA\"", runs[cdkDeploy], StringComparison.Ordinal);
        Assert.Equal("linux/arm64,linux/amd64", Scalar(Mapping(Steps(job)[push], "with")!, "platforms"));
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

    [GeneratedRegex(@"^[\w.-]+/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$")]
    private static partial Regex PinnedAction();

    [GeneratedRegex(@"secrets\.AWS_|aws-(access-key-id|secret-access-key)|AKIA[0-9A-Z]{16}")]
    private static partial Regex StoredAwsKey();
}
