"""The structure stays as docs/architecture.md draws it: apps on floors, no import circle, modules
of one screen-ish and functions short enough to read, code named after concepts."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
APPS = CONFIG["root_packages"]
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def source_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_import_contracts_are_kept():
    """Floors (layers) and no circles among siblings, as `lint-imports` checks them."""
    result = subprocess.run(  # noqa: S603
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_every_backend_module_has_a_floor():
    """backend is split between the bottom floor (core) and the top (the composition root):
    a new backend module must be placed on one of them, or the floors contract misses it."""
    floors = next(c for c in CONFIG["contracts"] if c["id"] == "floors")["layers"]
    placed = {
        name.strip() for layer in floors for name in re.split(r"[|:]", layer) if "backend" in name
    }
    modules = {
        f"backend.{path.relative_to(ROOT / 'backend').parts[0].removesuffix('.py')}"
        for path in (ROOT / "backend").glob("*")
        if path.name != "__init__.py" and (path.suffix == ".py" or path.is_dir())
        if path.name != "__pycache__"
    }
    assert modules <= placed, f"backend modules on no floor: {sorted(modules - placed)}"


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the groups of modules that import each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def test_no_module_imports_itself_through_others():
    """Module by module (a package's __init__ included, which the sibling contract cannot see)."""
    graph = grimp.build_graph(*APPS, cache_dir=None)
    edges = {
        module: set(graph.find_modules_directly_imported_by(module)) & graph.modules
        for module in graph.modules
    }
    circles = _strongly_connected(edges)
    assert not circles, "modules importing each other in a circle:\n" + "\n".join(
        " → ".join(group) for group in circles
    )


def test_the_circle_finder_finds_a_circle():
    assert _strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [
        ["a", "b", "c"]
    ]
    assert _strongly_connected({"a": {"b"}, "b": set()}) == []


def test_modules_and_functions_stay_readable():
    too_long = []
    for path in source_files():
        text = path.read_text()
        name = path.relative_to(ROOT)
        if text.count("\n") > MAX_MODULE_LINES:
            too_long.append(f"{name}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{name}:{node.lineno} {node.name}() {length} lines")
    assert not too_long, "too long to read:\n" + "\n".join(too_long)


ROUND_OF_WORK = re.compile(r"\bissues?\s*#?\s*\d+\b", re.IGNORECASE)


@pytest.mark.parametrize("suffix", [".py", ".html", ".js", ".css", ".sh"])
def test_code_is_named_after_concepts_not_issues(suffix):
    places = []
    for folder in [*APPS, "templates", "static", "scripts", "bench", "deploy"]:
        for path in sorted((ROOT / folder).rglob(f"*{suffix}")):
            if "node_modules" in path.parts or not path.is_file():
                continue  # bench/lighthouse's installed npm packages are not our code
            for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                if ROUND_OF_WORK.search(line):
                    places.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not places, "named after an issue, not a concept:\n" + "\n".join(places)
