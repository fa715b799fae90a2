#!/usr/bin/env bash
# A private MariaDB for running the site on this machine: data in .local/mariadb, listening on 127.0.0.1 only.
# Usage: scripts/dev-db.sh start|stop|url   (PORT defaults to 3307; DB_DIR to .local/mariadb)
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

need_server() {
    if command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]; then return; fi
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        echo "Installing MariaDB (apt-get install mariadb-server)..." >&2
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null) >&2
    else
        echo "MariaDB is not installed. Install the 'mariadb-server' package with your package manager (or run this as root where apt-get exists)." >&2
        exit 1
    fi
}

running() { [ -S "$DIR/sock" ] && mariadb-admin --no-defaults --socket="$DIR/sock" -uroot ping >/dev/null 2>&1; }

case "${1:-start}" in
start)
    need_server
    PATH="$PATH:/usr/sbin"
    if ! running; then
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
stop)
    if running; then mariadb-admin --no-defaults --socket="$DIR/sock" -uroot shutdown; fi
    ;;
url)
    echo "Server=127.0.0.1;Port=$PORT;Database=$DB_NAME;User ID=site;Password=$APP_PASSWORD;SslMode=None"
    ;;
*)
    echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
