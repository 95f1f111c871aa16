"""The one socket per signed-in user (PRODUCT.md §5): authentication, live events, ping.

Events reach the socket through the user's group (`user.<id>`, message type "push.frame").
Every client frame that cannot be served gets an `error` frame and the socket stays open.
Apps above add their own client frame types by subclassing `UserConsumer` (the order chat does,
in `chat.consumers`); the composition root routes `/ws/` to that subclass.
"""

import asyncio
import json
import time
from collections.abc import Awaitable, Callable

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils.translation import gettext

from backend.exceptions import DomainError
from notifications.events import user_group
from notifications.frames import FrameError
from notifications.presence import presence_join, presence_leave, presence_refresh
from notifications.sessions import session_group_of_scope
from notifications.socket_slots import socket_slot_give_back, socket_slot_take

CLOSE_UNAUTHORIZED = 4401
CLOSE_TOO_MANY_SOCKETS = 4429
# Larger than any valid frame (a 2,000-character chat body is at most ~8 KB as JSON escapes).
MAX_FRAME_CHARS = 16_000

FrameHandler = Callable[[dict], Awaitable[None]]


class TokenBucket:
    """`rate` tokens a second, at most `burst` saved up; `take` answers the wait (0 = go)."""

    def __init__(self, *, rate: float, burst: float, clock=time.monotonic):
        self.rate, self.burst, self.clock = rate, burst, clock
        self.tokens = burst
        self.updated = clock()

    def take(self) -> float:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class UserConsumer(AsyncJsonWebsocketConsumer):
    """One socket per signed-in user: relays the user's events and answers `ping`.

    Extension points for subclasses: `frame_handlers` (client frame type → async handler, which
    raises FrameError or a DomainError to answer with an `error` frame), `socket_opened`
    (per-socket state, once the socket is accepted) and `accepts_push` (drop a pushed frame
    this socket already has).
    """

    group: str | None = None
    session_group: str | None = None
    expiry_task: asyncio.Task | None = None
    holds_slot = False
    presence_task: asyncio.Task | None = None

    async def connect(self):
        user = self.scope.get("user")
        subprotocol = self.scope.get("accept_subprotocol")
        if user is None or not user.is_authenticated:
            # Accept first so that browsers see 4401 rather than a failed handshake.
            await self.accept(subprotocol)
            await self.close(
                code=CLOSE_UNAUTHORIZED, reason=self.scope.get("auth_error", "missing")
            )
            return
        if not await socket_slot_take(user.pk):
            # The sockets already open keep working; this one is refused with the reason.
            await self.accept(subprotocol)
            await self.close(code=CLOSE_TOO_MANY_SOCKETS, reason="too_many_sockets")
            return
        self.holds_slot = True
        self.user = user
        self.group = user_group(user.pk)
        # Join before accepting: nothing pushed after the client sees the socket open is lost.
        await self.channel_layer.group_add(self.group, self.channel_name)
        self.session_group = session_group_of_scope(self.scope)
        if self.session_group:
            await self.channel_layer.group_add(self.session_group, self.channel_name)
        await self.accept(subprotocol)
        knobs = settings.MEIJIA
        self.frame_bucket = TokenBucket(
            rate=knobs["SOCKET_FRAME_RATE"], burst=knobs["SOCKET_FRAME_BURST"]
        )
        await database_sync_to_async(presence_join)(user_id=user.pk, channel_name=self.channel_name)
        self.presence_task = asyncio.create_task(self.keep_presence())
        await self.socket_opened()
        expires_at = self.scope.get("token_expires_at")
        if expires_at:
            self.expiry_task = asyncio.create_task(self.close_when_expired(expires_at))

    async def dispatch(self, message):
        # Channels would first close stale database connections, a round trip through the
        # database thread for every frame in and every push out. This socket reaches the database
        # only through database_sync_to_async, which does that around each call itself, or the
        # chat writer, which keeps a connection of its own.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def socket_opened(self) -> None:
        """Set up per-socket state of a subclass (the user is signed in, the socket accepted)."""

    def frame_handlers(self) -> dict[str, FrameHandler]:
        """The client frame types this socket serves, each with its handler."""
        return {"ping": self.ping}

    def accepts_push(self, frame: dict) -> bool:
        """Whether a frame pushed to the user's group goes out on this socket."""
        return True

    async def keep_presence(self) -> None:
        """Refresh this socket's presence row while it lives (notifications.presence)."""
        interval = settings.REACH["PRESENCE_REFRESH_SECONDS"]
        while True:
            await asyncio.sleep(interval)
            await database_sync_to_async(presence_refresh)(channel_name=self.channel_name)

    async def close_when_expired(self, expires_at: float) -> None:
        await asyncio.sleep(max(0.0, expires_at - time.time()))
        await self.send_error("token_expired", gettext("登录已过期，请使用新令牌重新连接。"))
        await self.close(code=CLOSE_UNAUTHORIZED, reason="token_expired")

    async def disconnect(self, code):
        if self.holds_slot:
            self.holds_slot = False
            await socket_slot_give_back(self.user.pk)
        if self.expiry_task is not None:
            self.expiry_task.cancel()
        if self.presence_task is not None:
            self.presence_task.cancel()
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await database_sync_to_async(presence_leave)(channel_name=self.channel_name)
        if self.session_group is not None:
            await self.channel_layer.group_discard(self.session_group, self.channel_name)

    async def session_signed_out(self, event):
        """The session this socket was opened with was signed out (notifications.sessions)."""
        await self.send_error("signed_out", gettext("已退出登录，请重新登录。"))
        await self.close(code=CLOSE_UNAUTHORIZED, reason="signed_out")

    async def send_error(self, code: str, detail: str, field: str | None = None, **extra):
        frame = {"type": "error", "code": code, "detail": detail, **extra}
        if field:
            frame["field"] = field
        await self.send_json(frame)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if self.group is None:  # refused at the handshake: a frame racing the close is dropped
            return
        if text_data is None:
            await self.send_error("invalid_frame", gettext("只接受 JSON 文本帧。"))
            return
        if len(text_data) > MAX_FRAME_CHARS:
            await self.send_error("frame_too_large", gettext("帧过大。"))
            return
        wait = self.frame_bucket.take()
        if wait:
            await self.send_error(
                "rate_limited", gettext("发送过快，请稍后再试。"), retry_after=round(wait, 3)
            )
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):  # RecursionError: nested too deeply
            await self.send_error("invalid_json", gettext("帧不是有效的 JSON。"))
            return
        if not isinstance(content, dict):
            await self.send_error("invalid_frame", gettext("帧须为 JSON 对象。"))
            return
        await self.receive_json(content)

    async def receive_json(self, content, **kwargs):
        kind = content.get("type")
        # A list or object as `type` is unhashable: answer it, never let the lookup raise.
        handler = self.frame_handlers().get(kind) if isinstance(kind, str) else None
        try:
            if handler is None:
                raise FrameError("unknown_type", gettext("未知的帧类型。"), "type")
            await handler(content)
        except FrameError as error:
            await self.send_error(error.code, error.detail, error.field)
        except DomainError as error:
            await self.send_error(error.code, error.detail, error.field, **error.extra)

    async def ping(self, content):
        await self.send_json({"type": "pong"})

    async def push_frame(self, event):
        frame = event["frame"]
        if self.accepts_push(frame):
            await self.send_json(frame)
