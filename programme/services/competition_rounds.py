"""Competition rounds and judges: each judge scores each entrant in each round (0–100); an
entrant's round score is the mean of her judges' scores and her total the weighted sum of her
round scores (weights in per cent, summing to 100). The total is kept on the entry's `score`,
so ranking and awarding by the prize tiers read one number whether a competition has rounds or
only the single score an officer enters (a competition without rounds behaves as before)."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backend.exceptions import Conflict, NotFound, PermissionDeniedError, ValidationFailed
from marketplace.models import User
from programme.locks import lock_competition_entry
from programme.models import (
    Competition,
    CompetitionEntry,
    CompetitionJudge,
    CompetitionRound,
    CompetitionScore,
)

from .common import is_officer, require_officer
from .competition_scoring import CENT, HUNDRED, entry_total
from .competitions import open_competition


def competition_round_add(
    *, competition_id: int, actor: User, name: str, weight: Decimal
) -> CompetitionRound:
    """Add a round. Raises ValidationFailed (`name`, `weight`: the weights may not pass 100 %),
    Conflict `competition_closed`, `round_exists`."""
    require_officer(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("请填写环节名称。"), field="name")
    weight = Decimal(weight)
    if not Decimal(0) < weight <= HUNDRED:
        raise ValidationFailed(_("权重须大于 0、不超过 100。"), field="weight")
    with transaction.atomic():
        competition = open_competition(competition_id, lock=True)
        rounds = list(competition.rounds.all())
        if sum((r.weight for r in rounds), Decimal(0)) + weight > HUNDRED:
            raise ValidationFailed(_("各环节权重合计不能超过 100%。"), field="weight")
        if any(r.name == name for r in rounds):
            raise Conflict(_("已有同名环节。"), code="round_exists")
        if competition.entries.filter(score__isnull=False).exists() and not rounds:
            raise Conflict(
                _("已按单项成绩评分的竞赛不能再添加环节。"),
                code="scored_without_rounds",
            )
        try:
            with transaction.atomic():
                return CompetitionRound.objects.create(
                    competition=competition, name=name, weight=weight, position=len(rounds) + 1
                )
        except IntegrityError as error:
            raise Conflict(_("已有同名环节。"), code="round_exists") from error


def competition_judge_assign(*, competition_id: int, actor: User, judge: User) -> CompetitionJudge:
    """Seat an officer as a judge. Raises ValidationFailed `user` (not an officer), Conflict
    `competition_closed`, `already_judge`."""
    require_officer(actor)
    if not is_officer(judge):
        raise ValidationFailed(_("评委须是妇联工作人员。"), field="user")
    competition = open_competition(competition_id)
    try:
        with transaction.atomic():
            return CompetitionJudge.objects.create(competition=competition, user=judge)
    except IntegrityError as error:
        raise Conflict(_("该工作人员已是本竞赛评委。"), code="already_judge") from error


def competition_round_score(
    *, entry_id: int, round_id: int, actor: User, score: Decimal
) -> CompetitionScore:
    """A judge enters (or corrects) her own score of an entrant in a round, and the entrant's
    total follows. Race-safe: the competition and entry rows are locked (awarding waits) and
    (judge, entry, round) is unique.
    Raises PermissionDenied (not a judge of this competition), NotFound, ValidationFailed
    `score`, `round`, Conflict `competition_closed`."""
    require_officer(actor)
    score = Decimal(score)
    if not Decimal(0) <= score <= HUNDRED or score != score.quantize(CENT):
        raise ValidationFailed(_("评分须在 0 到 100 之间，最多两位小数。"), field="score")
    with transaction.atomic():
        # The competition first (as awarding takes it), so no score lands after the award
        # read the scores; then the entry, whose total this writes.
        competition_id = (
            CompetitionEntry.objects.filter(pk=entry_id).values_list("competition_id", flat=True)
        ).first()
        if competition_id is None:
            raise NotFound(_("参赛记录不存在。"))
        competition = open_competition(competition_id, lock=True)
        entry = lock_competition_entry(entry_id)
        judge = CompetitionJudge.objects.filter(competition=competition, user=actor).first()
        if judge is None:
            raise PermissionDeniedError(_("只有本竞赛的评委可以评分。"))
        stage = CompetitionRound.objects.filter(competition=competition, pk=round_id).first()
        if stage is None:
            raise ValidationFailed(_("该竞赛没有这个环节。"), field="round")
        row, _created = CompetitionScore.objects.update_or_create(
            judge=judge, entry=entry, stage=stage, defaults={"score": score}
        )
        _entry_total_store(entry, competition)
    return row


def _entry_total_store(entry: CompetitionEntry, competition: Competition) -> None:
    rounds = list(competition.rounds.all())
    entry.score = entry_total(rounds, list(entry.scores.all()))
    entry.save(update_fields=["score"])
