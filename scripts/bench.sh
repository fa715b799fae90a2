#!/usr/bin/env bash
# make bench: measures the published app (Release, ReadyToRun, started as the container starts it) on this machine
# against a private MariaDB, and writes docs/benchmarks.md:
#   start-up (process start to the first 200 from /health/ready, median of 10), load with wrk on loopback (pages,
#   API, posting; 8/32/128 connections) next to a minimal ceiling program (bench/Ceiling), peak and idle memory,
#   guestbook pages with 1,000 and 1,000,000 entries, and Lighthouse scores (scripts/lighthouse.mjs).
# Prints the table; exits non-zero if any request failed (non-2xx/3xx or socket error).
# BENCH_SECONDS (default 6) sets the length of each load step.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/checks.sh
source scripts/checks.sh
# shellcheck source=scripts/app.sh
source scripts/app.sh

seconds="${BENCH_SECONDS:-6}"
connection_counts=(8 32 128)
wrk_threads=2
startup_runs=10
scale_seconds=4

work="$(mktemp -d /tmp/site-bench.XXXXXX)"
results="$work/results.jsonl"
app_pid=""
ceiling_pid=""
stop() {
    if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
        kill -TERM "$1"
        wait "$1" 2>/dev/null || true
    fi
}
cleanup() {
    stop "$app_pid"
    stop "$ceiling_pid"
    scripts/dev-db.sh stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
note() { echo "::: $*" >&2; }

note "publish the app (as the Dockerfile does) and the ceiling program"
publish_app "$work" || { cat "$work/publish.log"; exit 1; }
dotnet publish bench/Ceiling/Ceiling.csproj -c Release -a "$app_arch" --no-self-contained -o "$work/ceiling" >"$work/ceiling.log" 2>&1 \
    || { cat "$work/ceiling.log"; exit 1; }

note "database"
export DB_PORT DB_DIR="$work/db" DB_NAME=site_bench
DB_PORT="$(free_port 3420)"
scripts/dev-db.sh start
sql() { mariadb --no-defaults --socket="$DB_DIR/sock" -uroot "$DB_NAME" "$@"; }
# seed N: exactly N entries (every 50th hidden), newest last.
seed() {
    sql -e "TRUNCATE guestbook_entries"
    { echo "SET @count = $1;"; cat bench/seed.sql; } | sql >/dev/null
}

# The app's pool (up to 100 connections) and the ceiling's together exceed MariaDB's default of 151.
sql -e "SET GLOBAL max_connections = 400"

port="$(free_port 18100)"
ceiling_port="$(free_port $((port + 1)))"
base="http://127.0.0.1:$port"
ceiling_base="http://127.0.0.1:$ceiling_port"
# The limits are per client IP, and all load comes from one: raised so the benchmark measures the app, not the limiter.
app_environment "$work" "$port" "$DB_PORT" "$DB_NAME" Site__Environment=bench \
    RateLimits__RequestsPerMinute=1000000 RateLimits__WritesPerMinute=1000000
# start_app: starts the app, waits for it to be ready and sets ready_ms to the time that took.
start_app() {
    (run_app "$work") >>"$work/app.log" 2>&1 &
    app_pid=$!
    ready_ms="$(wait_for_200 "$base/health/ready" 30)" || { tail -n 30 "$work/app.log"; exit 1; }
}

note "start-up: process start to the first 200 from /health/ready, database up ($startup_runs runs after one that migrates)"
start_app
stop "$app_pid"
startup=()
for _ in $(seq "$startup_runs"); do
    start_app
    startup+=("$ready_ms")
    stop "$app_pid"
done
echo "{\"kind\":\"startup\",\"runs\":[$(IFS=,; echo "${startup[*]}")]}" >>"$results"

note "load: $seconds s per step, wrk with $wrk_threads threads"
start_app
seed 1000
db_url="$(scripts/dev-db.sh url)"
(cd "$work/ceiling" && exec env -i PATH="$PATH" HOME="$work/home" ASPNETCORE_HTTP_PORTS="$ceiling_port" \
    ConnectionString="$db_url" "$(command -v dotnet)" Site.Bench.Ceiling.dll) >"$work/ceiling.log" 2>&1 &
ceiling_pid=$!
wait_for_200 "$ceiling_base/guestbook" 30 >/dev/null || { cat "$work/ceiling.log"; exit 1; }

status_field() { awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status"; }
# wrk_json CONNECTIONS SECONDS URL [SCRIPT]: one JSON object of throughput, latency and errors. A request counts as
# timed out after 10 s, the longest the site lets one run (3 s to connect to the database, 5 s per command).
wrk_json() {
    wrk -t"$wrk_threads" -c"$1" -d"$2s" --timeout 10s -s "${4:-bench/wrk/report.lua}" "$3" | sed -n 's/^BENCH //p'
}
# load TARGET PID URL [SCRIPT]: a warm-up, then one recorded step per connection count, each with the peak RSS
# (VmHWM, reset before the step) of the process serving it.
load() {
    local target="$1" pid="$2" url="$3" script="${4:-}" connections json
    wrk_json 32 2 "$url" "$script" >/dev/null
    for connections in "${connection_counts[@]}"; do
        echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || true
        json="$(wrk_json "$connections" "$seconds" "$url" "$script")"
        echo "{\"kind\":\"load\",\"target\":\"$target\",\"connections\":$connections,\"peakRssKb\":$(status_field "$pid" VmHWM),${json#\{}" >>"$results"
        echo "  $target, $connections connections: $json" >&2
    done
}
load home "$app_pid" "$base/"
load guestbook "$app_pid" "$base/guestbook"
load ceiling "$ceiling_pid" "$ceiling_base/guestbook"
load gallery "$app_pid" "$base/gallery"
load api "$app_pid" "$base/api/guestbook"
load post "$app_pid" "$base/api/guestbook" bench/wrk/post.lua
stop "$ceiling_pid"
sleep 5
echo "{\"kind\":\"idle\",\"rssKb\":$(status_field "$app_pid" VmRSS),\"peakRssKb\":$(status_field "$app_pid" VmHWM)}" >>"$results"

note "Lighthouse"
node scripts/lighthouse.mjs "$base" >>"$results"

note "scale of data: guestbook pages with 1,000 and 1,000,000 entries"
# The "Older entries" link of the screen before screen N is ?before=<id of the last entry shown on it>.
cursor_for_screen() {
    sql -N -e "SELECT id FROM guestbook_entries WHERE hidden = 0 ORDER BY id DESC LIMIT 1 OFFSET $((($1 - 1) * 20 - 1))"
}
for entries in 1000 1000000; do
    seed "$entries"
    screens=$((entries * 49 / 50 / 20))
    for page in "first /guestbook" "middle /guestbook?before=$(cursor_for_screen $((screens / 2)))" \
        "last /guestbook?before=$(cursor_for_screen "$screens")" "api-first /api/guestbook" \
        "api-middle /api/guestbook?before=$(cursor_for_screen $((screens / 2)))" \
        "api-last /api/guestbook?before=$(cursor_for_screen "$screens")" \
        "api-deepest-number /api/guestbook?page=$((screens < 100 ? screens : 100))"; do
        read -r name path <<<"$page"
        test "$(status_of "$base$path")" = 200 || { echo "$path is not 200" >&2; exit 1; }
        wrk_json 8 1 "$base$path" >/dev/null
        json="$(wrk_json 8 "$scale_seconds" "$base$path")"
        echo "{\"kind\":\"scale\",\"entries\":$entries,\"page\":\"$name\",\"path\":\"$path\",${json#\{}" >>"$results"
        echo "  $entries entries, $name ($path): $json" >&2
    done
done

note "report"
{
    echo "{\"kind\":\"machine\",\"cpus\":$(nproc),\"cpu\":\"$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)\",\
\"memoryMb\":$(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo),\
\"os\":\"$(. /etc/os-release && echo "$PRETTY_NAME")\",\"kernel\":\"$(uname -r)\",\
\"dotnet\":\"$(dotnet --list-runtimes | sed -n 's/^Microsoft.AspNetCore.App \([^ ]*\).*/\1/p' | tail -n1)\",\
\"mariadb\":\"$(sql -N -e 'SELECT VERSION()')\",\"wrk\":\"$(wrk -v 2>&1 | head -n1 | awk '{print $2}')\",\
\"commit\":\"$(git rev-parse --short HEAD 2>/dev/null || echo local)\",\"date\":\"$(date -u +%Y-%m-%dT%H:%MZ)\",\
\"loadSeconds\":$seconds,\"scaleSeconds\":$scale_seconds,\"wrkThreads\":$wrk_threads}"
} >>"$results"
# Kept (artifacts/ is ignored by git) so the report can be rendered again without measuring again.
mkdir -p artifacts/bench
cp "$results" artifacts/bench/results.jsonl
node scripts/bench-report.mjs artifacts/bench/results.jsonl docs/benchmarks.md
