"""Skill competitions: entrants, scores and awarding prizes by rank."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import Conflict, NotFound, ValidationFailed
from marketplace.models import Category, User, WorkerProfile
from notifications.events import NOTIFICATION, send_event_on_commit
from programme.locks import lock_competition, lock_competition_entry
from programme.models import Competition, CompetitionEntry, CompetitionStatus, Prize

from .common import UNSET, apply_changes, require_officer
from .competition_scoring import rounds_ready_check


def _validate(competition: Competition) -> None:
    for field in ("first_prizes", "second_prizes", "third_prizes"):
        if getattr(competition, field) < 0:
            raise ValidationFailed(_("奖项名额不能为负。"), field=field)


@transaction.atomic
def competition_create(
    *,
    actor: User,
    name: str,
    categories: Iterable[Category],
    held_on: dt.date,
    place: str = "",
    first_prizes: int = 1,
    second_prizes: int = 2,
    third_prizes: int = 3,
) -> Competition:
    require_officer(actor)
    categories = list(categories)
    if not categories:
        raise ValidationFailed(_("请至少选择一个工种。"), field="categories")
    competition = Competition(
        name=name,
        held_on=held_on,
        place=place,
        first_prizes=first_prizes,
        second_prizes=second_prizes,
        third_prizes=third_prizes,
        created_by=actor,
    )
    _validate(competition)
    competition.save()
    competition.categories.set(categories)
    return competition


def open_competition(competition_id: int, *, lock: bool = False) -> Competition:
    competition = (
        lock_competition(competition_id)
        if lock
        else Competition.objects.filter(pk=competition_id).first()
    )
    if competition is None:
        raise NotFound(_("竞赛不存在。"))
    if competition.status != CompetitionStatus.OPEN:
        raise Conflict(
            _("竞赛已评奖或已取消。"),
            code="competition_closed",
            extra={"current_status": competition.status},
        )
    return competition


@transaction.atomic
def competition_update(
    *,
    competition_id: int,
    actor: User,
    name: str = UNSET,
    held_on: dt.date = UNSET,
    place: str = UNSET,
    first_prizes: int = UNSET,
    second_prizes: int = UNSET,
    third_prizes: int = UNSET,
    categories: Iterable[Category] = UNSET,
) -> Competition:
    """Change a competition not yet awarded. Raises Conflict `competition_closed`."""
    require_officer(actor)
    competition = open_competition(competition_id, lock=True)
    fields = apply_changes(
        competition,
        {
            "name": name,
            "held_on": held_on,
            "place": place,
            "first_prizes": first_prizes,
            "second_prizes": second_prizes,
            "third_prizes": third_prizes,
        },
    )
    _validate(competition)
    if fields:
        competition.save(update_fields=fields)
    if categories is not UNSET:
        categories = list(categories)
        if not categories:
            raise ValidationFailed(_("请至少选择一个工种。"), field="categories")
        competition.categories.set(categories)
    return competition


def competition_entry_add(
    *, competition_id: int, worker: WorkerProfile, actor: User
) -> CompetitionEntry:
    """An officer enters a worker. Raises Conflict `competition_closed`, `already_entered`."""
    require_officer(actor)
    competition = open_competition(competition_id)
    try:
        with transaction.atomic():
            return CompetitionEntry.objects.create(competition=competition, worker=worker)
    except IntegrityError as error:
        raise Conflict(_("该服务员已报名此竞赛。"), code="already_entered") from error


@transaction.atomic
def competition_entry_score(*, entry_id: int, score: Decimal, actor: User) -> CompetitionEntry:
    """Record an entrant's single score (0–1000), for a competition without rounds. Raises
    Conflict `competition_closed`, `competition_has_rounds` (its judges score each round)."""
    require_officer(actor)
    entry = lock_competition_entry(entry_id)
    if entry is None:
        raise NotFound(_("参赛记录不存在。"))
    competition = open_competition(entry.competition_id)
    if competition.rounds.exists():
        raise Conflict(_("本竞赛分环节评分，请由评委逐环节打分。"), code="competition_has_rounds")
    score = Decimal(score)
    if not Decimal(0) <= score <= Decimal(1000):
        raise ValidationFailed(_("成绩须在 0 到 1000 之间。"), field="score")
    entry.score = score
    entry.save(update_fields=["score"])
    return entry


def prize_for_rank(rank: int, competition: Competition) -> str:
    if rank <= competition.first_prizes:
        return Prize.FIRST
    if rank <= competition.first_prizes + competition.second_prizes:
        return Prize.SECOND
    if rank <= competition.first_prizes + competition.second_prizes + competition.third_prizes:
        return Prize.THIRD
    return ""


@transaction.atomic
def competition_award(*, competition_id: int, actor: User) -> Competition:
    """Rank scored entrants (score — with rounds, the weighted total — descending, ties by
    entry id) and store each prize. With rounds, refused (Conflict `scores_missing`,
    `round_weights_incomplete`, `no_judges`) until every judge has scored every entrant.

    Awarding an awarded competition again changes nothing. Entrants without a score get no
    rank and no prize. Raises Conflict `competition_closed` (cancelled). Locks the
    competition row.
    """
    require_officer(actor)
    competition = lock_competition(competition_id)
    if competition is None:
        raise NotFound(_("竞赛不存在。"))
    if competition.status == CompetitionStatus.AWARDED:
        return competition
    if competition.status != CompetitionStatus.OPEN:
        raise Conflict(_("竞赛已取消。"), code="competition_closed")
    rounds_ready_check(competition)
    entries = list(CompetitionEntry.objects.filter(competition=competition))
    scored = sorted((e for e in entries if e.score is not None), key=lambda e: (-e.score, e.pk))
    for rank, entry in enumerate(scored, start=1):
        entry.rank = rank
        entry.prize = prize_for_rank(rank, competition)
    for entry in entries:
        if entry.score is None:
            entry.rank = None
            entry.prize = ""
    CompetitionEntry.objects.bulk_update(entries, ["rank", "prize"])
    competition.status = CompetitionStatus.AWARDED
    competition.awarded_at = timezone.now()
    competition.save(update_fields=["status", "awarded_at"])
    _results_publish(competition, entries)
    return competition


def _results_publish(competition: Competition, entries: list[CompetitionEntry]) -> None:
    """Tell each entrant her rank and prize (after commit), as the results are published."""
    users = dict(
        WorkerProfile.objects.filter(pk__in=[e.worker_id for e in entries]).values_list(
            "pk", "user_id"
        )
    )
    for entry in entries:
        if entry.rank is None:
            continue
        prize = Prize(entry.prize).label if entry.prize else _("未获奖")
        send_event_on_commit(
            event_type=NOTIFICATION,
            recipients=[users[entry.worker_id]],
            payload={
                "kind": "competition.awarded",
                "competition": competition.pk,
                "message": _("「%(name)s」成绩公布：第 %(rank)d 名，%(prize)s。")
                % {"name": competition.name, "rank": entry.rank, "prize": prize},
            },
        )
