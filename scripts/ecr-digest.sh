#!/usr/bin/env bash
# Prints the digest (sha256:...) an ECR tag names: what CI reports after a push and what deploys run.
# Exits 3, printing nothing, when the tag is not in the repository; any other failure exits 1 with AWS's message.
# Usage: scripts/ecr-digest.sh REPOSITORY_URI TAG   (REPOSITORY_URI as <registry>/<name>)
# Needs the AWS CLI with ecr:DescribeImages on the repository, and AWS_REGION.
set -euo pipefail
repository="$1"
tag="$2"
errors="$(mktemp)"
trap 'rm -f "$errors"' EXIT

if aws ecr describe-images --repository-name "${repository#*/}" --image-ids imageTag="$tag" \
    --query 'imageDetails[0].imageDigest' --output text 2>"$errors"; then
    exit 0
fi
if grep -q ImageNotFoundException "$errors"; then exit 3; fi
cat "$errors" >&2
exit 1
