"""A competition's rounds and judges in the federation console: define the rounds (理论,
实操 … with weights summing to 100 %), seat officers as judges, and — for a judge — enter her
own score of each entrant in each round. The same services as the API."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.exceptions import DomainError, ValidationFailed
from marketplace.models import Role, User
from programme import selectors
from programme.models import CompetitionJudge
from programme.services import competition_rounds as services
from web.views.common import refused
from web.views.federation import federation_required

LIST = "/federation/competitions/"


def officer_users():
    """Who may be seated as a judge: federation officers and operators."""
    return (
        User.objects.filter(
            Q(role__in=[Role.FEDERATION, Role.OPERATOR]) | Q(is_superuser=True), is_active=True
        )
        .select_related("federation_officer")
        .order_by("username")
    )


def _decimal(value: str, field: str, message: str) -> Decimal:
    try:
        return Decimal((value or "").strip())
    except InvalidOperation as error:
        raise ValidationFailed(message, field=field) from error


@federation_required
@require_POST
def round_add(request, competition_id: int):
    back = f"{LIST}{competition_id}/"
    try:
        services.competition_round_add(
            competition_id=competition_id,
            actor=request.user,
            name=(request.POST.get("name") or "")[:50],
            weight=_decimal(request.POST.get("weight"), "weight", _("权重须大于 0、不超过 100。")),
        )
    except DomainError as error:
        return refused(request, error, back)
    messages.success(request, _("已添加环节。"))
    return redirect(back)


@federation_required
@require_POST
def judge_add(request, competition_id: int):
    back = f"{LIST}{competition_id}/"
    judge = officer_users().filter(pk=(request.POST.get("user") or "0")).first()
    if judge is None or not (request.POST.get("user") or "").isdigit():
        messages.error(request, _("请选择一位妇联工作人员。"))
        return redirect(back)
    try:
        services.competition_judge_assign(
            competition_id=competition_id, actor=request.user, judge=judge
        )
    except DomainError as error:
        return refused(request, error, back)
    messages.success(request, _("已添加评委。"))
    return redirect(back)


@federation_required
@require_POST
def round_scores(request, entry_id: int):
    """A judge saves her scores of one entrant, one field per round; all or nothing."""
    entry = get_object_or_404(
        selectors.competition_entries_visible_to(user=request.user), pk=entry_id
    )
    back = f"{LIST}{entry.competition_id}/#entry-{entry.pk}"
    try:
        with transaction.atomic():
            for stage in entry.competition.rounds.all():
                value = (request.POST.get(f"round-{stage.pk}") or "").strip()
                if not value:
                    continue
                services.competition_round_score(
                    entry_id=entry.pk,
                    round_id=stage.pk,
                    actor=request.user,
                    score=_decimal(value, "score", _("评分须在 0 到 100 之间，最多两位小数。")),
                )
    except DomainError as error:
        return refused(request, error, back)
    messages.success(request, _("评分已保存。"))
    return redirect(back)


def judge_seat(competition, user) -> CompetitionJudge | None:
    return CompetitionJudge.objects.filter(competition=competition, user=user).first()


ROUTES = [
    path(
        "federation/competitions/<int:competition_id>/rounds/",
        round_add,
        name="federation-competition-round-add",
    ),
    path(
        "federation/competitions/<int:competition_id>/judges/",
        judge_add,
        name="federation-competition-judge-add",
    ),
    path(
        "federation/competitions/entries/<int:entry_id>/round-scores/",
        round_scores,
        name="federation-competition-round-scores",
    ),
]
