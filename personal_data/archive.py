"""The "my data" archive: a ZIP of one JSON file per kind of record plus a readable summary,
written as it is sent.

Why stream instead of building it in the periodic worker: one user's records are bounded (her
orders, messages, notifications) and each section is read a page at a time
(personal_data.records), so producing the archive costs a few queries per page and constant
memory; a stored archive would be one more copy of her personal data to protect, expire and
delete, and she would wait for a job instead of getting her file at once. The ZIP is written to
a sink that hands each compressed chunk to the response as soon as it exists (zipfile writes data
descriptors on unseekable streams), so nothing is held but the current page and chunk. Under
ASGI the chunks are produced one at a time in a worker thread (`archive_chunks_async`), so the
event loop never waits on the database and Django never gathers the stream into a list.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import AsyncIterator, Iterator

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.core.serializers.json import DjangoJSONEncoder
from django.http import StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from marketplace.models import User
from personal_data.records import SECTIONS
from personal_data.summary import data_summary

FORMAT_VERSION = 1


class _Sink:
    """A write-only stream that keeps what was written until it is drained."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        if data:
            self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def drain(self) -> Iterator[bytes]:
        chunks, self._chunks = self._chunks, []
        if chunks:
            yield b"".join(chunks)


def _json(value) -> bytes:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


def archive_filename(user: User) -> str:
    return f"meijia-my-data-{timezone.localdate():%Y%m%d}.zip"


def archive_chunks(*, user: User) -> Iterator[bytes]:
    """The archive's bytes, a compressed chunk at a time."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        manifest = {
            "format_version": FORMAT_VERSION,
            "generated_at": timezone.now(),
            "user": user.pk,
            "files": [f"{name}.json" for name, _rows in SECTIONS] + ["summary.html"],
        }
        archive.writestr("manifest.json", _json(manifest))
        for name, rows in SECTIONS:
            with archive.open(f"{name}.json", "w") as member:
                member.write(b"[")
                for index, row in enumerate(rows(user)):
                    member.write((b",\n" if index else b"\n") + _json(row))
                    yield from sink.drain()
                member.write(b"\n]\n")
            yield from sink.drain()
        summary = render_to_string(
            "personal_data/summary.html", {"account": user, "summary": data_summary(user=user)}
        )
        archive.writestr("summary.html", summary.encode())
    yield from sink.drain()


async def archive_chunks_async(*, user: User) -> AsyncIterator[bytes]:
    """The same chunks for an ASGI response: each is made in the sync worker thread."""
    chunks = archive_chunks(user=user)
    step = sync_to_async(lambda: next(chunks, None), thread_sensitive=True)
    while (chunk := await step()) is not None:
        yield chunk


def archive_response(request, user) -> StreamingHttpResponse:
    """Her archive as a streamed ZIP download (personal_data.archive)."""
    inner = getattr(request, "_request", request)
    if isinstance(inner, ASGIRequest):
        chunks = archive_chunks_async(user=user)
    else:
        chunks = archive_chunks(user=user)
    response = StreamingHttpResponse(chunks, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{archive_filename(user)}"'
    response["Cache-Control"] = "no-store"
    return response
