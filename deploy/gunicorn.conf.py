"""gunicorn settings for the REST/page half (WSGI); `/ws/` is served by daphne.

Environment: GUNICORN_BIND (default 127.0.0.1:8001), GUNICORN_WORKERS (default 2 × cores + 1),
GUNICORN_TIMEOUT. With PROMETHEUS_MULTIPROC_DIR set, a dead worker's metric files are marked so
/metrics (any worker) sums the live ones.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"  # Django views are synchronous; sockets live in daphne
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))  # bounds slow leaks
max_requests_jitter = 500
accesslog = None  # the app logs one JSON line per request
errorlog = "-"
proc_name = "meijia-wsgi"
# X-Forwarded-Proto is believed only from these (nginx on this host); the same TRUSTED_PROXIES
# list tells Django whose X-Forwarded-For to believe (backend/client_address.py).
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "127.0.0.1,::1")


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
