"""What daphne leaves out of the WebSocket protocol, put back for this application.

- The close frame's reason: daphne (up to 4.2.3) drops the ASGI `websocket.close` "reason", so
  clients saw 4401 with an empty reason; this protocol sends it (RFC 6455 allows 123 bytes).
- Frame and message caps from settings (`DAPHNE_WEBSOCKET_MAX_FRAME_SIZE`,
  `DAPHNE_WEBSOCKET_MAX_MESSAGE_SIZE`, the names daphne's runserver reads) as a ceiling on
  whatever the command line said: autobahn checks a frame's declared length in its header and
  fails the connection (1009) before buffering the payload, so however daphne is started
  (`daphne`, `manage.py runserver`, a test harness) an oversized frame is never read whole.

`install()` runs when `backend.asgi` is imported, before daphne accepts any connection.
"""

from __future__ import annotations

from django.conf import settings

MAX_REASON_BYTES = 123


def _ceiling(current: int, cap: int) -> int:
    """The smaller positive limit (0 means "no limit" to autobahn)."""
    if cap <= 0:
        return current
    return cap if current <= 0 else min(current, cap)


def frame_caps() -> tuple[int, int]:
    return (
        int(getattr(settings, "DAPHNE_WEBSOCKET_MAX_FRAME_SIZE", 0) or 0),
        int(getattr(settings, "DAPHNE_WEBSOCKET_MAX_MESSAGE_SIZE", 0) or 0),
    )


def close_reason(message: dict) -> str | None:
    reason = message.get("reason") or None
    if reason is None:
        return None
    encoded = str(reason).encode("utf-8")[:MAX_REASON_BYTES]
    return encoded.decode("utf-8", "ignore") or None


def install() -> bool:
    """Make daphne's WebSocket factory build `CappedWebSocketProtocol` (False without daphne)."""
    try:
        from daphne.ws_protocol import WebSocketFactory, WebSocketProtocol
    except ImportError:  # served by another ASGI server
        return False

    class CappedWebSocketProtocol(WebSocketProtocol):
        def _connectionMade(self):
            super()._connectionMade()  # copies the factory's options onto the protocol
            frame_cap, message_cap = frame_caps()
            self.maxFramePayloadSize = _ceiling(self.maxFramePayloadSize, frame_cap)
            self.maxMessagePayloadSize = _ceiling(self.maxMessagePayloadSize, message_cap)

        def handle_reply(self, message):
            if message.get("type") == "websocket.close" and self.state != self.STATE_CONNECTING:
                code = message.get("code")
                self.sendClose(code=1000 if code is None else code, reason=close_reason(message))
                return
            super().handle_reply(message)

    if not getattr(WebSocketFactory.protocol, "is_capped", False):
        CappedWebSocketProtocol.is_capped = True
        WebSocketFactory.protocol = CappedWebSocketProtocol
    return True
