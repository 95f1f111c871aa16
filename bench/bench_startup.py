"""Start-up cost: what a gunicorn worker pays before its first request (`django.setup()`, the
WSGI application and the URL conf, in a fresh process with production settings) next to a bare
Django project (the contrib apps only, one view) set up the same way in the same run; and
`migrate` on an empty SQLite database next to the bare project's.

    .venv/bin/python bench/bench_startup.py [--rounds 5] [--migrate-rounds 2]

Also lists the heavy packages the worker imports that it should not (twisted, geopy's
geocoders, aiohttp, django.test). Wall clock, medians over the rounds; never a CI gate.
"""

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BARE_SETTINGS = textwrap.dedent(
    """
    SECRET_KEY = "bench"
    DEBUG = False
    ALLOWED_HOSTS = ["*"]
    INSTALLED_APPS = [
        "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
        "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles",
    ]
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
    ]
    ROOT_URLCONF = "bare_urls"
    TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates",
                  "APP_DIRS": True, "OPTIONS": {"context_processors": [
                      "django.contrib.auth.context_processors.auth",
                      "django.contrib.messages.context_processors.messages",
                      "django.template.context_processors.request"]}}]
    import os
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",
                             "NAME": os.environ["BENCH_DB"]}}
    USE_TZ = True
    STATIC_URL = "static/"
    """
)
BARE_URLS = textwrap.dedent(
    """
    from django.contrib import admin
    from django.http import JsonResponse
    from django.urls import path
    urlpatterns = [path("admin/", admin.site.urls), path("", lambda r: JsonResponse({}))]
    """
)
WORKER = textwrap.dedent(
    """
    import sys, time
    started = time.perf_counter()
    from django.core.wsgi import get_wsgi_application
    application = get_wsgi_application()
    from django.conf import settings
    from django.urls import get_resolver
    get_resolver(settings.ROOT_URLCONF).url_patterns
    elapsed = time.perf_counter() - started
    heavy = [m for m in ("twisted", "daphne", "geopy.geocoders", "aiohttp", "django.test")
             if m in sys.modules]
    print(elapsed, ",".join(heavy))
    """
)
UNWANTED = "twisted, daphne, geopy.geocoders, aiohttp, django.test"


def run(env: dict, code: str, cwd: Path) -> tuple[float, str]:
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], cwd=cwd, env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    return float(out[0]), (out[1] if len(out) > 1 else "")


def migrate_seconds(env: dict, cwd: Path, database: Path) -> float:
    database.unlink(missing_ok=True)
    started = time.perf_counter()
    subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import django;django.setup();"
            "from django.core.management import call_command;call_command('migrate', verbosity=0)",
        ],
        cwd=cwd,
        env={**env, "BENCH_DB": str(database)},
        check=True,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--migrate-rounds", type=int, default=2)
    args = parser.parse_args()
    bare_dir = Path(tempfile.mkdtemp())
    (bare_dir / "bare_settings.py").write_text(BARE_SETTINGS)
    (bare_dir / "bare_urls.py").write_text(BARE_URLS)
    database = bare_dir / "bench.sqlite3"
    base_env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    bare_env = {
        **base_env,
        "DJANGO_SETTINGS_MODULE": "bare_settings",
        "BENCH_DB": str(database),
        "PYTHONPATH": str(bare_dir),
    }
    app_env = {
        **base_env,
        "DJANGO_SETTINGS_MODULE": "backend.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{database}",
        "BENCH_DB": str(database),
    }
    bare, app, heavy = [], [], ""
    for _ in range(args.rounds):  # interleaved, so both see the same load
        bare.append(run(bare_env, WORKER, bare_dir)[0])
        seconds, heavy = run(app_env, WORKER, ROOT)
        app.append(seconds)
    b, a = statistics.median(bare), statistics.median(app)
    print(f"worker start-up (setup + WSGI app + URL conf), median of {args.rounds}, wall clock")
    print(f"  bare Django project   {b * 1000:7.0f} ms")
    print(f"  Meijia                {a * 1000:7.0f} ms   ratio ×{a / b:.2f}")
    print(f"  unwanted imports in the worker ({UNWANTED}): {heavy or 'none'}")
    if args.migrate_rounds:
        test_env = {**app_env, "DJANGO_SETTINGS_MODULE": "backend.settings.test"}
        bare_m = [migrate_seconds(bare_env, bare_dir, database) for _ in range(args.migrate_rounds)]
        app_m = [migrate_seconds(test_env, ROOT, database) for _ in range(args.migrate_rounds)]
        bm, am = statistics.median(bare_m), statistics.median(app_m)
        print(f"\nmigrate on an empty SQLite database, median of {args.migrate_rounds}")
        print(f"  bare Django project   {bm:7.2f} s")
        print(f"  Meijia                {am:7.2f} s   ratio ×{am / bm:.2f}")


if __name__ == "__main__":
    main()
