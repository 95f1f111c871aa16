"""The lock file drives every install: each pin of pyproject.toml is in requirements.lock at that
version, every locked package carries its hashes, and `make` installs from the lock with hashes
required. Also `make outdated`'s comparison (without asking any index)."""

from __future__ import annotations

import importlib.util
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.M)


def locked() -> dict[str, set[str]]:
    """name → its locked versions (a universal lock may fork one package by environment
    marker, e.g. one version on PyPy and another elsewhere)."""
    versions: dict[str, set[str]] = {}
    for name, version in ENTRY.findall(LOCK.read_text()):
        versions.setdefault(canonicalize_name(name), set()).add(version)
    return versions


def locked_pins() -> list[Requirement]:
    """The dependencies and the dev extra: what `make lock` locks (bench installs on its own)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [
        Requirement(line)
        for line in [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    ]


def test_every_pyproject_pin_is_exact_and_locked_at_that_version():
    lock = locked()
    mismatched = []
    for requirement in locked_pins():
        exact = [spec.version for spec in requirement.specifier if spec.operator == "=="]
        assert exact, f"{requirement} is not pinned to one version"
        name = canonicalize_name(requirement.name)
        if lock.get(name) != {exact[0]}:
            mismatched.append(f"{name}: pyproject {exact[0]}, lock {lock.get(name)}")
        for extra in requirement.extras:  # psycopg[binary] brings psycopg-binary, same version
            companion = canonicalize_name(f"{requirement.name}-{extra}")
            if companion in lock and lock[companion] != {exact[0]}:
                mismatched.append(f"{companion}: lock {lock[companion]}, pyproject {exact[0]}")
    assert mismatched == [], "run `make lock`: " + "; ".join(mismatched)


def test_every_locked_package_has_hashes_and_the_lock_says_how_to_remake_it():
    text = LOCK.read_text()
    assert "make lock" in text.splitlines()[1]
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    packages = [block for block in blocks if ENTRY.match(block)]
    assert len(packages) == len(ENTRY.findall(text)) > 50
    assert [block.split(" ")[0] for block in packages if "--hash=sha256:" not in block] == []


def test_installs_read_the_lock_with_hashes_required():
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install -q --require-hashes -r $(LOCK)" in makefile
    assert "--no-deps --no-build-isolation -e ." in makefile
    assert not re.search(r"pip install[^\n]*-e '\.\[dev\]'", makefile)
    assert re.search(r"^\$\(STAMP\): pyproject.toml \$\(LOCK\)$", makefile, re.M)


def _outdated():
    spec = importlib.util.spec_from_file_location("outdated", ROOT / "scripts" / "outdated.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_outdated_names_the_newest_patch_minor_and_major_release():
    outdated = _outdated()
    available = ["6.0.1", "6.0.2", "5.3.0", "5.3.1rc1", "5.2.20", "5.2.19", "5.2.8", "5.1.9", "x"]
    newer = outdated.newer_releases(Version("5.2.19"), available)
    assert newer == {
        "patch": Version("5.2.20"),
        "minor": Version("5.3.0"),
        "major": Version("6.0.2"),
    }
    assert outdated.newer_releases(Version("6.0.2"), available) == {}
    assert {str(outdated.pins()["django"])} == locked()["django"]
