"""Gates and helpers shared by the programme console's pages."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from backend.exceptions import DomainError
from marketplace.models import Division
from programme import selectors
from programme.services.common import is_officer
from programme.services.scope import is_intake_officer, officer_division_ids
from web.forms import apply_errors


def console_required(view):
    """Officers and village officers; anyone else signed in 403, anonymous to the sign-in."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_intake_officer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def county_required(view):
    """County officers (federation, operators) only: courses and exams are theirs to run."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_officer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def domain_error_on(form, error: DomainError) -> None:
    apply_errors(form, {error.field or "non_field_errors": [error.detail]})


def scoped_divisions(user):
    scope = officer_division_ids(user)
    divisions = Division.objects.order_by("code")
    return divisions if scope is None else divisions.filter(pk__in=scope)


def visible_candidate(request, candidate_id: int):
    """A candidate the officer may see; 404 otherwise (as a stranger's page)."""
    return get_object_or_404(selectors.candidates_visible_to(user=request.user), pk=candidate_id)
