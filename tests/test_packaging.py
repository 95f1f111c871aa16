"""The wheel holds the whole project: built from the tracked files (as a release would be), it
contains every app's modules, templates, static files and data, and the catalogues; unpacked
alone on sys.path, Django starts from it, imports every app and finds its templates and static
files there (not in this checkout)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "backend",
    "marketplace",
    "orders",
    "notifications",
    "programme",
    "metrics",
    "web",
    "chat",
    "demo",
    "personal_data",
]

pytestmark = pytest.mark.slow

PROBE = """
import importlib, json, pkgutil, sys
import django
django.setup()
from django.apps import apps
from django.contrib.staticfiles import finders
from django.template.loader import get_template
apps_ = sys.argv[1].split(",")
files = {}
for app in apps_:
    package = importlib.import_module(app)
    files[app] = package.__file__
    for info in pkgutil.walk_packages(package.__path__, app + "."):
        if not info.name.startswith("backend.settings."):
            importlib.import_module(info.name)
files["template"] = get_template("web/base.html").origin.name
files["static"] = finders.find("web/app.css")
files["installed"] = [config.name for config in apps.get_app_configs()]
print(json.dumps(files))
"""


def tracked(*paths: str) -> list[str]:
    result = subprocess.run(  # noqa: S603 - git on our own checkout
        [shutil.which("git") or "git", "ls-files", "-z", *paths],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    return [name for name in result.stdout.decode().split("\0") if name]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs the git checkout to know the tracked files")
    source = tmp_path_factory.mktemp("source")
    for name in tracked():
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, target)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(  # noqa: S603 - our interpreter
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            ".",
        ],
        cwd=source,
        check=True,
        capture_output=True,
        timeout=600,
    )
    (built,) = out.glob("meijia-*.whl")
    return built


def test_the_wheel_holds_every_tracked_file_of_every_app_and_the_catalogues(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [
        name
        for name in tracked(*APPS)
        if "/tests/" not in name and not name.endswith(".gitkeep") and name not in names
    ]
    assert missing == []
    data = next(
        name.split("/")[0]
        for name in names
        if name.endswith(".data/data/share/meijia/locale/en/LC_MESSAGES/django.mo")
    )
    for language in ("en", "zh_Hans"):
        assert f"{data}/data/share/meijia/locale/{language}/LC_MESSAGES/django.mo" in names


def test_django_starts_from_the_unpacked_wheel_alone(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    result = subprocess.run(  # noqa: S603 - our interpreter, our probe
        [sys.executable, "-c", PROBE, ",".join(APPS)],
        cwd=elsewhere,
        env={
            "PYTHONPATH": str(site),
            "DJANGO_SETTINGS_MODULE": "backend.settings.test",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    for key in [*APPS, "template", "static"]:
        assert found[key] and found[key].startswith(str(site)), (key, found[key])
    assert set(APPS) - {"backend"} <= set(found["installed"])
