# Sourced by the smoke and image checks: named checks that print PASS/FAIL and are counted for a summary.
# shellcheck shell=bash
failures=()
passes=0

pass() { echo "PASS  $1"; passes=$((passes + 1)); }

fail() {
    # On GitHub Actions the failure also becomes an annotation on the run.
    if [ -n "${GITHUB_ACTIONS:-}" ]; then echo "::error::$1"; fi
    echo "FAIL  $1"
    failures+=("$1")
}

check() {
    local name="$1"; shift
    if "$@"; then pass "$name"; else fail "$name"; fi
}

# The HTTP status of a request (000 when nothing answered).
status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@"; }

# Posts a guestbook entry through the API and checks it shows on the page: the database works both ways.
check_guestbook_round_trip() {
    local base="$1" message="Check $RANDOM$RANDOM"
    check "POST /api/guestbook is 201" test "$(status_of -X POST -H 'Content-Type: application/json' \
        -d "{\"name\":\"Check\",\"message\":\"$message\"}" "$base/api/guestbook")" = 201
    check "the new entry is on /guestbook" grep -qF "$message" <(curl -s --max-time 10 "$base/guestbook")
}

# Polls a URL until it answers 200; prints the milliseconds that took. Fails after the given seconds.
wait_for_200() {
    local url="$1" limit_seconds="$2" started_ns
    started_ns="$(date +%s%N)"
    while [ $(($(date +%s%N) - started_ns)) -lt $((limit_seconds * 1000000000)) ]; do
        if [ "$(status_of "$url")" = 200 ]; then
            echo $((($(date +%s%N) - started_ns) / 1000000))
            return 0
        fi
        sleep 0.05
    done
    return 1
}
