"""Lighthouse and slow-4G first loads of the pages the journeys issue names, as `make run`
serves them (migrated SQLite, collectstatic, seed_demo, daphne with DEBUG off), next to a
baseline: a bare HTML page served by the same server in the same run.

    (cd bench/lighthouse && npm ci)          # Lighthouse from the npm registry, by the lock
    .venv/bin/python bench/bench_pages.py [--port 8790]

Two Lighthouse runs a page: the mobile preset (simulated throttling) for the four scores, and
DevTools throttling at 400 kbps / 400 ms RTT with 4x CPU for the observed DOMContentLoaded.
Prints each page's scores, its DOMContentLoaded and the ratio to the baseline's. Opt-in, never a
CI gate (the budgets printed are the issue's: scores >= 95, DOMContentLoaded <= 3 s).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "meijia-demo"
SLOW_4G = [
    "--throttling-method=devtools",
    "--throttling.requestLatencyMs=400",
    "--throttling.downloadThroughputKbps=400",
    "--throttling.uploadThroughputKbps=400",
    "--throttling.cpuSlowdownMultiplier=4",
]
BASELINE = "<!doctype html><html lang=zh-Hans><title>baseline</title><main><h1>基线</h1></main>"


def serve(port: int, workdir: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backend.settings.local",
        "DATABASE_URL": f"sqlite:///{workdir / 'pages.sqlite3'}",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    py = str(ROOT / ".venv" / "bin" / "python")
    for step in (["migrate", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"], ["seed_demo"]):
        subprocess.run(  # noqa: S603 - our own manage.py
            [py, "manage.py", *step], cwd=ROOT, env=env, check=True, capture_output=True
        )
    # In collectstatic's folder (ignored by git) before daphne starts: WhiteNoise scans it once.
    (ROOT / "staticfiles" / "bench-baseline.html").write_text(BASELINE, encoding="utf-8")
    daphne = [str(ROOT / ".venv" / "bin" / "daphne"), "-p", str(port), "backend.asgi:application"]
    server = subprocess.Popen(  # noqa: S603 - our own daphne
        daphne, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("daphne did not start")


def session_cookie(base: str, username: str) -> str:
    """Sign in through the login form as a person does; the session cookie for Lighthouse."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()  # noqa: S310 - http://127.0.0.1
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    opener.addheaders = [("Referer", f"{base}/accounts/login/")]
    opener.open(f"{base}/accounts/login/", body.encode())
    cookies = {c.name: c.value for c in jar}
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def lighthouse(url: str, cookie: str | None, extra: list[str]) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        command = [
            str(LIGHTHOUSE),
            url,
            f"--chrome-path={CHROMIUM}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            "--only-categories=performance,accessibility,best-practices,seo",
            "--output=json",
            f"--output-path={out.name}",
            "--quiet",
            *extra,
        ]
        if cookie:
            command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
        subprocess.run(command, check=True, timeout=240)  # noqa: S603 - the locked Lighthouse
        return json.loads(Path(out.name).read_text())


def observed_dcl(report: dict) -> float:
    return report["audits"]["metrics"]["details"]["items"][0]["observedDomContentLoaded"] / 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8790)
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: (cd bench/lighthouse && npm ci)")
    base = f"http://127.0.0.1:{args.port}"
    with tempfile.TemporaryDirectory() as workdir:
        server = serve(args.port, Path(workdir))
        try:
            household = session_cookie(base, "demo-household")
            request_id = re.search(
                r'href="/requests/(\d+)/"', opener_get(f"{base}/requests/", household)
            ).group(1)
            pages = [
                ("baseline (bare page)", f"{base}/static/bench-baseline.html", None),
                ("home, signed out", f"{base}/", None),
                ("worker offers", f"{base}/worker/offers/", session_cookie(base, "demo-worker")),
                ("a request", f"{base}/requests/{request_id}/", household),
                ("dashboard", f"{base}/federation/", session_cookie(base, "demo-federation")),
            ]
            report(pages)
        finally:
            server.kill()


def opener_get(url: str, cookie: str) -> str:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - local
    return urllib.request.urlopen(request).read().decode()  # noqa: S310 - http://127.0.0.1


CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def report(pages) -> None:
    """One row a page; `landed` is where Lighthouse ended (a sign-in page would mean the cookie
    did not take)."""
    print(f"{'page':22} {'perf a11y best  seo':>19} {'DCL slow 4G':>12} {'x base':>7}  landed")
    baseline = None
    for name, url, cookie in pages:
        scored = lighthouse(url, cookie, [])
        landed = "/" + scored["finalDisplayedUrl"].split("/", 3)[3]
        dcl = observed_dcl(lighthouse(url, cookie, SLOW_4G))
        baseline = baseline or dcl
        values = " ".join(f"{round(scored['categories'][k]['score'] * 100):>4}" for k in CATEGORIES)
        print(f"{name:22} {values} {dcl:>11.2f}s {dcl / baseline:>6.1f}x  {landed}")
    print("budgets: every score >= 95, DOMContentLoaded <= 3 s")


if __name__ == "__main__":
    sys.exit(main())
