# Sourced by the smoke test and the benchmark: publishes Web exactly as the Dockerfile does and starts the output
# the way the container starts it (working directory and content root = the publish folder, the image's
# environment and nothing else from this shell, the image's non-root UID when run as root).
# shellcheck shell=bash

app_uid=1654 # APP_UID of the runtime image

case "$(uname -m)" in
x86_64) app_arch=amd64 ;;
aarch64) app_arch=arm64 ;;
*) app_arch="$(uname -m)" ;;
esac

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
    local port
    for port in $(seq "$1" $(($1 + 200))); do
        if port_free "$port"; then echo "$port"; return; fi
    done
    echo "No free port from $1" >&2
    return 1
}

# publish_app WORK: the Dockerfile's build stage into WORK/app (log in WORK/publish.log), with the RDS CA bundle
# verified against its checksum and copied where the image has it.
publish_app() {
    local work="$1"
    chmod 755 "$work"
    # The Docker build context: the files the Dockerfile copies, without bin/ and obj/ (.dockerignore).
    mkdir -p "$work/src/certs"
    cp global.json Directory.Build.props Directory.Packages.props "$work/src/"
    cp certs/rds-global-bundle.pem certs/rds-global-bundle.sha256 certs/rds-proxy-bundle.pem certs/rds-proxy-bundle.sha256 "$work/src/certs/"
    cp -r Web "$work/src/Web"
    rm -rf "$work/src/Web/bin" "$work/src/Web/obj"
    (
        cd "$work/src"
        sha256sum --check --strict certs/rds-global-bundle.sha256
        sha256sum --check --strict certs/rds-proxy-bundle.sha256
        dotnet restore Web/Web.csproj -a "$app_arch" --locked-mode
        dotnet publish Web/Web.csproj --no-restore -c Release -a "$app_arch" --no-self-contained -o "$work/app"
    ) >"$work/publish.log" 2>&1 || return 1
    install -D -m 0444 "$work/src/certs/rds-global-bundle.pem" "$work/app/certs/rds-global-bundle.pem"
    install -D -m 0444 "$work/src/certs/rds-proxy-bundle.pem" "$work/app/certs/rds-proxy-bundle.pem"
    # The image's /home/app, writable by the app user only.
    mkdir -p "$work/home"
    if [ "$(id -u)" = 0 ]; then chown "$app_uid:$app_uid" "$work/home"; fi
}

# image_environment WORK [NAME=VALUE...]: sets container_env to the image's own environment (the base image's
# and the Dockerfile's ENV, with /app standing for WORK/app) and the user it runs as, plus the given extras.
image_environment() {
    local work="$1"
    shift
    container_env=(
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
        HOME="$work/home"
        DOTNET_RUNNING_IN_CONTAINER=true
        DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true
        APP_VERSION="${APP_VERSION:-local-$(git rev-parse --short HEAD 2>/dev/null || echo local)}"
        ASPNETCORE_HTTP_PORTS=8080
        Database__SslCa="$work/app/certs/rds-global-bundle.pem"
        "$@"
    )
    as_user=()
    if [ "$(id -u)" = 0 ]; then as_user=(setpriv --reuid="$app_uid" --regid="$app_uid" --clear-groups --); fi
}

# app_environment WORK PORT DB_PORT DB_NAME [NAME=VALUE...]: sets container_env to the image's environment
# plus what the ECS task definition adds, plus the given extras.
app_environment() {
    local work="$1" port="$2" db_port="$3" db_name="$4" db_password
    shift 4
    db_password="$(DB_PORT="$db_port" DB_NAME="$db_name" scripts/dev-db.sh url | sed -E 's/.*Password=([^;]*).*/\1/')"
    image_environment "$work" \
        ASPNETCORE_HTTP_PORTS="$port" \
        Database__Host=127.0.0.1 \
        Database__Port="$db_port" \
        Database__Name="$db_name" \
        Database__User=site \
        Database__Password="$db_password" \
        Database__SslMode=None \
        "$@"
}

# run_app WORK [ARGS...]: runs the published app in the foreground with container_env (set by app_environment).
# Nothing else leaks in from this shell: a container starts with only these.
run_app() {
    local work="$1" dotnet_host
    shift
    dotnet_host="$(command -v dotnet)"
    cd "$work/app" && exec env -i "${container_env[@]}" "${as_user[@]}" "$dotnet_host" "$work/app/Site.Web.dll" "$@"
}
