#!/usr/bin/env bash
# Installs the machine programs the site, its tests and its tools need, when missing:
#   MariaDB (the database the site and tests use), Chromium (browser tests), nginx (the tests' stand-in for the load
#   balancer), a Java runtime (the Nu Html Checker the tests run over every page), wrk (benchmarks), aiosmtpd (the
#   tests' SMTP server). With apt-get where it exists (Debian, Ubuntu), else with Homebrew (macOS; aiosmtpd, which
#   has no formula, with pip).
# Usage: scripts/install-deps.sh [group...]   groups: db browser proxy java bench mail (default: db browser)
# Written for bash 3.2 (macOS's /bin/bash): no associative arrays, no empty arrays under `set -u`.
set -euo pipefail

# A group's program (found on PATH, else at one of the paths its package installs it to), its Debian package and
# its Homebrew formula (or cask); or, for a Python module, the module (importable by python3 on PATH or Debian's) and
# its pip package.
describe() {
    module="" pip=""
    case "$1" in
    db) program=mariadbd paths=/usr/sbin/mariadbd apt=mariadb-server brew=mariadb ;;
    browser) program=chromium paths="/usr/bin/chromium /Applications/Chromium.app/Contents/MacOS/Chromium" apt=chromium brew="--cask chromium" ;;
    proxy) program=nginx paths=/usr/sbin/nginx apt=nginx-light brew=nginx ;;
    # Homebrew's openjdk is keg-only: on a Mac put it on PATH (brew info openjdk says how) or the tests won't find it.
    java) program=java paths="/usr/bin/java /opt/homebrew/opt/openjdk/bin/java /usr/local/opt/openjdk/bin/java" apt=default-jre-headless brew=openjdk ;;
    bench) program=wrk paths=/usr/bin/wrk apt=wrk brew=wrk ;;
    mail) program="" paths="" module=aiosmtpd apt=python3-aiosmtpd brew="" pip=aiosmtpd ;;
    *) echo "Unknown group '$1' (groups: db browser proxy java bench mail)." >&2; exit 2 ;;
    esac
}

installed() {
    if [ -n "$module" ]; then
        local python
        for python in python3 /usr/bin/python3; do "$python" -c "import $module" >/dev/null 2>&1 && return 0; done
        return 1
    fi
    command -v "$program" >/dev/null 2>&1 && return 0
    local path
    for path in $paths; do [ -x "$path" ] && return 0; done
    return 1
}

missing_apt="" missing_brew="" missing_pip=""
for group in ${*:-db browser}; do
    describe "$group"
    if ! installed; then
        missing_apt="$missing_apt $apt"
        # Each formula or cask on its own line: a cask needs its own `brew install --cask`.
        missing_brew="$missing_brew$brew"$'\n'
        missing_pip="$missing_pip $pip"
    fi
done
[ -z "$missing_apt" ] && exit 0

if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "Installing$missing_apt..." >&2
    # The site and tests start private servers of their own; the package's system service is not wanted (and on a
    # CI runner its port 3306 may already belong to a MySQL container), so services are kept from starting.
    policy=/usr/sbin/policy-rc.d
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
        $sudo chmod +x "$policy"
        trap '$sudo rm -f "$policy"' EXIT
    fi
    $sudo apt-get update -qq
    # shellcheck disable=SC2086 # one word per package
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing_apt >/dev/null
elif command -v brew >/dev/null 2>&1; then
    # Homebrew installs without starting a service (that would take `brew services start`), as the site and tests want.
    while read -r formula; do
        [ -z "$formula" ] && continue
        echo "Installing with Homebrew: brew install $formula" >&2
        # shellcheck disable=SC2086 # "--cask chromium" is two words
        brew install $formula
    done <<<"$missing_brew"
    if [ -n "${missing_pip// /}" ]; then
        echo "Installing with pip:$missing_pip" >&2
        # shellcheck disable=SC2086 # one word per package
        python3 -m pip install --user $missing_pip || {
            echo "pip could not install$missing_pip for python3 (a Homebrew Python refuses --user installs: use a venv on PATH, or python3 -m pip install --user --break-system-packages$missing_pip)." >&2
            exit 1
        }
    fi
else
    echo "Missing:$missing_apt. Install them with your system's package manager (or set CHROMIUM_PATH for a browser), then run this again." >&2
    exit 1
fi
