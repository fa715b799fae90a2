#!/usr/bin/env bash
# Publish smoke test: what the image does, on a machine without Docker.
# Publishes Web exactly as the Dockerfile does (same files copied, same commands, this machine's architecture),
# starts the output the way the container starts it (working directory and content root = the publish folder,
# the image's environment, a clean environment otherwise, port 8080 unless taken, the image's non-root UID when
# run as root) against a private MariaDB, checks the pages, the probe and a guestbook post, then stops it with
# SIGTERM and expects a clean exit within a few seconds. Ends with one PASS/FAIL line; exits non-zero on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

app_uid=1654            # APP_UID of the runtime image
stop_limit_seconds=5    # well inside ECS's 30 s stopTimeout; the app's own shutdown timeout is 20 s
ready_limit_seconds=30

case "$(uname -m)" in
x86_64) arch=amd64 ;;
aarch64) arch=arm64 ;;
*) arch="$(uname -m)" ;;
esac

work="$(mktemp -d /tmp/site-smoke.XXXXXX)"
chmod 755 "$work"
app_pid=""
cleanup() {
    if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then kill -KILL "$app_pid" 2>/dev/null || true; fi
    DB_DIR="$work/db" scripts/dev-db.sh stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=scripts/checks.sh
source scripts/checks.sh
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
    local port
    for port in $(seq "$1" $(($1 + 200))); do
        if port_free "$port"; then echo "$port"; return; fi
    done
    echo "No free port from $1" >&2
    return 1
}
summary() {
    if [ ${#failures[@]} -eq 0 ]; then
        echo "smoke: PASS ($passes checks; ready in ${ready_ms:-?} ms, stopped in ${stop_ms:-?} ms)"
    else
        echo "smoke: FAIL (${#failures[@]} of $((passes + ${#failures[@]})) checks failed: ${failures[*]})"
        if [ -s "$work/app.log" ]; then echo "--- last lines the app wrote:"; tail -n 30 "$work/app.log"; fi
        exit 1
    fi
}

echo "::: publish (as the Dockerfile's build stage, for linux/$arch)"
# The Docker build context: the files the Dockerfile copies, without bin/ and obj/ (.dockerignore).
mkdir -p "$work/src"
cp global.json Directory.Build.props Directory.Packages.props "$work/src/"
cp -r Web "$work/src/Web"
rm -rf "$work/src/Web/bin" "$work/src/Web/obj"
(
    cd "$work/src"
    dotnet restore Web/Web.csproj -a "$arch"
    dotnet publish Web/Web.csproj --no-restore -c Release -a "$arch" --no-self-contained -o "$work/app"
) >"$work/publish.log" 2>&1 || { cat "$work/publish.log"; fail "publish"; summary; }
pass "publish"
# The image's CA bundle is downloaded at image build time; a system bundle stands in for it at the same place.
mkdir -p "$work/app/certs"
cp /etc/ssl/certs/ca-certificates.crt "$work/app/certs/rds-global-bundle.pem"

echo "::: database"
db_port="$(free_port 3390)"
DB_PORT="$db_port" DB_DIR="$work/db" DB_NAME=site_smoke scripts/dev-db.sh start
db_password="$(DB_PORT="$db_port" scripts/dev-db.sh url | sed -E 's/.*Password=([^;]*).*/\1/')"

port=8080
if ! port_free "$port"; then
    port="$(free_port 18080)"
    echo "Port 8080 is in use here; the app listens on $port instead."
fi
as_user=()
if [ "$(id -u)" = 0 ]; then
    as_user=(setpriv --reuid="$app_uid" --regid="$app_uid" --clear-groups --)
    echo "Running the app as UID $app_uid, the image's non-root user."
else
    echo "Running the app as $(id -un) (already not root)."
fi
# The image's /home/app, writable by the app user only.
mkdir -p "$work/home"
if [ "$(id -u)" = 0 ]; then chown "$app_uid:$app_uid" "$work/home"; fi
version="smoke-$(git rev-parse --short HEAD 2>/dev/null || echo local)"

echo "::: start on port $port"
# The image's environment (Dockerfile ENV and the base image's), plus what the ECS task definition adds.
# Nothing else leaks in from this shell: a container starts with only these.
container_env=(
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    HOME="$work/home"
    DOTNET_RUNNING_IN_CONTAINER=true
    DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true
    APP_VERSION="$version"
    ASPNETCORE_HTTP_PORTS="$port"
    Database__SslCa="$work/app/certs/rds-global-bundle.pem"
    Database__Host=127.0.0.1
    Database__Port="$db_port"
    Database__Name=site_smoke
    Database__User=site
    Database__Password="$db_password"
    Database__SslMode=None
    Site__Environment=smoke
)
dotnet_host="$(command -v dotnet)"
(cd "$work/app" && exec env -i "${container_env[@]}" "${as_user[@]}" "$dotnet_host" "$work/app/Site.Web.dll") >"$work/app.log" 2>&1 &
app_pid=$!

base="http://127.0.0.1:$port"
if ! ready_ms="$(wait_for_200 "$base/health/ready" "$ready_limit_seconds")"; then
    fail "/health/ready answered 200 within ${ready_limit_seconds} s"
    summary
fi
pass "/health/ready answered 200, ${ready_ms} ms after start"
check "GET / is 200" test "$(status_of "$base/")" = 200
check "GET /guestbook is 200" test "$(status_of "$base/guestbook")" = 200
check_guestbook_round_trip "$base"
check "the probe mode succeeds against the running app" \
    env -i "${container_env[@]}" "${as_user[@]}" "$dotnet_host" "$work/app/Site.Web.dll" probe
check "the app runs as the non-root user" test "$(stat -c %u "/proc/$app_pid")" != 0
check "every log line on stdout is a JSON object" test "$(grep -cv '^{.*}$' "$work/app.log")" = 0
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
