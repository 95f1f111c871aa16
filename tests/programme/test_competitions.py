"""Skill competitions: entrants, scores, prizes by rank with ties broken by entry id."""

import datetime as dt

import pytest

from programme.models import CompetitionEntry, Prize
from tests import factories
from tests.programme import helpers

pytestmark = pytest.mark.django_db
COMPETITIONS = "/api/v1/programme/competitions/"


def test_awarding_ranks_by_score_then_entry_and_counts_prizes(federation_client):
    body = {
        "name": "临清市母婴护理技能大赛",
        "categories": ["maternity_nurse", "infant_carer"],
        "held_on": str(helpers.today() + dt.timedelta(days=3)),
        "first_prizes": 1,
        "second_prizes": 2,
        "third_prizes": 2,
    }
    response = federation_client.post(COMPETITIONS, body, format="json")
    assert response.status_code == 201, response.json()
    competition_id = response.json()["id"]
    scores = ["95", "88.5", "88.5", "70", "99", "60", None]
    entries = []
    for score in scores:
        worker = factories.WorkerFactory()
        added = federation_client.post(
            f"{COMPETITIONS}{competition_id}/entries/", {"worker": worker.pk}
        )
        assert added.status_code == 201
        entries.append(added.json()["id"])
        if score is not None:
            scored = federation_client.post(
                f"/api/v1/programme/competition-entries/{added.json()['id']}/score/",
                {"score": score},
            )
            assert scored.status_code == 200
    twice = federation_client.post(
        f"{COMPETITIONS}{competition_id}/entries/", {"worker": worker.pk}
    )
    assert twice.json()["code"] == "already_entered"

    awarded = federation_client.post(f"{COMPETITIONS}{competition_id}/award/")
    assert awarded.status_code == 200
    assert awarded.json()["status"] == "awarded"
    by_id = {e.pk: (e.rank, e.prize) for e in CompetitionEntry.objects.all()}
    assert by_id[entries[4]] == (1, Prize.FIRST)  # 99
    assert by_id[entries[0]] == (2, Prize.SECOND)  # 95
    assert by_id[entries[1]] == (3, Prize.SECOND)  # 88.5, earlier entry
    assert by_id[entries[2]] == (4, Prize.THIRD)  # 88.5, later entry
    assert by_id[entries[3]] == (5, Prize.THIRD)  # 70
    assert by_id[entries[5]] == (6, "")  # 60
    assert by_id[entries[6]] == (None, "")  # no score

    again = federation_client.post(f"{COMPETITIONS}{competition_id}/award/")
    assert again.status_code == 200
    assert {e.pk: (e.rank, e.prize) for e in CompetitionEntry.objects.all()} == by_id
    late = federation_client.post(
        f"/api/v1/programme/competition-entries/{entries[5]}/score/", {"score": "100"}
    )
    assert late.status_code == 409
    assert late.json()["code"] == "competition_closed"


def test_programme_scale_prize_counts():
    """PRODUCT §1: 4 first, 8 second and 12 third prizes among 125 entrants."""
    from programme.services import competitions as services

    officer = helpers.officer()
    competition = services.competition_create(
        actor=officer,
        name="母婴护理员技能竞赛",
        categories=[factories.category("maternity_nurse")],
        held_on=helpers.today(),
        first_prizes=4,
        second_prizes=8,
        third_prizes=12,
    )
    workers = factories.WorkerFactory.create_batch(30, credentials=False)
    for index, worker in enumerate(workers):
        entry = services.competition_entry_add(
            competition_id=competition.pk, worker=worker, actor=officer
        )
        services.competition_entry_score(entry_id=entry.pk, score=100 - index, actor=officer)
    services.competition_award(competition_id=competition.pk, actor=officer)
    prizes = list(CompetitionEntry.objects.order_by("rank").values_list("prize", flat=True))
    assert prizes == ["first"] * 4 + ["second"] * 8 + ["third"] * 12 + [""] * 6


def test_worker_sees_her_own_entry_only(worker_client, worker):
    from programme.services import competitions as services

    officer = helpers.officer()
    competition = services.competition_create(
        actor=officer,
        name="养老护理技能竞赛",
        categories=[factories.category("elderly_carer")],
        held_on=helpers.today(),
    )
    services.competition_entry_add(competition_id=competition.pk, worker=worker, actor=officer)
    services.competition_entry_add(
        competition_id=competition.pk, worker=factories.WorkerFactory(), actor=officer
    )
    rows = worker_client.get(f"{COMPETITIONS}{competition.pk}/entries/").json()["results"]
    assert [row["worker"]["id"] for row in rows] == [worker.pk]
    refused = worker_client.post(f"{COMPETITIONS}{competition.pk}/award/")
    assert refused.status_code == 403
