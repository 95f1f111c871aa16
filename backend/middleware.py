"""Site-wide middleware: request ids, JSON request logs and metrics, body-size limits, the
Content-Security-Policy's per-host WebSocket source and the Permissions-Policy header."""

from __future__ import annotations

import logging
import re
import time
import uuid

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.exceptions import (
    DisallowedHost,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from backend.client_address import client_address
from backend.observability import observe_request

request_logger = logging.getLogger("meijia.request")
REQUEST_ID_HEADER = "X-Request-ID"
# An id from the proxy (nginx $request_id) or the client is kept when it looks like one.
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def view_name_of(request: HttpRequest) -> str:
    """A bounded label for metrics: the URL name (never the raw path with its ids)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or match._func_path


class RequestLogMiddleware:
    """Outermost middleware: gives each request an id (X-Request-ID in and out), then writes one
    JSON log line and the request metrics once the response is ready."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = given if VALID_REQUEST_ID.match(given) else uuid.uuid4().hex
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        response[REQUEST_ID_HEADER] = request.request_id
        view = view_name_of(request)
        observe_request(
            view=view, method=request.method or "", status=response.status_code, seconds=seconds
        )
        user = getattr(request, "user", None)
        request_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "fields": {
                    "request_id": request.request_id,
                    "method": request.method,
                    "path": request.path,
                    "view": view,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 2),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                    "client_ip": client_address(request),
                }
            },
        )
        return response


def request_too_large(limit: int) -> JsonResponse:
    return JsonResponse(
        {
            "code": "request_too_large",
            "detail": _("请求内容过大，上限为 %(limit)s 字节。") % {"limit": limit},
        },
        status=413,
    )


class BodySizeLimitMiddleware:
    """413 (JSON error) before anything reads a body over the limit. Django checks
    DATA_UPLOAD_MAX_MEMORY_SIZE only when `request.body` is read, and DRF's parsers read the
    stream instead, so the limit is enforced here from Content-Length: form/JSON bodies up to
    DATA_UPLOAD_MAX_MEMORY_SIZE, multipart uploads up to MAX_UPLOAD_SIZE (nginx's
    client_max_body_size is the same number)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        is_multipart = request.content_type == "multipart/form-data"
        limit = settings.MAX_UPLOAD_SIZE if is_multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            return request_too_large(limit)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        """Django's own body checks (too many fields or files, a body read past the limit)
        raise inside the API's parsers: answer them in the API's JSON error format."""
        if not request.path.startswith("/api/"):
            return None
        if isinstance(exception, RequestDataTooBig):
            return request_too_large(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
            return JsonResponse(
                {"code": "too_many_fields", "detail": _("请求包含的字段过多。")}, status=400
            )
        return None


class PermissionsPolicyMiddleware:
    """Permissions-Policy: the web app may ask for the location (worker base); nothing else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp plus `ws://host wss://host` in connect-src for the host that was asked: the
    socket is on the same host, and not every browser lets 'self' cover ws: schemes."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        try:
            host = request.get_host()
        except DisallowedHost:
            return parts
        if report_only and not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None):
            return parts
        update = dict(parts.update or {})
        update["connect-src"] = [
            *list(update.get("connect-src") or []),
            f"ws://{host}",
            f"wss://{host}",
        ]
        parts.update = update
        return parts
