"""Scoring a competition with rounds: an entrant's round score is the mean of her judges'
scores, her total the weighted sum of her round scores; awarding waits until every judge has
scored every entrant in every round."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from backend.exceptions import Conflict
from programme.models import Competition, CompetitionScore

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def judge_name(user) -> str:
    """A judge as people know her: her officer profile's name, else her account's name."""
    profile = getattr(user, "federation_officer", None)
    return (profile.name if profile else "") or user.get_full_name() or user.username


def entry_total(rounds, scores) -> Decimal | None:
    """The weighted sum of an entry's round means (rounds without a score count 0), or None
    before any judge has scored her."""
    by_round: dict[int, list[Decimal]] = defaultdict(list)
    for score in scores:
        by_round[score.stage_id].append(score.score)
    if not by_round:
        return None
    total = sum(
        (sum(by_round[r.pk]) / len(by_round[r.pk]) * r.weight / HUNDRED)
        for r in rounds
        if by_round.get(r.pk)
    )
    return Decimal(total).quantize(CENT, rounding=ROUND_HALF_UP)


def round_means(rounds, scores) -> list[dict]:
    """Each round's name, weight and the mean of the judges' scores so far (None if none)."""
    by_round: dict[int, list[Decimal]] = defaultdict(list)
    for score in scores:
        by_round[score.stage_id].append(score.score)
    rows = []
    for r in rounds:
        given = by_round.get(r.pk)
        mean = (sum(given) / len(given)).quantize(CENT, rounding=ROUND_HALF_UP) if given else None
        rows.append({"round": r.pk, "name": r.name, "weight": r.weight, "score": mean})
    return rows


def scores_missing(competition: Competition) -> list[dict]:
    """Every (round, judge) that still lacks a score of some entrant, with how many entrants;
    empty when the competition has no rounds or everything is scored."""
    rounds = list(competition.rounds.all())
    if not rounds:
        return []
    judges = list(competition.judges.select_related("user__federation_officer"))
    entries = list(competition.entries.values_list("pk", flat=True))
    given = set(
        CompetitionScore.objects.filter(entry__competition=competition).values_list(
            "stage_id", "judge_id", "entry_id"
        )
    )
    missing = []
    for stage in rounds:
        for judge in judges:
            lacking = sum(1 for e in entries if (stage.pk, judge.pk, e) not in given)
            if lacking:
                missing.append(
                    {
                        "round": stage.name,
                        "judge": judge_name(judge.user),
                        "entries": lacking,
                    }
                )
    return missing


def rounds_ready_check(competition: Competition) -> None:
    """Before awarding a competition with rounds: the weights sum to 100, it has a judge, and
    every judge has scored every entrant in every round. Raises Conflict naming what is
    missing (`round_weights_incomplete`, `no_judges`, `scores_missing`)."""
    rounds = list(competition.rounds.all())
    if not rounds:
        return
    total = sum((r.weight for r in rounds), Decimal(0))
    if total != HUNDRED:
        raise Conflict(
            _("各环节权重合计为 %(total)s%%，须为 100%%。") % {"total": total},
            code="round_weights_incomplete",
            extra={"weights_total": str(total)},
        )
    if not competition.judges.exists():
        raise Conflict(_("还没有评委。"), code="no_judges")
    missing = scores_missing(competition)
    if missing:
        names = "；".join(
            _("%(round)s · %(judge)s 缺 %(entries)d 名选手的评分") % m for m in missing
        )
        raise Conflict(
            _("评分未完成：%(missing)s。") % {"missing": names},
            code="scores_missing",
            extra={"missing": missing},
        )
