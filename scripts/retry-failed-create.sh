#!/usr/bin/env bash
# Lets a deploy retry a failed first create on its own. Such a create leaves its stack in ROLLBACK_COMPLETE: empty
# (every stateful resource is RetainExceptOnCreate), only deletable, and termination-protected, because the CDK CLI
# switches protection on before it executes the create. The next `cdk deploy` deletes a ROLLBACK_COMPLETE stack and
# creates it anew, once nothing protects it: this lifts the protection of stacks in exactly that state and of no
# other. ROLLBACK_FAILED (something could not be deleted) stops the deploy for a person: docs/deploy.md, "When the
# first deploy fails". It acts through the CDK bootstrap deploy role, which may read stacks and set their protection.
# Usage: scripts/retry-failed-create.sh ACCOUNT REGION STACK...
set -euo pipefail
account="$1" region="$2"
shift 2
role="arn:aws:iam::$account:role/cdk-hnb659fds-deploy-role-$account-$region"
read -r key secret token < <(aws sts assume-role --role-arn "$role" --role-session-name "retry-failed-create" \
    --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
export AWS_ACCESS_KEY_ID="$key" AWS_SECRET_ACCESS_KEY="$secret" AWS_SESSION_TOKEN="$token" AWS_REGION="$region"

for stack in "$@"; do
    status="$(aws cloudformation describe-stacks --stack-name "$stack" --query 'Stacks[0].StackStatus' --output text 2>/dev/null)" \
        || status="not created yet"
    case "$status" in
    ROLLBACK_COMPLETE)
        echo "::notice::$stack: its first create failed and rolled back; lifting its termination protection so cdk deploy deletes and creates it anew."
        aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name "$stack" >/dev/null
        # What the rollback kept on purpose (the prod load balancer): unnamed, so it blocks nothing, but it costs money.
        aws cloudformation describe-stack-events --stack-name "$stack" --output text \
            --query "StackEvents[?ResourceStatus=='DELETE_SKIPPED'].[ResourceType,PhysicalResourceId]" |
            while read -r type id; do
                echo "::warning::$stack: the failed create left $type $id; delete it once the retry has succeeded (docs/deploy.md, 'When the first deploy fails')."
            done
        ;;
    ROLLBACK_FAILED)
        echo "::error::$stack: its first create failed and the rollback could not delete everything (ROLLBACK_FAILED). See 'When the first deploy fails' in docs/deploy.md."
        exit 1
        ;;
    *) echo "$stack: $status" ;;
    esac
done
