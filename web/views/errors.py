"""The error answers of the whole site: JSON with `code` and `detail` under /api/ (as DRF's own
errors), else a page of the web app in the visitor's language, with the navigation, so a
person who reached a page she may not see, or a link that is gone, has a way on."""

from __future__ import annotations

import logging

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

logger = logging.getLogger(__name__)

# What a page says for each status: (code, title, what she can do).
MESSAGES = {
    400: (
        "bad_request",
        gettext_noop("请求有误"),
        gettext_noop("页面收到的内容无法处理，请返回重试。"),
    ),
    403: (
        "permission_denied",
        gettext_noop("无权访问"),
        gettext_noop("您的账号不能查看此页面。如需帮助，请联系所属家政企业或妇联。"),
    ),
    404: (
        "not_found",
        gettext_noop("页面不存在"),
        gettext_noop("链接可能已失效，或者此内容不属于您。"),
    ),
    500: (
        "server_error",
        gettext_noop("服务器出错了"),
        gettext_noop("我们已记录这个问题，请稍后再试。"),
    ),
}

# When even the page template cannot be drawn (the database is down, say): plain and complete.
BARE_SERVER_ERROR = (
    '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>服务器出错了 · 家政美家</title></head><body><main><h1>服务器出错了</h1>"
    '<p>我们已记录这个问题，请稍后再试。</p><p><a href="/">返回首页</a></p></main></body></html>'
)


def _answer(request, status: int, reason: str = ""):
    code, title, detail = MESSAGES[status]
    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "detail": _(detail)}, status=status)
    context = {"status": status, "title": _(title), "detail": _(detail), "reason": reason}
    return render(request, "web/error.html", context, status=status)


def bad_request(request, exception=None):
    return _answer(request, 400)


def permission_denied(request, exception=None):
    return _answer(request, 403)


def page_not_found(request, exception=None):
    return _answer(request, 404)


def csrf_failure(request, reason=""):
    """A form sent from a page open too long (or with cookies off): say so, in her language."""
    return _answer(request, 403, reason=_("页面已过期，请刷新后重新提交。"))


def server_error(request):
    try:
        return _answer(request, 500)
    except Exception:  # the error page itself must never fail
        logger.exception("the error page could not be drawn")
        if request.path.startswith("/api/"):
            return JsonResponse({"code": "server_error", "detail": "server error"}, status=500)
        return HttpResponse(BARE_SERVER_ERROR, status=500)
