"""Competition prizes for the federation dashboard: how many first, second and third prizes
the competitions awarded in the period gave (by the competition's date), in the division of
the prize-winner and the trade of the competition when filtered. Countable by hand from the
competition console's results."""

from __future__ import annotations

from django.db.models import Count

from programme.models import CompetitionEntry, CompetitionStatus, Prize


def competition_prize_counts(filters) -> dict:
    """{"competitions": n, "first": n, "second": n, "third": n} — one query for the prizes,
    one for the competitions."""
    entries = CompetitionEntry.objects.filter(
        competition__status=CompetitionStatus.AWARDED,
        competition__held_on__gte=filters.start,
        competition__held_on__lte=filters.end,
    )
    if filters.division_id is not None:
        entries = entries.filter(worker__division_id=filters.division_id)
    if filters.category_id is not None:
        entries = entries.filter(competition__categories=filters.category_id)
    prized = entries.exclude(prize="")
    counts = dict(prized.values_list("prize").annotate(n=Count("pk", distinct=True)).order_by())
    return {
        "competitions": prized.values("competition").distinct().count(),
        **{prize.value: counts.get(prize.value, 0) for prize in Prize},
    }
