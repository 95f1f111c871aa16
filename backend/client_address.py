"""The caller's address: one rule for throttles, the sign-in lock-out, sockets and the logs.

Forwarded headers are believed only when the peer that connected to us is a configured proxy:
- `TRUSTED_PROXIES` (addresses or CIDRs, from the environment): the peer must be one of them,
  and the address is the right-most `X-Forwarded-For` hop that is not itself a trusted proxy;
- `NUM_PROXIES` (how many proxies stand in front, each appending to `X-Forwarded-For`): the
  address is that many hops from the right (with `TRUSTED_PROXIES` also set, only when the peer
  is trusted).
With neither set (the default) the peer's own address is the caller's, whatever the headers
say. `X-Real-IP` is read only from a trusted peer that sent no `X-Forwarded-For`.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))


def proxy_count() -> int:
    return int(getattr(settings, "NUM_PROXIES", 0) or 0)


def _parse(value: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if not value:
        return None
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


def is_trusted_proxy(address: str | None) -> bool:
    parsed = _parse(address)
    return parsed is not None and any(parsed in network for network in trusted_networks())


def resolve(peer: str | None, forwarded_for: str | None, real_ip: str | None) -> str | None:
    """The caller's address given the connecting peer and the forwarded headers it sent."""
    networks, count = trusted_networks(), proxy_count()
    if not networks and not count:
        return peer
    if networks and not is_trusted_proxy(peer):
        return peer
    hops = [hop.strip() for hop in (forwarded_for or "").split(",") if hop.strip()]
    if not hops:
        parsed = _parse(real_ip)
        return str(parsed) if parsed is not None else peer
    if count:
        chosen = hops[-min(count, len(hops))]
    else:
        chosen = hops[0]
        for hop in reversed(hops):
            if not is_trusted_proxy(hop):
                chosen = hop
                break
    parsed = _parse(chosen)
    # A hop that is not an address was not written by our proxy: fall back to the peer.
    return str(parsed) if parsed is not None else peer


def client_address(request) -> str | None:
    """The caller's address for a Django (or DRF) request."""
    meta = request.META
    return resolve(
        meta.get("REMOTE_ADDR"), meta.get("HTTP_X_FORWARDED_FOR"), meta.get("HTTP_X_REAL_IP")
    )


def _header(scope, name: bytes) -> str | None:
    values = [value.decode("latin-1") for key, value in scope.get("headers", []) if key == name]
    return ",".join(values) if values else None


def scope_client_address(scope) -> str | None:
    """The caller's address for an ASGI scope (a socket handshake)."""
    client = scope.get("client") or (None, None)
    return resolve(client[0], _header(scope, b"x-forwarded-for"), _header(scope, b"x-real-ip"))


def scope_scheme(scope) -> str:
    """The scheme the caller used: `X-Forwarded-Proto` only from a trusted proxy."""
    scheme = scope.get("scheme") or ("ws" if scope.get("type") == "websocket" else "http")
    client = scope.get("client") or (None, None)
    proxied = is_trusted_proxy(client[0]) or (proxy_count() and not trusted_networks())
    forwarded = (_header(scope, b"x-forwarded-proto") or "").split(",")[0].strip().lower()
    if proxied and forwarded in {"http", "https", "ws", "wss"}:
        secure = forwarded in {"https", "wss"}
        if scope.get("type") == "websocket":
            return "wss" if secure else "ws"
        return "https" if secure else "http"
    return scheme


class ClientAddressMiddleware:
    """ASGI middleware: the scope's client and scheme by the rule above (instead of daphne's
    `--proxy-headers`, which believes the left-most `X-Forwarded-For` hop from any peer).
    Sockets only: HTTP requests keep the peer as REMOTE_ADDR and Django code asks
    `client_address`, so the rule is never applied twice."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        if scope.get("type") == "websocket":
            client = scope.get("client") or (None, 0)
            address = scope_client_address(scope)
            scope = {
                **scope,
                "client": (address, client[1] if address == client[0] else 0),
                "scheme": scope_scheme(scope),
            }
        return await self.inner(scope, receive, send)


class ClientAddressIdentMixin:
    """For DRF throttles: the address by this rule, not DRF's reading of `X-Forwarded-For`
    (which, with NUM_PROXIES unset, keys on the whole header a caller can rotate)."""

    def get_ident(self, request) -> str:
        return client_address(request) or ""
