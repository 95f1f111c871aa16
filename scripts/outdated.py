"""`make outdated`: the packages pinned in pyproject.toml that have newer releases, by kind
(patch: same major.minor; minor: same major; major). Asks the package index through pip, so run
it by hand; the tests call `newer_releases` with versions they give it."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent


def pins(pyproject: Path = ROOT / "pyproject.toml") -> dict[str, Version]:
    """name → pinned version of every `name==version` in the dependencies and every extra."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    lines = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        lines += extra
    found = {}
    for line in lines:
        requirement = Requirement(line)
        exact = [spec for spec in requirement.specifier if spec.operator == "=="]
        if exact:
            found[canonicalize_name(requirement.name)] = Version(exact[0].version)
    return found


def newer_releases(pinned: Version, available: list[str]) -> dict[str, Version]:
    """The newest final release of each kind newer than `pinned` ("patch", "minor", "major")."""
    newest: dict[str, Version] = {}
    for text in available:
        try:
            version = Version(text)
        except InvalidVersion:
            continue
        if version.is_prerelease or version.is_devrelease or version <= pinned:
            continue
        if version.release[:2] == pinned.release[:2]:
            kind = "patch"
        elif version.major == pinned.major:
            kind = "minor"
        else:
            kind = "major"
        if kind not in newest or version > newest[kind]:
            newest[kind] = version
    return newest


def available_versions(name: str) -> list[str]:
    """Every version the configured index offers (pip's own `index versions`)."""
    result = subprocess.run(  # noqa: S603 - our interpreter, a package name from pyproject
        [sys.executable, "-m", "pip", "index", "versions", name],
        capture_output=True,
        text=True,
        timeout=120,
    )
    match = re.search(r"Available versions:\s*(.+)", result.stdout)
    return [part.strip() for part in match.group(1).split(",")] if match else []


def main() -> int:
    rows = []
    for name, pinned in sorted(pins().items()):
        newer = newer_releases(pinned, available_versions(name))
        if newer:
            later = ", ".join(
                f"{kind} {newer[kind]}" for kind in ("patch", "minor", "major") if kind in newer
            )
            rows.append(f"{name:32} {str(pinned):12} {later}")
    print("\n".join(rows) if rows else "Every pinned package is at its newest release.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
