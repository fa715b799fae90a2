#!/usr/bin/env bash
# The image's vulnerability gate before a deploy: waits for ECR's scan-on-push of every platform image of the index
# DIGEST names, and fails when any of them has a CRITICAL finding that security/accepted-findings.txt does not accept
# (an id with an expiry date not yet past and a reason). Lists the findings in the GitHub run summary when there is one.
# Usage: scripts/ecr-scan-gate.sh REPOSITORY_URI DIGEST   (REPOSITORY_URI as <registry>/<name>)
# Needs the AWS CLI with ecr:BatchGetImage and ecr:DescribeImageScanFindings on the repository, and AWS_REGION.
# Exits 1 on an unaccepted critical finding or a scan that did not complete, 2 on a malformed accepted-findings file.
set -euo pipefail
cd "$(dirname "$0")/.."
repository="${1#*/}"
digest="$2"
accepted="${ACCEPTED_FINDINGS:-security/accepted-findings.txt}"
deadline=$((SECONDS + ${SCAN_WAIT_SECONDS:-900}))
today="$(date -u +%F)"

# id expiry reason, comments and blank lines left out; a line without all three is a mistake, not an acceptance.
entries="$(grep -v -E '^[[:space:]]*(#|$)' "$accepted" || true)"
if [ -n "$entries" ] && awk 'NF < 3 || $2 !~ /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/ { bad = 1 } END { exit !bad }' <<<"$entries"; then
    echo "::error file=$accepted::Every line of $accepted is: <finding id> <YYYY-MM-DD expiry> <reason>."
    exit 2
fi
accepts() { awk -v id="$1" -v today="$today" '$1 == id && $2 >= today { found = 1 } END { exit !found }' <<<"$entries"; }

# Basic scanning scans each platform's image, not the index; attestation manifests (SBOM, provenance) are not images.
index="$(aws ecr batch-get-image --repository-name "$repository" --image-ids imageDigest="$digest" \
    --accepted-media-types application/vnd.oci.image.index.v1+json application/vnd.docker.distribution.manifest.list.v2+json \
    application/vnd.oci.image.manifest.v1+json application/vnd.docker.distribution.manifest.v2+json \
    --query 'images[0].imageManifest' --output text)"
images="$(jq -r '(.manifests // [])[] | select(.platform.os != "unknown") | .digest' <<<"$index")"
[ -n "$images" ] || images="$digest"

blocked=0
summary="| Image | Finding | Package | Verdict |"$'\n'"| --- | --- | --- | --- |"
for image in $images; do
    while :; do
        status="$(aws ecr describe-image-scan-findings --repository-name "$repository" --image-id imageDigest="$image" \
            --query 'imageScanStatus.status' --output text 2>/dev/null || echo PENDING)"
        case "$status" in
        COMPLETE) break ;;
        PENDING | IN_PROGRESS | None) ;;
        *)
            echo "::error::The scan of $image ended $status: nothing says the image is free of critical findings."
            exit 1
            ;;
        esac
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "::error::The scan of $image did not complete in time (last status $status)."
            exit 1
        fi
        sleep 10
    done
    findings="$(aws ecr describe-image-scan-findings --repository-name "$repository" --image-id imageDigest="$image" \
        --query 'imageScanFindings.findings[?severity==`CRITICAL`].[name, attributes[?key==`package_name`].value | [0]]' --output text)"
    while read -r id package; do
        [ -n "$id" ] || continue
        if accepts "$id"; then
            verdict="accepted ($accepted)"
        else
            verdict="blocks the deploy"
            blocked=1
            echo "::error::$image: critical finding $id in $package is not accepted in $accepted."
        fi
        summary+=$'\n'"| \`$image\` | $id | $package | $verdict |"
    done <<<"$findings"
done

echo "$summary"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    { echo "### Critical image scan findings"; echo "$summary"; } >>"$GITHUB_STEP_SUMMARY"
fi
exit "$blocked"
