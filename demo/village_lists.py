"""Village lists for the funnel's first stage: three villages' micro-grid lists over the year,
the first women on each list already registered (linked to a trainee of their town). No
draws: women and days follow the list order and the trainees' usernames."""

import datetime as dt

from demo.bulk import DemoSummary, local_at, stamps_set
from demo.programme import ProgrammeYear
from programme.models import Candidate

VILLAGES = ["东王庄村", "西刘屯村", "南街村"]
PER_VILLAGE = 8
LINKED_PER_VILLAGE = 3
SURNAMES = "王李张刘陈杨赵黄"
GIVEN = ["秀英", "桂兰", "玉梅", "凤霞", "春燕", "丽娟", "海燕", "红梅"]


def demo_village_lists_ensure(*, year: ProgrammeYear, summary: DemoSummary) -> None:
    """24 candidates in three villages; nine of them linked to their registered accounts."""
    wanted = [year.categories[code] for code in ("housekeeper", "elderly_carer")]
    by_division: dict[int, list[int]] = {}
    for worker_id, division_id in sorted(year.trainees, key=lambda t: year.usernames[t[0]]):
        by_division.setdefault(division_id, []).append(worker_id)
    towns = [d for d in year.divisions if by_division.get(d.pk)][: len(VILLAGES)]
    candidates, added = [], []
    for v, (village, town) in enumerate(zip(VILLAGES, towns, strict=False)):
        linked = by_division[town.pk][:LINKED_PER_VILLAGE]
        for n in range(PER_VILLAGE):
            worker_id = linked[n] if n < len(linked) else None
            candidates.append(
                Candidate(
                    name=f"{SURNAMES[n]}{GIVEN[(n + v) % len(GIVEN)]}",
                    phone=f"1370000{v * PER_VILLAGE + n:04d}",
                    division=town,
                    village=village,
                    grid_officer=f"{village}妇女主任",
                    worker_id=worker_id,
                    linked_by=year.officer if worker_id else None,
                    linked_at=local_at(year.today - dt.timedelta(days=20), 10)
                    if worker_id
                    else None,
                    created_by=year.officer,
                )
            )
            added.append(local_at(year.today - dt.timedelta(days=300 - 30 * v - 5 * n), 9))
    candidates = Candidate.objects.bulk_create(candidates)
    stamps_set(candidates, created_at=added)
    through = Candidate.wanted_categories.through
    through.objects.bulk_create(
        [
            through(candidate_id=c.pk, category_id=wanted[i % len(wanted)].pk)
            for i, c in enumerate(candidates)
        ]
    )
    summary.add("candidates", len(candidates))
