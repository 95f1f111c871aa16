"""One JSON error format for the whole API: {"code", "detail", "fields"?}.

Validation errors name the field: `fields` maps each bad field to its messages and `detail`
starts with the first field's name, so a client or a person can see what to fix.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from backend.exceptions import DomainError


def _flatten(errors) -> dict[str, list[str]]:
    """Turn DRF's nested error structure into {"field" or "field.sub": [messages]}."""
    flat: dict[str, list[str]] = {}

    def walk(prefix: str, value):
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), sub)
        elif isinstance(value, list):
            if all(not isinstance(v, dict | list) for v in value):
                flat.setdefault(prefix or "non_field_errors", []).extend(str(v) for v in value)
            else:
                for index, sub in enumerate(value):
                    walk(f"{prefix}.{index}" if prefix else str(index), sub)
        else:
            flat.setdefault(prefix or "non_field_errors", []).append(str(value))

    walk("", errors)
    return flat


def _first_code(detail) -> str:
    if isinstance(detail, dict):
        for value in detail.values():
            return _first_code(value)
    if isinstance(detail, list) and detail:
        return _first_code(detail[0])
    return getattr(detail, "code", None) or "invalid"


def error_response(code: str, detail: str, http_status: int, **extra) -> Response:
    return Response({"code": code, "detail": detail, **extra}, status=http_status)


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "detail": exc.detail, **exc.extra}
        if exc.field:
            body["fields"] = {exc.field: [exc.detail]}
            body["field"] = exc.field
        return Response(body, status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None

    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        first_field, messages = next(iter(fields.items()))
        detail = (
            messages[0] if first_field == "non_field_errors" else f"{first_field}: {messages[0]}"
        )
        response.data = {
            "code": _first_code(exc.detail) if _first_code(exc.detail) != "invalid" else "invalid",
            "detail": detail,
            "field": None if first_field == "non_field_errors" else first_field,
            "fields": fields,
        }
        response.status_code = status.HTTP_400_BAD_REQUEST
        return response

    if isinstance(exc, exceptions.APIException):
        code = exc.get_codes() if hasattr(exc, "get_codes") else "error"
        detail = exc.detail
        if isinstance(detail, dict) and "detail" in detail:
            # simplejwt's InvalidToken: {"detail", "code", "messages"}.
            code = code.get("code", "error") if isinstance(code, dict) else code
            detail = detail["detail"]
        if not isinstance(code, str):
            code = "error"
        detail = detail if isinstance(detail, str) else str(detail)
        response.data = {"code": code, "detail": str(detail)}
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            response.data["retry_after"] = int(exc.wait)
    return response
