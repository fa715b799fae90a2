#!/usr/bin/env bash
# After `cdk deploy`: proves the commit really serves, and fails saying why otherwise.
#   1. The task definition the stack has just registered names the image by the digest CI pushed for the commit,
#      with APP_VERSION the commit.
#   2. The service's newest blue/green deployment targets that task definition and ends SUCCESSFUL, after the bake
#      time (a rollback, a stop, another deploy, or no end within the time limit, fails).
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

# Blue/green: the newest service deployment moves production to the task definition of this deploy, through
# test traffic and the bake time, and ends SUCCESSFUL; a deployment alarm or the circuit breaker ends it in a rollback.
deadline=$((SECONDS + limit_seconds))
while true; do
    # The API promises no order: the newest is the one created last.
    arn="$(aws ecs list-service-deployments --cluster "$cluster" --service "$service" --query 'serviceDeployments' --output json \
        | jq -r 'max_by(.createdAt) | .serviceDeploymentArn // empty')"
    [ -n "$arn" ] || die "Service $service has no deployment."
    deployment="$(aws ecs describe-service-deployments --service-deployment-arns "$arn" \
        --query 'serviceDeployments[0]' --output json)"
    status="$(jq -r '.status' <<<"$deployment")"
    stage="$(jq -r '.lifecycleStage // "-"' <<<"$deployment")"
    reason="$(jq -r '.statusReason // "no reason given"' <<<"$deployment")"
    revision="$(jq -r '.targetServiceRevision.arn' <<<"$deployment")"
    target_task="$(aws ecs describe-service-revisions --service-revision-arns "$revision" \
        --query 'serviceRevisions[0].taskDefinition' --output text)"
    case "$status" in
    ROLLBACK_REQUESTED | ROLLBACK_IN_PROGRESS | ROLLBACK_SUCCESSFUL | ROLLBACK_FAILED)
        die "Deployment $status at $stage, production is back on the previous version: $reason" ;;
    STOP_REQUESTED | STOPPED) die "Deployment $status at $stage: $reason" ;;
    esac
    [ "$target_task" = "$registered" ] \
        || die "The newest deployment runs $target_task, not $registered: another deploy replaced this one."
    if [ "$status" = SUCCESSFUL ]; then
        echo "Deployment SUCCESSFUL: production runs $registered."
        break
    fi
    [ $SECONDS -lt $deadline ] || die "Deployment still $status at $stage after $limit_seconds s."
    echo "Deployment $status at $stage"
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
