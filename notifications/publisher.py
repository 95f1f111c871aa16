"""Hands pushes to the channel layer: all the messages of one commit in one go, over a
connection that lives as long as the process.

`publish(messages)` never waits for the layer. Where the code runs decides the event loop:

- inside the ASGI server (a service called through `database_sync_to_async`, or code on the
  loop itself): the server's own loop, whose layer connection the sockets already use;
- anywhere else (a gunicorn worker, a management command, the periodic worker) with a layer
  that crosses processes (Redis): one background thread per process running one event loop
  that owns the layer, started on first use and again in a forked child;
- the in-memory layer outside a loop (tests, `runserver` without sockets): sent at once with
  `async_to_sync`, since that layer only reaches consumers of this process.

Batches are sent one after another on their loop, each in its own order, so two pushes to one
user arrive in the order they were published.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import threading
import weakref
from collections import deque
from collections.abc import Sequence

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

logger = logging.getLogger(__name__)

# (group, channel-layer message)
Message = tuple[str, dict]


class Outbox:
    """Messages waiting for one event loop, sent by one drain task at a time, oldest first:
    every push of a commit (and of commits close behind it) goes out in one drain."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.messages: deque[Message] = deque()
        self.guard = threading.Lock()
        self.draining = False
        self.idle = threading.Event()
        self.idle.set()
        self.task: asyncio.Task | None = None  # referenced until it finishes

    def put(self, messages: Sequence[Message]) -> None:
        """Queue the messages (from any thread) and make sure a drain will send them."""
        with self.guard:
            self.messages.extend(messages)
            if self.draining:
                return
            self.draining = True
            self.idle.clear()
        try:
            on_loop = asyncio.get_running_loop() is self.loop
        except RuntimeError:
            on_loop = False
        if on_loop:
            self._start()
        else:
            self.loop.call_soon_threadsafe(self._start)

    def _start(self) -> None:
        self.task = self.loop.create_task(self._drain())

    async def _drain(self) -> None:
        layer = get_channel_layer()
        while True:
            with self.guard:
                if not self.messages:
                    self.draining, self.task = False, None
                    self.idle.set()
                    return
                batch = list(self.messages)
                self.messages.clear()
            await _send(layer, batch)


_outboxes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_outboxes_guard = threading.Lock()


def outbox_of(loop: asyncio.AbstractEventLoop) -> Outbox:
    with _outboxes_guard:
        outbox = _outboxes.get(loop)
        if outbox is None:
            outbox = _outboxes[loop] = Outbox(loop)
        return outbox


async def send_now(messages: Sequence[Message]) -> None:
    """Send the messages on the running loop and return when they are sent."""
    await _send(get_channel_layer(), messages)


async def _send(layer, messages: Sequence[Message]) -> None:
    for group, message in messages:
        try:
            await layer.group_send(group, message)
        except Exception:  # the database holds the truth; a socket miss is recoverable
            logger.exception("could not push %s to %s", message.get("type"), group)


def _server_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop of the async code this thread serves, if any (the ASGI server's)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        pass
    if getattr(SyncToAsync.threadlocal, "main_event_loop_pid", None) != os.getpid():
        return None
    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    return loop if loop is not None and not loop.is_closed() else None


class BackgroundPublisher:
    """One daemon thread with one event loop, owning this process's layer connection."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        self.outbox = outbox_of(self.loop)
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="meijia-publisher", daemon=True
        )
        self.thread.start()

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything queued so far was sent; False on timeout."""
        return self.outbox.idle.wait(timeout)


_publisher: BackgroundPublisher | None = None
_publisher_guard = threading.Lock()


def background_publisher() -> BackgroundPublisher:
    """This process's publisher thread (a forked child starts its own)."""
    global _publisher
    with _publisher_guard:
        if _publisher is None or _publisher.pid != os.getpid():
            _publisher = BackgroundPublisher()
        return _publisher


def _forget_in_child() -> None:
    global _publisher, _publisher_guard, _outboxes_guard
    # The parent's publisher thread does not exist in a forked child, and a lock may be held.
    _publisher, _publisher_guard, _outboxes_guard = None, threading.Lock(), threading.Lock()
    _outboxes.clear()


os.register_at_fork(after_in_child=_forget_in_child)


def flush(timeout: float = 5.0) -> bool:
    """Wait for the background publisher (if this process has one) to send what it holds."""
    publisher = _publisher
    if publisher is None or publisher.pid != os.getpid():
        return True
    return publisher.flush(timeout)


atexit.register(flush, 2.0)


def publish(messages: Sequence[Message]) -> None:
    """Send these (group, message) pairs, in order, without waiting (see the module doc)."""
    if not messages or get_channel_layer() is None:
        return
    loop = _server_loop()
    if loop is not None:
        outbox_of(loop).put(messages)
    elif isinstance(get_channel_layer(), InMemoryChannelLayer):
        async_to_sync(send_now)(messages)
    else:
        background_publisher().outbox.put(messages)
