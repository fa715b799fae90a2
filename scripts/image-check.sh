#!/usr/bin/env bash
# "The app works after the image is built": runs a built image as ECS would, against a MySQL 8.4 container on a
# private Docker network, and checks readiness, the pages, a guestbook post, the image's own health check (the
# probe mode), that the image is for the machine's own architecture (so it ran natively, not emulated), the
# non-root user, that no SDK is inside, and a clean, quick stop on SIGTERM.
# Needs Docker (CI runs it on amd64 and arm64; `make smoke` is the same check for machines without Docker).
# Usage: scripts/image-check.sh IMAGE
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/checks.sh
source scripts/checks.sh
image="$1"
run="site-check-$$"
network="$run"
db_password="check-only-$RANDOM$RANDOM"
port=18080

finish() {
    if [ ${#failures[@]} -gt 0 ]; then
        echo "--- the app's last log lines:"
        docker logs --tail 40 "$run-app" 2>&1 || true
    fi
    docker rm -f "$run-app" "$run-db" >/dev/null 2>&1 || true
    docker network rm "$network" >/dev/null 2>&1 || true
}
trap finish EXIT

docker network create "$network" >/dev/null
docker run -d --name "$run-db" --network "$network" --network-alias mysql \
    -e MYSQL_RANDOM_ROOT_PASSWORD=yes -e MYSQL_DATABASE=site -e MYSQL_USER=site -e MYSQL_PASSWORD="$db_password" \
    mysql:8.4 >/dev/null
# Started at once, before the database is up: the app must keep retrying until it is.
docker run -d --name "$run-app" --network "$network" -p "127.0.0.1:$port:8080" \
    -e Database__Host=mysql -e Database__Name=site -e Database__User=site -e Database__Password="$db_password" \
    -e Site__Environment=ci "$image" >/dev/null

base="http://127.0.0.1:$port"
if ! ready_ms="$(wait_for_200 "$base/health/ready" 180)"; then
    fail "/health/ready answered 200 within 3 minutes"
    exit 1
fi
pass "/health/ready answered 200 after ${ready_ms} ms (MySQL 8.4 over TLS, with the image's CA bundle loaded)"
check "GET / is 200" test "$(status_of "$base/")" = 200
check "GET /guestbook is 200" test "$(status_of "$base/guestbook")" = 200
check_guestbook_round_trip "$base"

health=""
for _ in $(seq 1 60); do
    health="$(docker inspect -f '{{.State.Health.Status}}' "$run-app")"
    [ "$health" = healthy ] && break
    sleep 1
done
check "the image's health check (dotnet Site.Web.dll probe) reports healthy (was: $health)" test "$health" = healthy

image_arch="$(docker image inspect -f '{{.Architecture}}' "$image")"
machine_arch="$(docker version -f '{{.Server.Arch}}')"
check "the image is for this machine's architecture, $machine_arch (image: $image_arch)" test "$image_arch" = "$machine_arch"
user="$(docker image inspect -f '{{.Config.User}}' "$image")"
check "the image runs as a non-root user (USER '$user')" test -n "$user" -a "$user" != 0 -a "$user" != root
check "no .NET SDK in the image" test -z "$(docker run --rm --entrypoint dotnet "$image" --list-sdks)"

started=$SECONDS
docker stop --time 30 "$run-app" >/dev/null
took=$((SECONDS - started))
check "the app stops within 5 s of SIGTERM (took ${took} s)" test "$took" -le 5
check "the app exits with code 0 on SIGTERM" test "$(docker inspect -f '{{.State.ExitCode}}' "$run-app")" = 0

echo "image size: $(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1 / 1000000}')"
if [ ${#failures[@]} -gt 0 ]; then
    echo "image check: FAIL (${#failures[@]} failed)"
    exit 1
fi
echo "image check: PASS"
