"""Checking real responses against the OpenAPI schema the server publishes (schemathesis'
response-schema validation: every status that the schema documents, its body by JSON Schema)."""

from __future__ import annotations

from functools import lru_cache

import requests
import schemathesis
from schemathesis.core.transport import Response

from tests.security.schema_tools import api_schema


@lru_cache(maxsize=1)
def loaded_schema():
    return schemathesis.openapi.from_dict(api_schema())


def violations(path: str, method: str, response) -> list[str]:
    """What in a Django test response breaks the schema of `method path` (empty: it agrees)."""
    operation = loaded_schema()[path][method.upper()]
    prepared = requests.Request(method.upper(), f"http://testserver{path}").prepare()
    wrapped = Response(
        status_code=response.status_code,
        headers={name.lower(): [value] for name, value in response.headers.items()},
        # A download (the my-data archive) streams: read it whole, as a client would.
        content=b"".join(response.streaming_content) if response.streaming else response.content,
        request=prepared,
        elapsed=0.0,
        verify=True,
    )
    try:
        operation.validate_response(wrapped)
    except BaseException as failure:  # schemathesis raises a FailureGroup (a BaseExceptionGroup)
        if isinstance(failure, KeyboardInterrupt | SystemExit):
            raise
        found = getattr(failure, "exceptions", None) or [failure]
        return [
            f"{method.upper()} {path} {response.status_code}: " + _first_lines(str(each))
            for each in found
        ]
    return []


def _first_lines(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return " / ".join(lines[:2])[:300]
