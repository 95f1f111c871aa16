"""The process's chat writer: the `chat.send` frames of every socket are stored in batches.

A frame waits only while the batch before it is being stored; everything that arrived in the
meantime is stored by the next batch, in one transaction (`chat.batch_services`). Batches run
one at a time on one thread of their own, which keeps its database connection open between
batches (one connection per daphne process, whatever `DB_CONN_MAX_AGE` says; a database error
closes it and the next batch opens a new one). Each event loop has its own queue; the thread is
shared.
"""

from __future__ import annotations

import asyncio
import weakref
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import sync_to_async
from django.db import DatabaseError, connection

from chat.batch_services import ChatSend, SendResult, chat_messages_send

# The most sends one transaction stores (a bound on how long it holds the orders' locks).
MAX_BATCH = 200

_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="meijia-chat-writer")


def _store(sends: list[ChatSend]) -> list[SendResult]:
    try:
        return chat_messages_send(sends=sends)
    except DatabaseError:
        connection.close()  # a broken connection is opened again by the next batch
        raise


_store_on_writer_thread = sync_to_async(_store, thread_sensitive=False, executor=_thread)


class ChatWriter:
    """The queue of one event loop's sends and the task that stores them, batch by batch."""

    def __init__(self) -> None:
        self.pending: list[tuple[ChatSend, asyncio.Future]] = []
        self.task: asyncio.Task | None = None

    async def send(self, send: ChatSend):
        """Store one send; returns (message, created) or raises its DomainError."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.pending.append((send, future))
        if self.task is None:
            self.task = loop.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while self.pending:
                batch, self.pending = self.pending[:MAX_BATCH], self.pending[MAX_BATCH:]
                try:
                    results = await _store_on_writer_thread([send for send, _ in batch])
                except Exception as error:  # every send of the batch gets it
                    results = [error] * len(batch)
                for (_, future), result in zip(batch, results, strict=True):
                    if future.done():  # its socket went away meanwhile: it is stored anyway
                        continue
                    if isinstance(result, BaseException):
                        future.set_exception(result)
                    else:
                        future.set_result(result)
        except asyncio.CancelledError:  # the loop is shutting down: nobody waits any more
            for _, future in self.pending:
                future.cancel()
            self.pending = []
            raise
        finally:
            self.task = None


_writers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def chat_writer() -> ChatWriter:
    """The running event loop's chat writer."""
    loop = asyncio.get_running_loop()
    writer = _writers.get(loop)
    if writer is None:
        writer = _writers[loop] = ChatWriter()
    return writer
