#!/usr/bin/env bash
# Start Meijia on http://127.0.0.1:8000 with migrations and demo data applied, served by daphne,
# with the periodic worker (offer expiry, auto-confirm, ...) running beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-backend.settings.local}"
$PY manage.py migrate --noinput
# Hashed, gzip-compressed static files that WhiteNoise serves with a year's cache.
$PY manage.py collectstatic --noinput -v 0
$PY manage.py seed_demo
$PY manage.py run_periodic --loop &
periodic=$!
trap 'kill $periodic 2>/dev/null || true' EXIT INT TERM
# Frames and messages over 64 KB are refused before they are read (backend/socket_server.py
# holds daphne to the same caps from settings).
.venv/bin/daphne -b "${HOST:-127.0.0.1}" -p "${PORT:-8000}" \
    --websocket-max-frame-size "${WEBSOCKET_MAX_FRAME_BYTES:-65536}" \
    --websocket-max-message-size "${WEBSOCKET_MAX_MESSAGE_BYTES:-65536}" \
    backend.asgi:application
