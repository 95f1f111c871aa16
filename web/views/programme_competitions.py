"""Skill competitions in the federation's console: schedule one with its prize tiers, enter
women by phone, record scores (one score, or the judges' scores round by round), see the
ranking they give, award and publish the results (each entrant is told her rank and prize).
The same services as the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.exceptions import DomainError, ValidationFailed
from marketplace.models import Category, WorkerProfile
from marketplace.phones import phone_normalize
from programme import selectors
from programme.models import CompetitionStatus, Prize
from programme.services import competitions as services
from programme.services.competition_scoring import judge_name, round_means, scores_missing
from programme.services.competitions import prize_for_rank
from web.views.common import refused
from web.views.federation import federation_required
from web.views.programme_competition_rounds import officer_users

LIST = "/federation/competitions/"


def _count(value: str, field: str) -> int:
    if not (value or "").isdigit():
        raise ValidationFailed(_("请填写名额（0 或正整数）。"), field=field)
    return int(value)


def _create(request) -> None:
    data = request.POST
    try:
        held_on = dt.date.fromisoformat(data.get("held_on") or "")
    except ValueError as error:
        raise ValidationFailed(_("请填写日期。"), field="held_on") from error
    if not (data.get("name") or "").strip():
        raise ValidationFailed(_("请填写竞赛名称。"), field="name")
    services.competition_create(
        actor=request.user,
        name=data["name"].strip()[:100],
        categories=Category.objects.filter(code__in=data.getlist("categories")),
        held_on=held_on,
        place=(data.get("place") or "")[:200],
        first_prizes=_count(data.get("first_prizes", ""), "first_prizes"),
        second_prizes=_count(data.get("second_prizes", ""), "second_prizes"),
        third_prizes=_count(data.get("third_prizes", ""), "third_prizes"),
    )


@federation_required
def competitions(request):
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            _create(request)
        except ValidationFailed as error:
            errors[error.field or "name"] = error.detail
        else:
            messages.success(request, _("竞赛已创建。"))
            return redirect("web:federation-competitions")
    context = {
        "competitions": list(selectors.competitions_visible_to(user=request.user)[:30]),
        "categories": Category.objects.order_by("sort_order", "code"),
        "errors": errors,
        "values": request.POST,
    }
    status = 400 if errors else 200
    return render(request, "web/programme/competitions/list.html", context, status=status)


def _ranking(competition, entries) -> list:
    """Scored entrants by score (ties by entry), with the prize each rank gives."""
    scored = sorted((e for e in entries if e.score is not None), key=lambda e: (-e.score, e.pk))
    for rank, entry in enumerate(scored, start=1):
        entry.projected_rank = rank
        entry.projected_prize = prize_for_rank(rank, competition)
    return scored


@federation_required
def competition_detail(request, competition_id: int):
    competition = get_object_or_404(
        selectors.competitions_visible_to(user=request.user), pk=competition_id
    )
    entries = list(
        selectors.competition_entries_visible_to(user=request.user)
        .filter(competition=competition)
        .select_related("worker__division")
        .order_by(F("rank").asc(nulls_last=True), "pk")
    )
    rounds = list(competition.rounds.all())
    judges = list(competition.judges.select_related("user__federation_officer"))
    for judge in judges:
        judge.display_name = judge_name(judge.user)
    seat = next((j for j in judges if j.user_id == request.user.pk), None)
    for entry in entries:
        scores = list(entry.scores.all())
        entry.round_results = round_means(rounds, scores)
        mine = {s.stage_id: s.score for s in scores if seat and s.judge_id == seat.pk}
        entry.my_scores = [(stage, mine.get(stage.pk)) for stage in rounds]
    seated = {j.user_id for j in judges}
    context = {
        "competition": competition,
        "entries": entries,
        "ranking": _ranking(competition, entries),
        "is_open": competition.status == CompetitionStatus.OPEN,
        "prizes": Prize.choices,
        "rounds": rounds,
        "weights_total": sum((r.weight for r in rounds), Decimal(0)),
        "judges": judges,
        "seat": seat,
        "judge_choices": [(u.pk, judge_name(u)) for u in officer_users() if u.pk not in seated],
        "missing": scores_missing(competition),
    }
    return render(request, "web/programme/competitions/detail.html", context)


@federation_required
@require_POST
def entry_add(request, competition_id: int):
    back = f"{LIST}{competition_id}/"
    try:
        phone = phone_normalize(request.POST.get("phone") or "")
    except ValidationError:
        messages.error(request, _("请输入11位中国大陆手机号码。"))
        return redirect(back)
    worker = WorkerProfile.objects.filter(phone=phone).first()
    if worker is None:
        messages.error(request, _("没有使用该手机号的服务员。"))
        return redirect(back)
    try:
        services.competition_entry_add(
            competition_id=competition_id, worker=worker, actor=request.user
        )
    except DomainError as error:
        return refused(request, error, back)
    messages.success(request, _("已报名参赛。"))
    return redirect(back)


@federation_required
@require_POST
def entry_score(request, entry_id: int):
    entry = get_object_or_404(
        selectors.competition_entries_visible_to(user=request.user), pk=entry_id
    )
    back = f"{LIST}{entry.competition_id}/"
    try:
        score = Decimal(request.POST.get("score") or "")
    except InvalidOperation:
        messages.error(request, _("成绩须在 0 到 1000 之间。"))
        return redirect(back)
    try:
        services.competition_entry_score(entry_id=entry.pk, score=score, actor=request.user)
    except DomainError as error:
        return refused(request, error, back)
    return redirect(back)


@federation_required
@require_POST
def award(request, competition_id: int):
    back = f"{LIST}{competition_id}/"
    try:
        services.competition_award(competition_id=competition_id, actor=request.user)
    except DomainError as error:
        return refused(request, error, back)
    messages.success(request, _("已评奖，成绩已通知每位选手。"))
    return redirect(back)


ROUTES = [
    path("federation/competitions/", competitions, name="federation-competitions"),
    path(
        "federation/competitions/<int:competition_id>/",
        competition_detail,
        name="federation-competition",
    ),
    path(
        "federation/competitions/<int:competition_id>/entries/",
        entry_add,
        name="federation-competition-entry-add",
    ),
    path(
        "federation/competitions/<int:competition_id>/award/",
        award,
        name="federation-competition-award",
    ),
    path(
        "federation/competitions/entries/<int:entry_id>/score/",
        entry_score,
        name="federation-competition-score",
    ),
]
