#!/usr/bin/env bash
# A private MariaDB for running the site on this machine: data in .local/mariadb, listening on 127.0.0.1 only.
# Usage: scripts/dev-db.sh start|stop|running|url   (DB_PORT defaults to 3307; DB_DIR to .local/mariadb)
# `running` succeeds when this data directory's server is up. Written for bash 3.2 (macOS's /bin/bash).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${DB_PORT:-3307}"
DIR="${DB_DIR:-$PWD/.local/mariadb}"
# A temp folder of its own: a starting server deletes the #sql temp files it finds in its temp folder,
# including those of another server (a test's) bootstrapping beside it.
TMP_DIR="$DIR.tmp"
USER_NAME="$(id -un)"
DB_NAME="${DB_NAME:-site}"
APP_PASSWORD="local-dev-only"

running() { [ -S "$DIR/sock" ] && mariadb-admin --no-defaults --socket="$DIR/sock" -uroot ping >/dev/null 2>&1; }

case "${1:-start}" in
start)
    scripts/install-deps.sh db
    # Debian installs mariadbd to /usr/sbin, which is not on a user's PATH; Homebrew's is on PATH.
    PATH="$PATH:/usr/sbin"
    if ! running; then
        # A port some other server holds would only show as a failed start in the log.
        if (: >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
            echo "Port $PORT is in use by another program: pick another with DB_PORT (DB_PORT=3308 make run)." >&2
            exit 1
        fi
        mkdir -p "$TMP_DIR"
        if [ ! -d "$DIR/mysql" ]; then
            mkdir -p "$DIR"
            mariadb-install-db --no-defaults --datadir="$DIR" --tmpdir="$TMP_DIR" --auth-root-authentication-method=normal --skip-test-db \
                --user="$USER_NAME" >"$DIR.install.log" 2>&1
        fi
        nohup mariadbd --no-defaults --datadir="$DIR" --tmpdir="$TMP_DIR" --socket="$DIR/sock" --port="$PORT" --bind-address=127.0.0.1 \
            --user="$USER_NAME" --skip-log-bin --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
            >"$DIR.log" 2>&1 &
        for _ in $(seq 1 100); do running && break; sleep 0.1; done
        running || { echo "MariaDB did not start; see $DIR.log" >&2; exit 1; }
    fi
    mariadb --no-defaults --socket="$DIR/sock" -uroot <<SQL
CREATE DATABASE IF NOT EXISTS \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'site'@'127.0.0.1' IDENTIFIED BY '$APP_PASSWORD';
GRANT ALL PRIVILEGES ON \`$DB_NAME\`.* TO 'site'@'127.0.0.1';
SQL
    echo "MariaDB on 127.0.0.1:$PORT, database $DB_NAME" >&2
    ;;
running)
    running
    ;;
stop)
    if running; then mariadb-admin --no-defaults --socket="$DIR/sock" -uroot shutdown; fi
    ;;
url)
    echo "Server=127.0.0.1;Port=$PORT;Database=$DB_NAME;User ID=site;Password=$APP_PASSWORD;SslMode=None"
    ;;
*)
    echo "usage: $0 start|stop|running|url" >&2; exit 2 ;;
esac
