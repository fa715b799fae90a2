#!/usr/bin/env bash
# After `cdk deploy`: proves the commit really serves, and fails saying why otherwise.
#   1. The ECS service's PRIMARY deployment uses the task definition the stack has just registered, and that
#      task definition names the image by the digest CI pushed for the commit, with APP_VERSION the commit
#      (a circuit-breaker rollback fails this).
#   2. That deployment's rollout state reaches COMPLETED (FAILED, or no end within the time limit, fails).
#   3. The site URL from the stack outputs answers 200 on /health/ready and on /.
# Usage: scripts/verify-rollout.sh SERVICE_STACK COMMIT_SHA IMAGE_DIGEST CDK_OUTPUTS_JSON
# Needs read access to CloudFormation and ECS (the CDK lookup role has it), the AWS CLI, jq and curl.
# Writes url=<site url> to $GITHUB_OUTPUT when that is set.
set -euo pipefail
stack="$1"
sha="$2"
digest="$3"
outputs="$4"
limit_seconds="${ROLLOUT_LIMIT_SECONDS:-900}"

die() {
    echo "::error::$1"
    if [ -n "${cluster:-}" ] && [ -n "${service:-}" ]; then
        echo "Latest service events:"
        aws ecs describe-services --cluster "$cluster" --services "$service" \
            --query 'services[0].events[:10].[createdAt,message]' --output text || true
    fi
    exit 1
}

resource() {
    aws cloudformation describe-stack-resources --stack-name "$stack" \
        --query "StackResources[?ResourceType=='$1'].PhysicalResourceId | [0]" --output text
}
cluster="$(resource AWS::ECS::Cluster)"
service="$(resource AWS::ECS::Service)"
registered="$(resource AWS::ECS::TaskDefinition)"
for value in "$cluster" "$service" "$registered"; do
    if [ -z "$value" ] || [ "$value" = None ]; then die "Stack $stack has no ECS cluster, service and task definition."; fi
done
echo "Service $service in cluster $cluster; task definition of this deploy: $registered"

containers="$(aws ecs describe-task-definition --task-definition "$registered" \
    --query 'taskDefinition.containerDefinitions' --output json)"
images="$(jq -r '[.[].image] | join(" ")' <<<"$containers")"
[[ " $images " == *"@$digest "* ]] || die "Task definition $registered runs $images, not $digest (the image CI pushed for $sha)."
versions="$(jq -r '[.[].environment[]? | select(.name == "APP_VERSION") | .value] | join(" ")' <<<"$containers")"
[ "$versions" = "$sha" ] || die "Task definition $registered has APP_VERSION '$versions', not $sha."
echo "Task definition $registered runs $images (APP_VERSION $sha)."

deadline=$((SECONDS + limit_seconds))
while true; do
    primary="$(aws ecs describe-services --cluster "$cluster" --services "$service" \
        --query "services[0].deployments[?status=='PRIMARY'] | [0]" --output json)"
    state="$(jq -r '.rolloutState' <<<"$primary")"
    running="$(jq -r '"\(.runningCount)/\(.desiredCount) tasks running"' <<<"$primary")"
    primary_task="$(jq -r '.taskDefinition' <<<"$primary")"
    [ "$primary_task" = "$registered" ] \
        || die "The PRIMARY deployment runs $primary_task, not $registered: the circuit breaker rolled back, or another deploy replaced this one."
    case "$state" in
    COMPLETED) echo "Rollout COMPLETED: $running."; break ;;
    FAILED) die "Rollout FAILED: $(jq -r '.rolloutStateReason' <<<"$primary")" ;;
    esac
    [ $SECONDS -lt $deadline ] || die "Rollout still $state after $limit_seconds s ($running)."
    echo "Rollout $state: $running"
    sleep "${ROLLOUT_POLL_SECONDS:-15}"
done

url="$(jq -r --arg stack "$stack" '.[$stack].SiteUrl // empty' "$outputs")"
[ -n "$url" ] || die "No SiteUrl output for $stack in $outputs."
url="${url%/}"
for path in /health/ready /; do
    curl --fail --silent --show-error --output /dev/null --max-time 10 \
        --retry 6 --retry-delay 5 --retry-all-errors "$url$path" \
        || die "$url$path did not answer 200."
    echo "$url$path answered 200."
done
if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "url=$url" >>"$GITHUB_OUTPUT"; fi
