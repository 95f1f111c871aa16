"""The one socket per signed-in user (PRODUCT.md §5): live events, order chat, resync.

Events reach the socket through the user's group (`user.<id>`, message type "push.frame").
Every client frame that cannot be served gets an `error` frame and the socket stays open.
"""

import asyncio
import json
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils.translation import gettext

from backend.exceptions import DomainError
from notifications.events import user_group
from notifications.selectors import MAX_PAGE, messages_after, order_for_party
from notifications.services import (
    CHAT_MESSAGE,
    chat_mark_read,
    chat_message_frame,
    chat_message_send,
)

CLOSE_UNAUTHORIZED = 4401
# Larger than any valid frame (a 2,000-character body is at most ~8 KB as JSON escapes).
MAX_FRAME_CHARS = 16_000
# At most this many messages answer one `resync`; `has_more` asks the client to resync again.
MAX_RESYNC_MESSAGES = 1000
# Chat ids remembered per order per socket to keep a resync from repeating live messages.
MAX_LIVE_IDS = 2000


class FrameError(Exception):
    def __init__(self, code: str, detail: str, field: str | None = None):
        super().__init__(detail)
        self.code, self.detail, self.field = code, detail, field


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


def _int_field(content: dict, name: str, *, minimum: int) -> int:
    value = content.get(name)
    if name not in content:
        raise FrameError("required", gettext("缺少字段 %(field)s。") % {"field": name}, name)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise FrameError(
            "invalid",
            gettext("%(field)s 须为不小于 %(minimum)d 的整数。")
            % {"field": name, "minimum": minimum},
            name,
        )
    return value


def _string_field(content: dict, name: str) -> str:
    if content.get(name) is None:
        raise FrameError("required", gettext("缺少字段 %(field)s。") % {"field": name}, name)
    if not isinstance(content[name], str):
        raise FrameError("invalid", gettext("%(field)s 须为字符串。") % {"field": name}, name)
    return content[name]


def _send_sync(*, order_id: int, user, body, client_id) -> tuple[dict, bool]:
    message, created = chat_message_send(
        order_id=order_id, sender=user, body=body, client_id=client_id
    )
    return chat_message_frame(message), created


def _resync_sync(*, order_id: int, user, after: int) -> tuple[list[dict], bool]:
    order_for_party(order_id=order_id, user=user)
    frames: list[dict] = []
    while len(frames) < MAX_RESYNC_MESSAGES:
        page = messages_after(order_id=order_id, after=after, limit=MAX_PAGE)
        frames.extend(chat_message_frame(message) for message in page)
        if len(page) < MAX_PAGE:
            return frames, False
        after = page[-1].pk
    return frames, True


class UserConsumer(AsyncJsonWebsocketConsumer):
    """One socket per signed-in user."""

    group: str | None = None
    expiry_task: asyncio.Task | None = None

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
        self.user = user
        self.group = user_group(user.pk)
        # Join before accepting: nothing pushed after the client sees the socket open is lost.
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept(subprotocol)
        knobs = settings.MEIJIA
        self.chat_bucket = TokenBucket(
            rate=knobs["SOCKET_CHAT_RATE"], burst=knobs["SOCKET_CHAT_BURST"]
        )
        self.frame_bucket = TokenBucket(
            rate=knobs["SOCKET_FRAME_RATE"], burst=knobs["SOCKET_FRAME_BURST"]
        )
        # Per order: the highest chat id a resync sent, and the ids sent live since then, so
        # that neither a late live copy nor a resync repeats a message on this socket.
        self.resynced_up_to: dict[int, int] = {}
        self.live_ids: dict[int, set[int]] = {}
        expires_at = self.scope.get("token_expires_at")
        if expires_at:
            self.expiry_task = asyncio.create_task(self.close_when_expired(expires_at))

    async def close_when_expired(self, expires_at: float) -> None:
        await asyncio.sleep(max(0.0, expires_at - time.time()))
        await self.send_error("token_expired", gettext("登录已过期，请使用新令牌重新连接。"))
        await self.close(code=CLOSE_UNAUTHORIZED, reason="token_expired")

    async def disconnect(self, code):
        if self.expiry_task is not None:
            self.expiry_task.cancel()
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def send_error(self, code: str, detail: str, field: str | None = None, **extra):
        frame = {"type": "error", "code": code, "detail": detail, **extra}
        if field:
            frame["field"] = field
        await self.send_json(frame)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
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
        except ValueError:
            await self.send_error("invalid_json", gettext("帧不是有效的 JSON。"))
            return
        if not isinstance(content, dict):
            await self.send_error("invalid_frame", gettext("帧须为 JSON 对象。"))
            return
        await self.receive_json(content)

    async def receive_json(self, content, **kwargs):
        handlers = {
            "chat.send": self.chat_send,
            "chat.read": self.chat_read,
            "resync": self.resync,
            "ping": self.ping,
        }
        handler = handlers.get(content.get("type"))
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

    async def chat_send(self, content):
        order_id = _int_field(content, "order", minimum=1)
        body = _string_field(content, "body")
        # Required on the socket: a resend after a reconnect must not store twice.
        client_id = _string_field(content, "client_id")
        wait = self.chat_bucket.take()
        if wait:
            await self.send_error(
                "rate_limited",
                gettext("发送过快，请稍后再试。"),
                retry_after=round(wait, 3),
                client_id=client_id,
            )
            return
        frame, created = await database_sync_to_async(_send_sync)(
            order_id=order_id, user=self.user, body=body, client_id=client_id
        )
        if not created:
            # Already stored and delivered: answer this socket only, so it learns the id.
            await self.send_json({**frame, "duplicate": True})

    async def chat_read(self, content):
        order_id = _int_field(content, "order", minimum=1)
        up_to = _int_field(content, "up_to", minimum=0)
        await database_sync_to_async(chat_mark_read)(order_id=order_id, user=self.user, up_to=up_to)

    async def resync(self, content):
        order_id = _int_field(content, "order", minimum=1)
        after = _int_field(content, "after", minimum=0)
        frames, has_more = await database_sync_to_async(_resync_sync)(
            order_id=order_id, user=self.user, after=after
        )
        live = self.live_ids.get(order_id, set())
        for frame in frames:
            if frame["id"] not in live:
                await self.send_json(frame)
        last_id = frames[-1]["id"] if frames else after
        self.resynced_up_to[order_id] = max(self.resynced_up_to.get(order_id, 0), last_id)
        self.live_ids[order_id] = {i for i in live if i > self.resynced_up_to[order_id]}
        await self.send_json(
            {"type": "resync.done", "order": order_id, "last_id": last_id, "has_more": has_more}
        )

    async def push_frame(self, event):
        frame = event["frame"]
        if frame.get("type") == CHAT_MESSAGE:
            order_id, message_id = frame["order"], frame["id"]
            live = self.live_ids.setdefault(order_id, set())
            if message_id <= self.resynced_up_to.get(order_id, 0) or message_id in live:
                return
            live.add(message_id)
            if len(live) > MAX_LIVE_IDS:  # keep memory bounded on a long-lived socket
                self.live_ids[order_id] = set(sorted(live)[-MAX_LIVE_IDS // 2 :])
        await self.send_json(frame)
