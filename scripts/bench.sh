#!/usr/bin/env bash
# make bench: measures the published app (Release, ReadyToRun, started as the container starts it) on this machine
# against a private MariaDB, and writes docs/benchmarks.md:
#   start-up (process start to the first 200 from /health/ready, median of 10), load with wrk on loopback (pages,
#   API, posting; 8/32/128 connections), the guestbook and a minimal ceiling program (bench/Ceiling) in alternating
#   rounds, the guestbook and the API on a task-sized share of a core (0.25 and 0.5 vCPU: a CPU cgroup quota on one
#   core), peak RSS and RssAnon, a soak at steady load (RSS, RssAnon and GC heap every 10 s, and their slopes),
#   guestbook pages with 1,000 and 1,000,000 entries, and Lighthouse scores (scripts/lighthouse.mjs).
# Prints the tables; exits non-zero, saying why, if any request failed (non-2xx/3xx or socket error) or the soak's
# memory grew (a leak).
# BENCH_SECONDS (default 6) sets the length of each load step, BENCH_WARM_SECONDS (default 15) each page's warm-up,
# BENCH_SOAK_SECONDS (default 600) the soak's.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/checks.sh
source scripts/checks.sh
# shellcheck source=scripts/app.sh
source scripts/app.sh

seconds="${BENCH_SECONDS:-6}"
soak_seconds="${BENCH_SOAK_SECONDS:-600}"
connection_counts=(8 32 128)
# Rounds of guestbook and ceiling steps, the order swapped each round, so that both see the same machine.
rounds=3
# Task sizes, in thousandths of a vCPU, as a CFS quota per 100 ms period (what a Fargate task's CPU limit is).
task_sizes=(250 500)
task_connections=32
wrk_threads=2
startup_runs=10
warm_seconds="${BENCH_WARM_SECONDS:-15}"
scale_seconds=4

work="$(mktemp -d /tmp/site-bench.XXXXXX)"
results="$work/results.jsonl"
app_pid=""
ceiling_pid=""
task_pid=""
cgroup=""
stop() {
    if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
        kill -TERM "$1"
        wait "$1" 2>/dev/null || true
    fi
}
cleanup() {
    stop "$app_pid"
    stop "$ceiling_pid"
    stop "$task_pid"
    if [ -n "$cgroup" ]; then rmdir "$cgroup" 2>/dev/null || true; fi
    jobs -p | xargs -r kill 2>/dev/null || true
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
    ready_ms="$(wait_for_200 "$base/health/ready" 120)" || { tail -n 30 "$work/app.log"; exit 1; }
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
# step TARGET PID URL CONNECTIONS SECONDS [SCRIPT [JSON FIELDS]]: one recorded wrk run, with the peak RSS (VmHWM, reset
# before the step) and the peak RssAnon (sampled every 0.5 s; the kernel keeps no high-water mark of it) of the
# process serving it.
step() {
    local target="$1" pid="$2" url="$3" connections="$4" step_seconds="$5" script="${6:-}" fields="${7:-}" json sampler
    echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || true
    echo 0 >"$work/anon-peak"
    (
        peak=0
        while sleep 0.5; do
            anon="$(status_field "$pid" RssAnon)"
            if [ "${anon:-0}" -gt "$peak" ]; then peak="$anon"; echo "$peak" >"$work/anon-peak"; fi
        done
    ) &
    sampler=$!
    json="$(wrk_json "$connections" "$step_seconds" "$url" "$script")"
    kill "$sampler"
    wait "$sampler" 2>/dev/null || true
    echo "{\"kind\":\"load\",\"target\":\"$target\",\"connections\":$connections,$fields\"peakRssKb\":$(status_field "$pid" VmHWM),\"peakAnonKb\":$(cat "$work/anon-peak"),${json#\{}" >>"$results"
    echo "  $target, $connections connections: $json" >&2
}
# load TARGET PID URL [SCRIPT]: a warm-up, then one recorded step per connection count.
load() {
    local target="$1" pid="$2" url="$3" script="${4:-}" connections
    wrk_json 32 2 "$url" "$script" >/dev/null
    for connections in "${connection_counts[@]}"; do
        step "$target" "$pid" "$url" "$connections" "$seconds" "$script"
    done
}
# A fresh process serves at a fraction of its speed until the JIT has recompiled its hot code with what it learnt
# (tiered compilation and PGO: about a minute of full load on this machine). A task serves for hours, so every figure
# below is taken after that: the pages measured, then the ceiling, each under load first.
note "warm-up: ${warm_seconds} s per page of the app, then the ceiling"
for path in / /guestbook /gallery /api/guestbook /about; do wrk_json 32 "$warm_seconds" "$base$path" >/dev/null; done
wrk_json 32 "$warm_seconds" "$ceiling_base/guestbook" >/dev/null
load home "$app_pid" "$base/"

note "guestbook and ceiling: $rounds alternating rounds"
wrk_json 32 2 "$base/guestbook" >/dev/null
wrk_json 32 2 "$ceiling_base/guestbook" >/dev/null
for round in $(seq "$rounds"); do
    for connections in "${connection_counts[@]}"; do
        pair=("guestbook $app_pid $base/guestbook" "ceiling $ceiling_pid $ceiling_base/guestbook")
        if [ $((round % 2)) = 0 ]; then pair=("${pair[1]}" "${pair[0]}"); fi
        for run in "${pair[@]}"; do
            read -r target pid url <<<"$run"
            step "$target" "$pid" "$url" "$connections" "$seconds" "" "\"round\":$round,"
        done
    done
done
stop "$ceiling_pid"

load gallery "$app_pid" "$base/gallery"
load api "$app_pid" "$base/api/guestbook"
load post "$app_pid" "$base/api/guestbook" bench/wrk/post.lua
sleep 5
echo "{\"kind\":\"idle\",\"rssKb\":$(status_field "$app_pid" VmRSS),\"anonKb\":$(status_field "$app_pid" RssAnon),\"peakRssKb\":$(status_field "$app_pid" VmHWM)}" >>"$results"

# A CPU cgroup of the run's own, v1 (cpu.cfs_quota_us) or v2 (cpu.max); this needs root. Fargate enforces a task's
# vCPU the same way, as a CFS quota; the runtime reads the quota too (one processor, as in a task).
cpu_cgroup() {
    if [ -w /sys/fs/cgroup/cpu ] && [ -e /sys/fs/cgroup/cpu/cpu.cfs_quota_us ]; then
        cgroup="/sys/fs/cgroup/cpu/site-bench-$$"
    elif [ -w /sys/fs/cgroup ] && grep -qw cpu /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
        echo +cpu >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || true
        cgroup="/sys/fs/cgroup/site-bench-$$"
    else
        return 1
    fi
    mkdir -p "$cgroup"
}
# set_quota THOUSANDTHS, or "max" for none.
set_quota() {
    if [ -e "$cgroup/cpu.cfs_quota_us" ]; then
        echo 100000 >"$cgroup/cpu.cfs_period_us"
        if [ "$1" = max ]; then echo -1; else echo $(($1 * 100)); fi >"$cgroup/cpu.cfs_quota_us"
    else
        if [ "$1" = max ]; then echo "max 100000"; else echo "$(($1 * 100)) 100000"; fi >"$cgroup/cpu.max"
    fi
}
if cpu_cgroup; then
    task_cpu=$(($(nproc) - 1))
    note "task-sized: a second app on CPU $task_cpu in $cgroup, at ${task_sizes[*]} thousandths of a vCPU"
    task_port="$(free_port $((port + 2)))"
    app_environment "$work" "$task_port" "$DB_PORT" "$DB_NAME" Site__Environment=bench \
        RateLimits__RequestsPerMinute=1000000 RateLimits__WritesPerMinute=1000000
    (echo "$BASHPID" >"$cgroup/cgroup.procs" && taskset -cp "$task_cpu" "$BASHPID" >/dev/null && run_app "$work") >>"$work/task.log" 2>&1 &
    task_pid=$!
    wait_for_200 "http://127.0.0.1:$task_port/health/ready" 60 >/dev/null || { tail -n 30 "$work/task.log"; exit 1; }
    # Warmed up on its whole core first: a fresh process's JIT work (tiering up the hot paths) would otherwise be billed
    # to the quota, and a task that has served traffic for a minute has done it.
    set_quota max
    for path in /guestbook /api/guestbook; do wrk_json "$task_connections" "$((warm_seconds * 2))" "http://127.0.0.1:$task_port$path" >/dev/null; done
    for size in "${task_sizes[@]}"; do
        set_quota "$size"
        for run in "guestbook /guestbook" "api /api/guestbook"; do
            read -r target path <<<"$run"
            wrk_json "$task_connections" 3 "http://127.0.0.1:$task_port$path" >/dev/null
            step "task-$target" "$task_pid" "http://127.0.0.1:$task_port$path" "$task_connections" $((seconds * 2)) "" "\"vcpu\":$(awk -v m="$size" 'BEGIN {print m / 1000}'),"
        done
    done
    echo "{\"kind\":\"task\",\"method\":\"a $(basename "$(dirname "$cgroup")" | sed 's/^cgroup$/cgroup v2/;s/^cpu$/cgroup v1/') CFS quota per 100 ms period, pinned to one core with taskset\"}" >>"$results"
    stop "$task_pid"
    task_pid=""
else
    echo "{\"kind\":\"task\",\"method\":null}" >>"$results"
    note "no writable CPU cgroup on this machine (run as root): task-sized figures skipped"
fi

note "soak: $soak_seconds s of steady load (guestbook views, one post in 20), memory every 10 s"
dotnet tool restore >/dev/null
dotnet dotnet-counters collect -p "$app_pid" --refresh-interval 10 --counters System.Runtime --format json -o "$work/counters.json" \
    --duration "$(date -u -d "@$((soak_seconds + 5))" +%H:%M:%S)" >"$work/counters.log" 2>&1 &
counters_pid=$!
wrk_json 32 "$soak_seconds" "$base/guestbook" bench/wrk/soak.lua >"$work/soak.json" &
soak_pid=$!
start=$SECONDS
while kill -0 "$soak_pid" 2>/dev/null; do
    echo "{\"kind\":\"soak\",\"seconds\":$((SECONDS - start)),\"rssKb\":$(status_field "$app_pid" VmRSS),\"anonKb\":$(status_field "$app_pid" RssAnon)}" >>"$results"
    sleep 10
done
wait "$soak_pid"
wait "$counters_pid" || { cat "$work/counters.log"; exit 1; }
echo "{\"kind\":\"soak-load\",$(sed 's/^{//' "$work/soak.json")" >>"$results"
node scripts/bench-counters.mjs "$work/counters.json" >>"$results"

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
\"loadSeconds\":$seconds,\"warmSeconds\":$warm_seconds,\"scaleSeconds\":$scale_seconds,\"wrkThreads\":$wrk_threads,\"soakSeconds\":$soak_seconds,\"taskConnections\":$task_connections}"
} >>"$results"
# Kept (artifacts/ is ignored by git) so the report can be rendered again without measuring again.
mkdir -p artifacts/bench
cp "$results" artifacts/bench/results.jsonl
node scripts/bench-report.mjs artifacts/bench/results.jsonl docs/benchmarks.md docs/deploy.md
