"""Reading the OpenAPI schema the server serves: the operations on object paths, and a plausible
request body for each, built from its request schema (so a refusal is about who calls, not about
a missing field)."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from django.utils import timezone

METHODS = ("get", "post", "put", "patch", "delete")
PARAMETER = re.compile(r"{(\w+)}")


@lru_cache(maxsize=1)
def _cached_schema() -> dict:
    """The schema /api/schema/ serves, generated in-process (no request, no database)."""
    import json

    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


def api_schema() -> dict:
    return _cached_schema()


def object_operations(schema: dict) -> list[tuple[str, str]]:
    """Every (path, method) whose path has a path parameter."""
    return [
        (path, method)
        for path, item in sorted(schema["paths"].items())
        if PARAMETER.search(path)
        for method in METHODS
        if method in item
    ]


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in node:
        merged: dict = {}
        for part in node["allOf"]:
            merged.update(_resolve(schema, part))
        return merged
    for key in ("oneOf", "anyOf"):
        if key in node:
            return _resolve(schema, next(n for n in node[key] if n.get("type") != "null"))
    return node


def sample_value(schema: dict, node: dict, name: str = ""):
    node = _resolve(schema, node)
    if "enum" in node:
        return next(value for value in node["enum"] if value not in (None, ""))
    kind = node.get("type")
    if isinstance(kind, list):
        kind = next(k for k in kind if k != "null")
    fmt = node.get("format", "")
    if kind == "object" or "properties" in node:
        return {
            key: sample_value(schema, sub, key)
            for key, sub in node.get("properties", {}).items()
            if not _resolve(schema, sub).get("readOnly")
        }
    if kind == "array":
        return [sample_value(schema, node.get("items", {}), name)]
    if kind == "integer":
        return max(int(node.get("minimum", 1)), 1)
    if kind == "number":
        return max(float(node.get("minimum", 1)), 1.0)
    if kind == "boolean":
        return True
    later = name.startswith("end") or name.endswith("_until") or name.endswith("_to")
    if fmt == "date-time":
        moment = timezone.now() + dt.timedelta(days=4, hours=3 if later else 0)
        return moment.replace(minute=0, second=0, microsecond=0).isoformat()
    if fmt == "date":
        return (timezone.localdate() + dt.timedelta(days=6 if later else 4)).isoformat()
    if fmt == "binary":
        return ""
    if "phone" in name:
        return "13900001234"
    if "pattern" in node:
        for candidate in ("0" * 64, "1", "a", "A1"):
            if re.fullmatch(node["pattern"], candidate):
                return candidate
    text = "安全测试"
    limit = node.get("maxLength")
    return text[:limit] if limit else text


def request_body(schema: dict, path: str, method: str) -> dict | None:
    """A JSON body that satisfies the operation's request schema, or None when it takes none."""
    body = schema["paths"][path][method].get("requestBody")
    if not body:
        return None
    content = body.get("content", {})
    if "application/json" not in content:
        return {}
    return sample_value(schema, content["application/json"]["schema"])
