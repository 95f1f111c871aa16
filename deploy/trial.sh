#!/usr/bin/env bash
# Start (or stop) the whole production layout on one machine, on loopback, for a trial:
#   nginx :TRIAL_PORT  →  gunicorn (WSGI, GUNICORN_WORKERS workers)  for REST and pages
#                      →  daphne × DAPHNE_PROCESSES (ASGI)              for /ws/
#                      →  static files from STATIC_ROOT (collectstatic, hashed names)
#   run_periodic --loop (one process), PostgreSQL (DATABASE_URL), Redis (REDIS_URL).
#
#   deploy/trial.sh start | stop | status
#
# Environment (defaults in brackets): DATABASE_URL [postgresql://postgres@127.0.0.1:5432/meijia_f],
# REDIS_URL [redis://127.0.0.1:6379/15], TRIAL_PORT [8080], GUNICORN_WORKERS [2],
# DAPHNE_PROCESSES [2], DAPHNE_BASE_PORT [8101], GUNICORN_PORT [8001], TRIAL_DIR
# [/tmp/meijia-trial], BENCH_BARE_VIEW [0]. Production settings with a SECRET_KEY generated
# once into TRIAL_DIR. Logs: TRIAL_DIR/*.log (one JSON line per request).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=${PYTHON:-$ROOT/.venv/bin/python}
TRIAL_DIR=${TRIAL_DIR:-/tmp/meijia-trial}
TRIAL_PORT=${TRIAL_PORT:-8080}
GUNICORN_PORT=${GUNICORN_PORT:-8001}
GUNICORN_WORKERS=${GUNICORN_WORKERS:-2}
DAPHNE_PROCESSES=${DAPHNE_PROCESSES:-2}
DAPHNE_BASE_PORT=${DAPHNE_BASE_PORT:-8101}
export DATABASE_URL=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/meijia_f}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/15}

environment() {
    export DJANGO_SETTINGS_MODULE=backend.settings.production
    export SECRET_KEY
    SECRET_KEY=$(cat "$TRIAL_DIR/secret_key")
    export ALLOWED_HOSTS="127.0.0.1,localhost"
    export CSRF_TRUSTED_ORIGINS="http://127.0.0.1:$TRIAL_PORT,http://localhost:$TRIAL_PORT"
    export SECURE_SSL_REDIRECT=0           # loopback trial over plain HTTP
    export TRUSTED_PROXIES=127.0.0.1,::1   # nginx on this host: only it may forward addresses
    export NUM_PROXIES=1                   # ... and the caller is the hop nginx appended
    export CHANNEL_PREFIX=meijia-trial     # pub/sub ignores the Redis db number
    export PROMETHEUS_MULTIPROC_DIR="$TRIAL_DIR/prometheus"
    export DB_CONN_MAX_AGE=${DB_CONN_MAX_AGE:-60}
    export BENCH_BARE_VIEW=${BENCH_BARE_VIEW:-0}
}

running() { [ -f "$1" ] && kill -0 "$(cat "$1" 2>/dev/null)" 2>/dev/null; }

wait_port() {
    for _ in $(seq 1 100); do
        if "$PY" -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 0.3).close()" "$1" 2>/dev/null; then
            return 0
        fi
        sleep 0.2
    done
    echo "trial.sh: nothing listens on 127.0.0.1:$1 (see $TRIAL_DIR/*.log)" >&2
    return 1
}

ensure_nginx() {
    if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then return 0; fi
    if [ "$(id -u)" -eq 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light
    else
        echo "trial.sh: nginx is missing; install it with: apt-get install nginx-light" >&2
        exit 1
    fi
}

render_nginx() {
    local asgi="" i
    for ((i = 0; i < DAPHNE_PROCESSES; i++)); do
        asgi+="server 127.0.0.1:$((DAPHNE_BASE_PORT + i));"$'\n        '
    done
    "$PY" - "$ROOT/deploy/nginx.conf.template" "$TRIAL_DIR/nginx.conf" <<PY
import sys
text = open(sys.argv[1], encoding="utf-8").read()
values = {
    "@RUN_DIR@": "$TRIAL_DIR",
    "@STATIC_ROOT@": "$ROOT/staticfiles",
    "@LISTEN@": "127.0.0.1:$TRIAL_PORT",
    "@SERVER_NAME@": "127.0.0.1 localhost",
    "@WSGI_SERVERS@": "server 127.0.0.1:$GUNICORN_PORT;",
    "@ASGI_SERVERS@": """$asgi""".strip(),
}
for key, value in values.items():
    text = text.replace(key, value)
open(sys.argv[2], "w", encoding="utf-8").write(text)
PY
}

start() {
    mkdir -p "$TRIAL_DIR"
    if running "$TRIAL_DIR/nginx.pid"; then echo "already running (deploy/trial.sh stop first)"; exit 1; fi
    [ -s "$TRIAL_DIR/secret_key" ] || "$PY" -c "import secrets; print(secrets.token_urlsafe(64))" > "$TRIAL_DIR/secret_key"
    chmod 600 "$TRIAL_DIR/secret_key"
    environment
    ensure_nginx
    rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"

    # The database (PostgreSQL: created when missing), schema, static files.
    "$PY" - <<'PY'
import os
from urllib.parse import urlparse
url = urlparse(os.environ["DATABASE_URL"])
if url.scheme.startswith("postgres"):
    import psycopg
    name = url.path.lstrip("/")
    admin = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
PY
    "$PY" manage.py migrate --noinput -v 0
    "$PY" manage.py collectstatic --noinput -v 0

    "$PY" -m gunicorn -c deploy/gunicorn.conf.py --bind "127.0.0.1:$GUNICORN_PORT" \
        --workers "$GUNICORN_WORKERS" --pid "$TRIAL_DIR/gunicorn.pid" \
        backend.wsgi:application >>"$TRIAL_DIR/gunicorn.log" 2>&1 &
    local i port
    for ((i = 0; i < DAPHNE_PROCESSES; i++)); do
        port=$((DAPHNE_BASE_PORT + i))
        # No persistent connections under ASGI: each request's sync code may run in another
        # thread, and kept connections pile up until PostgreSQL refuses more (seen in the bench).
        # No --proxy-headers: it believes the left-most X-Forwarded-For hop from anyone;
        # backend.client_address reads the headers from TRUSTED_PROXIES only. Frames and
        # messages over the caps are refused before they are read.
        DB_CONN_MAX_AGE=0 "$PY" -m daphne -b 127.0.0.1 -p "$port" \
            --websocket-max-frame-size "${WEBSOCKET_MAX_FRAME_BYTES:-65536}" \
            --websocket-max-message-size "${WEBSOCKET_MAX_MESSAGE_BYTES:-65536}" \
            backend.asgi:application >>"$TRIAL_DIR/daphne-$port.log" 2>&1 &
        echo $! >"$TRIAL_DIR/daphne-$port.pid"
    done
    "$PY" manage.py run_periodic --loop --interval "${PERIODIC_INTERVAL:-30}" \
        >>"$TRIAL_DIR/periodic.log" 2>&1 &
    echo $! >"$TRIAL_DIR/periodic.pid"

    wait_port "$GUNICORN_PORT"
    for ((i = 0; i < DAPHNE_PROCESSES; i++)); do wait_port $((DAPHNE_BASE_PORT + i)); done
    render_nginx
    nginx -c "$TRIAL_DIR/nginx.conf" -t -q
    nginx -c "$TRIAL_DIR/nginx.conf"
    wait_port "$TRIAL_PORT"
    echo "Meijia trial: http://127.0.0.1:$TRIAL_PORT/ (gunicorn ×$GUNICORN_WORKERS on :$GUNICORN_PORT," \
        "daphne ×$DAPHNE_PROCESSES from :$DAPHNE_BASE_PORT, periodic worker; logs in $TRIAL_DIR)"
    echo "metrics: curl http://127.0.0.1:$GUNICORN_PORT/metrics   readiness: curl http://127.0.0.1:$TRIAL_PORT/readyz"
}

stop_pidfile() {
    local file=$1
    if running "$file"; then
        kill "$(cat "$file")" 2>/dev/null || true
        for _ in $(seq 1 50); do running "$file" || break; sleep 0.2; done
        running "$file" && kill -9 "$(cat "$file")" 2>/dev/null || true
    fi
    rm -f "$file"
}

stop() {
    [ -d "$TRIAL_DIR" ] || { echo "not running"; return 0; }
    if running "$TRIAL_DIR/nginx.pid"; then
        nginx -c "$TRIAL_DIR/nginx.conf" -s quit 2>/dev/null || stop_pidfile "$TRIAL_DIR/nginx.pid"
        for _ in $(seq 1 50); do running "$TRIAL_DIR/nginx.pid" || break; sleep 0.1; done
    fi
    local file
    for file in "$TRIAL_DIR"/daphne-*.pid "$TRIAL_DIR/periodic.pid" "$TRIAL_DIR/gunicorn.pid"; do
        [ -e "$file" ] && stop_pidfile "$file"
    done
    echo "stopped"
}

status() {
    local file
    for file in "$TRIAL_DIR"/*.pid; do
        [ -e "$file" ] || continue
        if running "$file"; then echo "up   $(basename "$file" .pid) pid $(cat "$file")"; else echo "down $(basename "$file" .pid)"; fi
    done
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: deploy/trial.sh start|stop|status" >&2; exit 2 ;;
esac
