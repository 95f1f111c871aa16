"""Shared pieces of the web views: role gates, domain-error display, safe redirects."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect

from backend.exceptions import DomainError
from marketplace.models import Role


def role_required(role: str):
    """Signed in (else to the login page) and of `role` (else 404, as for a stranger's page)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.user.role != role:
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def refused(request, error: DomainError, to: str):
    """Show a refused action's reason and go back (404-class errors stay 404)."""
    if error.status_code == 404:
        raise Http404(error.detail)
    messages.error(request, error.detail)
    return redirect(to)


def template_for(request, page: str, partial: str) -> str:
    """The partial for htmx refreshes, the whole page otherwise."""
    return partial if getattr(request, "htmx", False) else page


def is_staff_or_operator(user) -> bool:
    """Agency staff and operators: who see safety alerts, decide appeals, read shared careers."""
    return user.is_authenticated and (user.role == Role.AGENCY_STAFF or user.is_operator)
