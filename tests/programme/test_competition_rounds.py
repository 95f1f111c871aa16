"""Competitions scored in rounds: weights summing to 100 %, officers seated as judges, each
judge's 0–100 score per entrant per round, round score = mean of the judges, total = weighted
sum, ranking by total (ties by entry id), awarding refused until every score is in."""

import datetime as dt
from decimal import Decimal

import pytest

from programme.models import CompetitionEntry, CompetitionScore
from programme.services.competition_rounds import competition_round_score
from programme.services.competition_scoring import judge_name
from tests import factories
from tests.conftest import client_for
from tests.programme import helpers

pytestmark = pytest.mark.django_db
COMPETITIONS = "/api/v1/programme/competitions/"
ENTRIES = "/api/v1/programme/competition-entries/"


def _competition(client, *, first=1, second=1, third=1) -> int:
    body = {
        "name": "家政服务员技能大赛",
        "categories": ["housekeeper"],
        "held_on": str(helpers.today() + dt.timedelta(days=3)),
        "first_prizes": first,
        "second_prizes": second,
        "third_prizes": third,
    }
    response = client.post(COMPETITIONS, body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def _rounds_and_judges(client, competition_id):
    theory = client.post(
        f"{COMPETITIONS}{competition_id}/rounds/", {"name": "理论", "weight": "40"}
    )
    practical = client.post(
        f"{COMPETITIONS}{competition_id}/rounds/", {"name": "实操", "weight": "60"}
    )
    assert theory.status_code == 201 and practical.status_code == 201, practical.json()
    judges = [factories.FederationOfficerFactory().user, factories.operator_user()]
    for judge in judges:
        seated = client.post(f"{COMPETITIONS}{competition_id}/judges/", {"user": judge.pk})
        assert seated.status_code == 201, seated.json()
    return theory.json()["id"], practical.json()["id"], [client_for(j) for j in judges]


def _entrants(client, competition_id, count):
    workers = [factories.WorkerFactory() for _ in range(count)]
    ids = []
    for worker in workers:
        added = client.post(f"{COMPETITIONS}{competition_id}/entries/", {"worker": worker.pk})
        ids.append(added.json()["id"])
    return workers, ids


def test_judges_scores_make_round_means_weighted_totals_ranking_and_prizes(federation_client):
    competition_id = _competition(federation_client)
    theory, practical, (judge_a, judge_b) = _rounds_and_judges(federation_client, competition_id)
    workers, entries = _entrants(federation_client, competition_id, 4)
    # (theory A, theory B, practical A, practical B) per entrant
    marks = [
        ("80", "90", "70", "80"),  # 85*0.4 + 75*0.6 = 79.00
        ("95", "95", "60", "60"),  # 38 + 36 = 74.00
        ("70", "70", "90", "92"),  # 28 + 54.6 = 82.60
        ("100", "90", "65.5", "66.5"),  # 38 + 39.6 = 77.60
    ]
    for entry, (ta, tb, pa, _pb) in zip(entries, marks, strict=True):
        for judge, stage, score in (
            (judge_a, theory, ta),
            (judge_b, theory, tb),
            (judge_a, practical, pa),
        ):
            response = judge.post(
                f"{ENTRIES}{entry}/round-scores/", {"round": stage, "score": score}
            )
            assert response.status_code == 200, response.json()

    refused = federation_client.post(f"{COMPETITIONS}{competition_id}/award/")
    assert refused.status_code == 409
    body = refused.json()
    assert body["code"] == "scores_missing"
    assert "实操" in body["detail"]
    judge_b_name = judge_name(judge_b.user)
    assert body["missing"] == [{"round": "实操", "judge": judge_b_name, "entries": 4}]
    assert judge_b_name in body["detail"]
    assert not CompetitionEntry.objects.filter(rank__isnull=False).exists()

    for entry, (_ta, _tb, _pa, pb) in zip(entries, marks, strict=True):
        judge_b.post(f"{ENTRIES}{entry}/round-scores/", {"round": practical, "score": pb})
    totals = dict(CompetitionEntry.objects.values_list("pk", "score"))
    assert [totals[e] for e in entries] == [
        Decimal("79.00"),
        Decimal("74.00"),
        Decimal("82.60"),
        Decimal("77.60"),
    ]

    awarded = federation_client.post(f"{COMPETITIONS}{competition_id}/award/")
    assert awarded.status_code == 200, awarded.json()
    result = {e.pk: (e.rank, e.prize) for e in CompetitionEntry.objects.all()}
    assert result[entries[2]] == (1, "first")
    assert result[entries[0]] == (2, "second")
    assert result[entries[3]] == (3, "third")
    assert result[entries[1]] == (4, "")

    mine = client_for(workers[2].user).get(f"{COMPETITIONS}{competition_id}/entries/").json()
    assert [row["id"] for row in mine["results"]] == [entries[2]]
    rounds = mine["results"][0]["rounds"]
    assert [(r["name"], r["weight"], r["score"]) for r in rounds] == [
        ("理论", "40.00", "70.00"),
        ("实操", "60.00", "91.00"),
    ]
    her_scores = client_for(workers[2].user).get(f"{ENTRIES}{entries[2]}/round-scores/")
    assert her_scores.status_code == 200 and her_scores.json()["count"] == 4
    others = client_for(workers[2].user).get(f"{ENTRIES}{entries[0]}/round-scores/")
    assert others.status_code == 404


def test_ties_on_total_go_to_the_earlier_entry(federation_client):
    competition_id = _competition(federation_client, first=1, second=0, third=0)
    theory, practical, judges = _rounds_and_judges(federation_client, competition_id)
    _workers, entries = _entrants(federation_client, competition_id, 2)
    for entry in reversed(entries):
        for judge in judges:
            for stage in (theory, practical):
                judge.post(f"{ENTRIES}{entry}/round-scores/", {"round": stage, "score": "88.25"})
    assert federation_client.post(f"{COMPETITIONS}{competition_id}/award/").status_code == 200
    assert list(CompetitionEntry.objects.order_by("rank").values_list("pk", "prize")) == [
        (entries[0], "first"),
        (entries[1], ""),
    ]


def test_a_judge_enters_only_her_own_scores_and_corrects_them_in_place(federation_client):
    competition_id = _competition(federation_client)
    theory, _practical, (judge_a, _judge_b) = _rounds_and_judges(federation_client, competition_id)
    _workers, (entry,) = _entrants(federation_client, competition_id, 1)
    not_a_judge = federation_client.post(
        f"{ENTRIES}{entry}/round-scores/", {"round": theory, "score": "50"}
    )
    assert not_a_judge.status_code == 403
    judge_a.post(f"{ENTRIES}{entry}/round-scores/", {"round": theory, "score": "50"})
    again = judge_a.post(f"{ENTRIES}{entry}/round-scores/", {"round": theory, "score": "55.5"})
    assert again.status_code == 200
    assert list(CompetitionScore.objects.values_list("score", flat=True)) == [Decimal("55.50")]
    assert again.json()["judge"]["id"] == CompetitionScore.objects.get().judge_id


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"round": 1, "score": "100.01"}, "score"),
        ({"round": 1, "score": "-1"}, "score"),
        ({"round": 1, "score": "9.999"}, "score"),
        ({"score": "50"}, "round"),
        ({"round": 999999, "score": "50"}, "round"),
    ],
)
def test_bad_scores_are_refused_naming_the_field(federation_client, body, field):
    competition_id = _competition(federation_client)
    theory, _practical, (judge_a, _b) = _rounds_and_judges(federation_client, competition_id)
    _workers, (entry,) = _entrants(federation_client, competition_id, 1)
    if body.get("round") == 1:
        body = {**body, "round": theory}
    response = judge_a.post(f"{ENTRIES}{entry}/round-scores/", body)
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert not CompetitionScore.objects.exists()
    assert CompetitionEntry.objects.get().score is None


def test_round_weights_may_not_pass_100_and_awarding_needs_exactly_100(federation_client):
    competition_id = _competition(federation_client)
    rounds = f"{COMPETITIONS}{competition_id}/rounds/"
    assert federation_client.post(rounds, {"name": "理论", "weight": "40"}).status_code == 201
    too_much = federation_client.post(rounds, {"name": "实操", "weight": "61"})
    assert too_much.status_code == 400 and too_much.json()["field"] == "weight"
    same = federation_client.post(rounds, {"name": "理论", "weight": "10"})
    assert same.status_code == 409 and same.json()["code"] == "round_exists"
    refused = federation_client.post(f"{COMPETITIONS}{competition_id}/award/")
    assert refused.status_code == 409 and refused.json()["code"] == "round_weights_incomplete"
    assert federation_client.post(rounds, {"name": "实操", "weight": "60"}).status_code == 201
    no_judges = federation_client.post(f"{COMPETITIONS}{competition_id}/award/")
    assert no_judges.json()["code"] == "no_judges"


def test_single_score_is_refused_once_a_competition_has_rounds(federation_client):
    competition_id = _competition(federation_client)
    _rounds_and_judges(federation_client, competition_id)
    _workers, (entry,) = _entrants(federation_client, competition_id, 1)
    response = federation_client.post(f"{ENTRIES}{entry}/score/", {"score": "80"})
    assert response.status_code == 409 and response.json()["code"] == "competition_has_rounds"


def test_judges_must_be_officers(federation_client):
    competition_id = _competition(federation_client)
    worker = factories.WorkerFactory()
    response = federation_client.post(
        f"{COMPETITIONS}{competition_id}/judges/", {"user": worker.user_id}
    )
    assert response.status_code == 400 and response.json()["field"] == "user"


@pytest.mark.parametrize("role", ["household", "worker", "agency", "anonymous"])
def test_only_officers_define_rounds_and_seat_judges(federation_client, role, anon_client):
    competition_id = _competition(federation_client)
    client = {
        "household": lambda: client_for(factories.HouseholdFactory().user),
        "worker": lambda: client_for(factories.WorkerFactory().user),
        "agency": lambda: client_for(factories.AgencyStaffFactory().user),
        "anonymous": lambda: anon_client,
    }[role]()
    rounds = client.post(
        f"{COMPETITIONS}{competition_id}/rounds/", {"name": "理论", "weight": "50"}
    )
    judges = client.post(
        f"{COMPETITIONS}{competition_id}/judges/", {"user": factories.operator_user().pk}
    )
    assert rounds.status_code in (401, 403) and judges.status_code in (401, 403)
    assert client.get(f"{COMPETITIONS}{competition_id}/judges/").status_code in (401, 403)


def test_scoring_again_corrects_the_one_row_per_judge_entry_and_round(federation_client):
    competition_id = _competition(federation_client)
    theory, _practical, (judge_a, _b) = _rounds_and_judges(federation_client, competition_id)
    _workers, (entry,) = _entrants(federation_client, competition_id, 1)
    for score in ("60", "61", "62"):
        competition_round_score(
            entry_id=entry, round_id=theory, actor=judge_a.user, score=Decimal(score)
        )
    assert CompetitionScore.objects.count() == 1
    assert CompetitionEntry.objects.get().score == Decimal("24.80")


def test_entry_list_queries_are_bounded(federation_client, django_assert_max_num_queries):
    competition_id = _competition(federation_client)
    theory, practical, judges = _rounds_and_judges(federation_client, competition_id)
    _workers, entries = _entrants(federation_client, competition_id, 6)
    for entry in entries:
        for judge in judges:
            judge.post(f"{ENTRIES}{entry}/round-scores/", {"round": theory, "score": "70"})
    with django_assert_max_num_queries(8):
        response = federation_client.get(f"{COMPETITIONS}{competition_id}/entries/")
    assert response.json()["count"] == 6
    with django_assert_max_num_queries(8):
        scores = federation_client.get(f"{ENTRIES}{entries[0]}/round-scores/")
    assert scores.json()["count"] == 2
