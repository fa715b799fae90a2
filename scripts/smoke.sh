#!/usr/bin/env bash
# Publish smoke test: what the image does, on a machine without Docker.
# Publishes Web exactly as the Dockerfile does (same files copied, same commands, this machine's architecture),
# starts the output the way the container starts it (working directory and content root = the publish folder,
# the image's environment, a clean environment otherwise, port 8080 unless taken, the image's non-root UID when
# run as root) against a private MariaDB, checks the pages, the probe, the image library and a guestbook post, then stops it with
# SIGTERM and expects a clean exit within a few seconds. Ends with one PASS/FAIL line; exits non-zero on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

stop_limit_seconds=5    # well inside ECS's 30 s stopTimeout; the app's own shutdown timeout is 20 s
ready_limit_seconds=30

work="$(mktemp -d /tmp/site-smoke.XXXXXX)"
app_pid=""
cleanup() {
    if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then kill -KILL "$app_pid" 2>/dev/null || true; fi
    DB_DIR="$work/db" scripts/dev-db.sh stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=scripts/checks.sh
source scripts/checks.sh
# shellcheck source=scripts/app.sh
source scripts/app.sh
summary() {
    if [ ${#failures[@]} -eq 0 ]; then
        echo "smoke: PASS ($passes checks; ready in ${ready_ms:-?} ms, stopped in ${stop_ms:-?} ms)"
    else
        echo "smoke: FAIL (${#failures[@]} of $((passes + ${#failures[@]})) checks failed: ${failures[*]})"
        if [ -s "$work/app.log" ]; then echo "--- last lines the app wrote:"; tail -n 30 "$work/app.log"; fi
        exit 1
    fi
}

echo "::: publish (as the Dockerfile's build stage, for linux/$app_arch)"
publish_app "$work" || { cat "$work/publish.log"; fail "publish"; summary; }
pass "publish"

echo "::: database"
db_port="$(free_port 3390)"
DB_PORT="$db_port" DB_DIR="$work/db" DB_NAME=site_smoke scripts/dev-db.sh start
port=8080
if ! port_free "$port"; then
    port="$(free_port 18080)"
    echo "Port 8080 is in use here; the app listens on $port instead."
fi
version="smoke-$(git rev-parse --short HEAD 2>/dev/null || echo local)"
if [ "$(id -u)" = 0 ]; then echo "Running the app as UID $app_uid, the image's non-root user."; fi

echo "::: start on port $port"
APP_VERSION="$version" app_environment "$work" "$port" "$db_port" site_smoke Site__Environment=smoke
(run_app "$work") >"$work/app.log" 2>&1 &
app_pid=$!

base="http://127.0.0.1:$port"
if ! ready_ms="$(wait_for_200 "$base/health/ready" "$ready_limit_seconds")"; then
    fail "/health/ready answered 200 within ${ready_limit_seconds} s"
    summary
fi
pass "/health/ready answered 200, ${ready_ms} ms after start"
check "GET / is 200" test "$(status_of "$base/")" = 200
check "GET /guestbook is 200" test "$(status_of "$base/guestbook")" = 200
check "GET /gallery is 200" test "$(status_of "$base/gallery")" = 200
# The runtime image has few system libraries: readiness says whether SkiaSharp's native library loaded there.
check "the image library loads (readiness check images)" grep -qF '"images":{"status":"Healthy"' <(curl -s --max-time 10 "$base/health/ready")
check "GET /media/home/hero-1280.webp is 200 (media published)" test "$(status_of "$base/media/home/hero-1280.webp")" = 200
check_guestbook_round_trip "$base"
probe() { (run_app "$work" probe); }
check "the probe mode succeeds against the running app" probe
check "the app runs as the non-root user" test "$(stat -c %u "/proc/$app_pid")" != 0
check "every log line on stdout is a JSON object" test "$(grep -cv '^{.*}$' "$work/app.log")" = 0
# The runtime's own report of the GC settings Web/Web.csproj publishes (a misspelt MSBuild property is silently ignored).
check "the runtime runs one workstation heap with the gen0 budget capped" grep -qE '"GcServer":false,"GcGen0MaxBudget":[1-9]' "$work/app.log"
check "the logs carry APP_VERSION" grep -qF "\"AppVersion\":\"$version\"" "$work/app.log"

echo "::: stop with SIGTERM"
stop_started_ns="$(date +%s%N)"
kill -TERM "$app_pid"
exit_code=""
for _ in $(seq 1 $((stop_limit_seconds * 20))); do
    if ! kill -0 "$app_pid" 2>/dev/null; then
        wait "$app_pid" && exit_code=0 || exit_code=$?
        break
    fi
    sleep 0.05
done
stop_ms=$((($(date +%s%N) - stop_started_ns) / 1000000))
if [ -z "$exit_code" ]; then
    fail "the app stopped within ${stop_limit_seconds} s of SIGTERM"
else
    pass "the app stopped ${stop_ms} ms after SIGTERM"
    if [ "$exit_code" = 0 ]; then pass "the app exited with code 0"; else fail "the app exited with code $exit_code, not 0"; fi
    app_pid=""
fi
summary
