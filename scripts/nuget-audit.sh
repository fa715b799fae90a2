#!/usr/bin/env bash
# The NuGet advisory gate (.github/workflows/audit.yml): lists every package with a known advisory, direct or
# transitive, across the solution (or the project or solution given), from the advisory sources NuGet is configured
# with (nuget.org's unless a nuget.config names <auditSources>).
#   scripts/nuget-audit.sh [PROJECT_OR_SOLUTION]
# Prints one table row per package, version and advisory (also into the GitHub run summary when there is one) and
# exits 1 when any advisory is High or Critical, 2 when the list cannot be made. Restores and builds never fail on
# advisories (Directory.Build.props): this gate is where they block, on pull requests and on a weekly schedule.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:-Site.sln}"

json=$(dotnet list "$target" package --vulnerable --include-transitive --format json) || {
    echo "nuget-audit: dotnet list package failed for $target" >&2
    exit 2
}

# One line per package, version and advisory: severity, package, version, advisory, projects (comma separated).
rows=$(jq -r '
    [.projects[]
     | .path as $project
     | (.frameworks // [])[]
     | ((.topLevelPackages // []) + (.transitivePackages // []))[]
     | . as $package
     | .vulnerabilities[]
     | {severity, id: $package.id, version: $package.resolvedVersion, url: .advisoryurl, project: ($project | split("/") | last)}]
    | group_by([.severity, .id, .version, .url])[]
    | [.[0].severity, .[0].id, .[0].version, .[0].url, (map(.project) | unique | join(", "))]
    | @tsv' <<<"$json")

report() {
    if [ -z "$rows" ]; then
        echo "No NuGet package with a known advisory in $target."
        return
    fi
    echo "| Severity | Package | Version | Advisory | Projects |"
    echo "| --- | --- | --- | --- | --- |"
    while IFS=$'\t' read -r severity id version url projects; do
        echo "| $severity | $id | $version | $url | $projects |"
    done <<<"$rows"
}

report
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    { echo "### NuGet advisories"; report; } >>"$GITHUB_STEP_SUMMARY"
fi

blocking=$(awk -F'\t' '$1 == "High" || $1 == "Critical"' <<<"$rows")
if [ -n "$blocking" ]; then
    while IFS=$'\t' read -r severity id version url _; do
        echo "::error title=NuGet advisory::$id $version: $severity, $url"
    done <<<"$blocking"
    exit 1
fi
