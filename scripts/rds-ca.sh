#!/usr/bin/env bash
# The RDS CA bundle the image trusts for TLS to the database, and its reviewed checksum in
# certs/rds-global-bundle.sha256 (sha256sum format), which the image build verifies the download against.
#   scripts/rds-ca.sh check    download the bundle and fail, saying why, unless it matches the recorded checksum
#   scripts/rds-ca.sh update   download the bundle, record its checksum and list its certificates for review
# Both need internet access. AWS adds certificates to the bundle when it opens new regions: then `check`
# fails, and someone runs `update`, reviews the listed certificates and commits the new checksum.
set -euo pipefail
cd "$(dirname "$0")/.."
url="https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem"
sums="certs/rds-global-bundle.sha256"
name="rds-global-bundle.pem"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
curl --fail --silent --show-error --location --retry 3 --proto '=https' --tlsv1.2 -o "$work/$name" "$url"
actual="$(sha256sum "$work/$name" | cut -d' ' -f1)"
count="$(grep -c 'BEGIN CERTIFICATE' "$work/$name")"

case "${1:-check}" in
check)
    cp "$sums" "$work/expected"
    if (cd "$work" && sha256sum --check --strict --status expected 2>/dev/null); then
        echo "RDS CA bundle matches $sums ($count certificates)."
    else
        prefix=""
        [ -n "${GITHUB_ACTIONS:-}" ] && prefix="::error file=$sums::"
        echo "${prefix}The RDS CA bundle at $url (sha256 $actual, $count certificates) does not match $sums. Run scripts/rds-ca.sh update, review the certificates it lists, and commit $sums." >&2
        exit 1
    fi
    ;;
update)
    echo "$actual  $name" >"$sums"
    # One line per certificate, so a reviewer sees what was added or removed before committing.
    awk -v dir="$work" '/BEGIN CERTIFICATE/ { n++ } { print > (dir "/cert-" n ".pem") }' "$work/$name"
    for cert in "$work"/cert-*.pem; do
        openssl x509 -noout -subject -enddate -in "$cert" | paste -sd ' ' -
    done | sort
    echo "Recorded sha256 $actual ($count certificates) in $sums; review the list above and commit it."
    ;;
*)
    echo "usage: $0 check|update" >&2
    exit 2
    ;;
esac
