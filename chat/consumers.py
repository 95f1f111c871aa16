"""Order chat on the user's socket: the `chat.send`, `chat.read` and `resync` client frames.

Messages are stored first and come back to every party through the user's group as
`chat.message` frames; a socket that resynced drops the live copies it already sent.
"""

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils.translation import gettext

from chat.batch_services import ChatSend
from chat.selectors import MAX_PAGE, messages_after, order_for_party
from chat.services import CHAT_MESSAGE, chat_mark_read, chat_message_frame
from chat.writer import chat_writer
from notifications.consumers import FrameHandler, TokenBucket, UserConsumer
from notifications.frames import int_field, string_field

# At most this many messages answer one `resync`; `has_more` asks the client to resync again.
MAX_RESYNC_MESSAGES = 1000
# Chat ids remembered per order per socket to keep a resync from repeating live messages.
MAX_LIVE_IDS = 2000


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


class ChatConsumer(UserConsumer):
    """The user's socket with order chat."""

    async def socket_opened(self) -> None:
        knobs = settings.MEIJIA
        self.chat_bucket = TokenBucket(
            rate=knobs["SOCKET_CHAT_RATE"], burst=knobs["SOCKET_CHAT_BURST"]
        )
        # Per order: the highest chat id a resync sent, and the ids sent live since then, so
        # that neither a late live copy nor a resync repeats a message on this socket.
        self.resynced_up_to: dict[int, int] = {}
        self.live_ids: dict[int, set[int]] = {}

    def frame_handlers(self) -> dict[str, FrameHandler]:
        return {
            **super().frame_handlers(),
            "chat.send": self.chat_send,
            "chat.read": self.chat_read,
            "resync": self.resync,
        }

    async def chat_send(self, content):
        order_id = int_field(content, "order", minimum=1)
        body = string_field(content, "body")
        # Required on the socket: a resend after a reconnect must not store twice.
        client_id = string_field(content, "client_id")
        wait = self.chat_bucket.take()
        if wait:
            await self.send_error(
                "rate_limited",
                gettext("发送过快，请稍后再试。"),
                retry_after=round(wait, 3),
                client_id=client_id,
            )
            return
        # Stored with the sends of every other socket that arrived meanwhile (chat.writer).
        message, created = await chat_writer().send(
            ChatSend(order_id=order_id, sender=self.user, body=body, client_id=client_id)
        )
        if not created:
            # Already stored and delivered: answer this socket only, so it learns the id.
            await self.send_json({**chat_message_frame(message), "duplicate": True})

    async def chat_read(self, content):
        order_id = int_field(content, "order", minimum=1)
        up_to = int_field(content, "up_to", minimum=0)
        await database_sync_to_async(chat_mark_read)(order_id=order_id, user=self.user, up_to=up_to)

    async def resync(self, content):
        order_id = int_field(content, "order", minimum=1)
        after = int_field(content, "after", minimum=0)
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

    def accepts_push(self, frame: dict) -> bool:
        if frame.get("type") != CHAT_MESSAGE:
            return True
        order_id, message_id = frame["order"], frame["id"]
        live = self.live_ids.setdefault(order_id, set())
        if message_id <= self.resynced_up_to.get(order_id, 0) or message_id in live:
            return False
        live.add(message_id)
        if len(live) > MAX_LIVE_IDS:  # keep memory bounded on a long-lived socket
            self.live_ids[order_id] = set(sorted(live)[-MAX_LIVE_IDS // 2 :])
        return True
