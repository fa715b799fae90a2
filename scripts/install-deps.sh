#!/usr/bin/env bash
# Installs the machine packages the site, its tests and its tools need, when missing:
#   mariadb-server (the database the site and tests use), chromium (browser tests), nginx-light (the tests' stand-in
#   for the load balancer), wrk (benchmarks).
# Usage: scripts/install-deps.sh [package-group...]   groups: db browser proxy bench (default: db browser)
set -euo pipefail
groups=("${@:-db browser}")
declare -A check=([db]="/usr/sbin/mariadbd" [browser]="/usr/bin/chromium" [proxy]="/usr/sbin/nginx" [bench]="/usr/bin/wrk")
declare -A package=([db]="mariadb-server" [browser]="chromium" [proxy]="nginx-light" [bench]="wrk")
missing=()
for group in ${groups[*]}; do
    [ -x "${check[$group]}" ] || missing+=("${package[$group]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "Missing: ${missing[*]}. Install them with your system's package manager, then run this again." >&2
    exit 1
fi
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
echo "Installing ${missing[*]}..." >&2
# The site and tests start private servers of their own; the package's system service is not wanted (and on a
# CI runner its port 3306 may already belong to a MySQL container), so services are kept from starting.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod +x "$policy"
    trap '$sudo rm -f "$policy"' EXIT
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
