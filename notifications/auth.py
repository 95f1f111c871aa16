"""Socket authentication: an access JWT (subprotocol header or `?token=`) or the session cookie.

The outcome is left in the scope for the consumer, which closes unauthenticated sockets with
4401 after accepting them (a close before accept reaches a browser as a bare 1006):

- scope["user"]: the User, or AnonymousUser;
- scope["auth_error"]: why authentication failed ("missing", "invalid_token", "bad_origin");
- scope["token_expires_at"]: the JWT's `exp` (unix seconds) when a token was used;
- scope["session_id"]: the token's sign-in session (`sid`), whose sign-out closes the socket;
- scope["accept_subprotocol"]: "meijia.jwt" when the client offered it (must be echoed back).

A token in `Sec-WebSocket-Protocol` (subprotocols ["meijia.jwt", "<token>"]) is preferred: a
query-string token ends up in access logs. A cookie is honoured only when the Origin is ours
(scheme, host and port of the socket itself with a Host in ALLOWED_HOSTS, or one of
CSRF_TRUSTED_ORIGINS exactly), so a page on another site cannot open a socket as the
signed-in user; token sockets need no Origin check because a token is never sent ambiently.
"""

from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs, urlsplit

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http.request import split_domain_port, validate_host
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import AccessToken

from backend.security import SESSION_ID_CLAIM
from notifications.access import user_for_access_token

JWT_SUBPROTOCOL = "meijia.jwt"


def token_from_scope(scope) -> tuple[str | None, bool]:
    """(token, offered_subprotocol): the subprotocol token wins over `?token=`."""
    subprotocols = list(scope.get("subprotocols") or [])
    if JWT_SUBPROTOCOL in subprotocols:
        others = [p for p in subprotocols if p != JWT_SUBPROTOCOL]
        return (others[0] if others else ""), True
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    tokens = query.get("token")
    return (tokens[0] if tokens else None), False


DEFAULT_PORTS = {"http": 80, "https": 443}


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def web_origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an http(s) origin, the port filled in; None if not one."""
    try:
        parsed = urlsplit(url.strip())
        scheme, host, port = parsed.scheme.lower(), parsed.hostname, parsed.port
    except ValueError:
        return None
    if scheme not in DEFAULT_PORTS or not host:
        return None
    return scheme, host.lower(), port or DEFAULT_PORTS[scheme]


def own_origin(scope) -> tuple[str, str, int] | None:
    """The origin a page of this site has when it opens this socket: the socket's own scheme
    (wss → https, as `backend.client_address` read it) and Host, if Host is one of ours."""
    host = _header(scope, b"host")
    if not host:
        return None
    domain, port = split_domain_port(host)
    allowed_hosts = settings.ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]"]
    if not domain or not validate_host(domain, allowed_hosts):
        return None
    scheme = "https" if scope.get("scheme") in {"wss", "https"} else "http"
    return web_origin(f"{scheme}://{host}")


def origin_is_allowed(scope) -> bool:
    """Whether the handshake's Origin is this site (needed before trusting a cookie): the same
    scheme, host and port as the socket itself, or one of CSRF_TRUSTED_ORIGINS exactly."""
    origin = web_origin(_header(scope, b"origin") or "")
    if origin is None:
        return False
    trusted = {web_origin(entry) for entry in settings.CSRF_TRUSTED_ORIGINS}
    return origin in trusted or origin == own_origin(scope)


def has_session_cookie(scope) -> bool:
    cookies = SimpleCookie()
    try:
        cookies.load(_header(scope, b"cookie") or "")
    except CookieError:
        return False
    return bool(cookies.get(settings.SESSION_COOKIE_NAME))


@database_sync_to_async
def user_for_token(raw: str):
    """(user or None, exp, session id) for a valid access token of an active user whose password
    is unchanged and whose session is not signed out (notifications.access)."""
    try:
        token = AccessToken(raw)
        user = user_for_access_token(token)
    except (TokenError, AuthenticationFailed, KeyError):
        return None, None, None
    return user, token.get("exp"), token.get(SESSION_ID_CLAIM)


class SocketAuthMiddleware:
    """ASGI middleware that authenticates a socket by JWT or by session cookie."""

    def __init__(self, inner):
        self.inner = inner
        self.session_stack = AuthMiddlewareStack(inner)

    async def __call__(self, scope, receive, send):
        if scope.get("type") != "websocket":
            return await self.inner(scope, receive, send)
        scope = dict(scope)
        raw, offered_subprotocol = token_from_scope(scope)
        if offered_subprotocol:
            scope["accept_subprotocol"] = JWT_SUBPROTOCOL
        if raw is not None:
            user, expires_at, session_id = await user_for_token(raw) if raw else (None, None, None)
            scope["user"] = user or AnonymousUser()
            scope["auth_method"] = "jwt"
            scope["token_expires_at"] = expires_at if user else None
            scope["session_id"] = session_id if user else None
            if user is None:
                scope["auth_error"] = "invalid_token"
            return await self.inner(scope, receive, send)
        if not origin_is_allowed(scope):
            scope["user"] = AnonymousUser()
            scope["auth_error"] = "bad_origin" if has_session_cookie(scope) else "missing"
            return await self.inner(scope, receive, send)
        scope["auth_method"] = "session"
        return await self.session_stack(scope, receive, send)
