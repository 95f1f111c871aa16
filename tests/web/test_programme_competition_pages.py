"""Skill competitions in the federation console: entrants by phone, scores, the ranking they
give, awarding (the prize tiers), results published to the entrants' phones."""

from decimal import Decimal

import pytest
from django.utils import timezone

from notifications.models import Notification
from programme.models import Competition, CompetitionEntry, CompetitionScore
from programme.services.competition_rounds import competition_judge_assign, competition_round_add
from programme.services.competitions import (
    competition_award,
    competition_create,
    competition_entry_add,
)
from tests import factories
from tests.web.conftest import session_client

pytestmark = pytest.mark.django_db


def test_officer_runs_a_competition_and_entrants_see_their_prizes():
    officer = session_client(factories.FederationOfficerFactory().user)
    body = {
        "name": "养老护理员技能竞赛",
        "held_on": str(timezone.localdate()),
        "place": "临清市职业中专",
        "first_prizes": "1",
        "second_prizes": "1",
        "third_prizes": "x",
        "categories": ["elderly_carer"],
    }
    bad = officer.post("/federation/competitions/", body)
    assert bad.status_code == 400
    assert 'data-field-error="third_prizes"' in bad.content.decode()
    assert not Competition.objects.exists()
    assert (
        officer.post("/federation/competitions/", {**body, "third_prizes": "1"}).status_code == 302
    )
    competition = Competition.objects.get()

    workers = [factories.WorkerFactory() for _ in range(4)]
    for worker in workers:
        officer.post(f"/federation/competitions/{competition.pk}/entries/", {"phone": worker.phone})
    entries = {e.worker_id: e for e in CompetitionEntry.objects.filter(competition=competition)}
    assert len(entries) == 4
    for worker, score in zip(workers, ["91", "78.5", "95", "60"], strict=True):
        officer.post(
            f"/federation/competitions/entries/{entries[worker.pk].pk}/score/", {"score": score}
        )
    page = officer.get(f"/federation/competitions/{competition.pk}/").content.decode()
    ranking = page.split("data-ranking", 1)[1].split("</table>", 1)[0]
    order = [ranking.index(w.real_name) for w in (workers[2], workers[0], workers[1], workers[3])]
    assert order == sorted(order)  # 95, 91, 78.5, 60

    officer.post(f"/federation/competitions/{competition.pk}/award/")
    prizes = dict(
        CompetitionEntry.objects.filter(competition=competition).values_list("worker_id", "prize")
    )
    assert prizes == {
        workers[2].pk: "first",
        workers[0].pk: "second",
        workers[1].pk: "third",
        workers[3].pk: "",
    }
    told = Notification.objects.filter(user=workers[2].user).values_list("payload", flat=True)
    assert any(p.get("kind") == "competition.awarded" for p in told)
    her_page = session_client(workers[2].user).get("/worker/programme/").content.decode()
    assert "一等奖" in her_page and competition.name in her_page


@pytest.mark.parametrize("role", ["household", "worker", "agency"])
def test_only_officers_reach_the_competition_console(role):
    competition_owner = factories.FederationOfficerFactory().user
    competition = competition_create(
        actor=competition_owner,
        name="竞赛",
        categories=[factories.category("elderly_carer")],
        held_on=timezone.localdate(),
    )
    user = {
        "household": lambda: factories.HouseholdFactory().user,
        "worker": lambda: factories.WorkerFactory().user,
        "agency": lambda: factories.AgencyStaffFactory().user,
    }[role]()
    client = session_client(user)
    assert client.get(f"/federation/competitions/{competition.pk}/").status_code == 404
    assert client.post(f"/federation/competitions/{competition.pk}/award/").status_code == 404
    competition.refresh_from_db()
    assert competition.status == "open"


def _judged_competition(officer_user):
    competition = competition_create(
        actor=officer_user,
        name="竞赛",
        categories=[factories.category("elderly_carer")],
        held_on=timezone.localdate(),
    )
    competition_round_add(
        competition_id=competition.pk, actor=officer_user, name="实操", weight=100
    )
    competition_judge_assign(competition_id=competition.pk, actor=officer_user, judge=officer_user)
    entry = competition_entry_add(
        competition_id=competition.pk, worker=factories.WorkerFactory(), actor=officer_user
    )
    return competition, entry


@pytest.mark.parametrize("role", ["household", "worker", "agency"])
def test_only_officers_reach_the_rounds_judges_and_scores_forms(role):
    officer = factories.FederationOfficerFactory().user
    competition, entry = _judged_competition(officer)
    user = {
        "household": lambda: factories.HouseholdFactory().user,
        "worker": lambda: entry.worker.user,
        "agency": lambda: factories.AgencyStaffFactory().user,
    }[role]()
    client = session_client(user)
    base = f"/federation/competitions/{competition.pk}/"
    stage = competition.rounds.get()
    assert client.post(f"{base}rounds/", {"name": "理论", "weight": "10"}).status_code == 404
    assert client.post(f"{base}judges/", {"user": user.pk}).status_code == 404
    scored = client.post(
        f"/federation/competitions/entries/{entry.pk}/round-scores/",
        {f"round-{stage.pk}": "99"},
    )
    assert scored.status_code == 404
    assert competition.rounds.count() == 1 and competition.judges.count() == 1
    assert not CompetitionScore.objects.exists()


def test_an_officer_who_is_not_a_judge_is_refused_and_a_bad_score_changes_nothing():
    judge = factories.FederationOfficerFactory().user
    competition, entry = _judged_competition(judge)
    stage = competition.rounds.get()
    url = f"/federation/competitions/entries/{entry.pk}/round-scores/"
    other = session_client(factories.FederationOfficerFactory().user)
    refused = other.post(url, {f"round-{stage.pk}": "90"}, follow=True).content.decode()
    assert "只有本竞赛的评委可以评分" in refused
    page = session_client(judge).post(url, {f"round-{stage.pk}": "100.5"}, follow=True)
    assert "评分须在 0 到 100 之间" in page.content.decode()
    assert not CompetitionScore.objects.exists()
    session_client(judge).post(url, {f"round-{stage.pk}": "88.5"})
    entry.refresh_from_db()
    assert entry.score == Decimal("88.50")


def test_the_dashboard_counts_the_prizes_awarded():
    officer = factories.FederationOfficerFactory().user
    competition, entry = _judged_competition(officer)
    for _ in range(2):
        competition_entry_add(
            competition_id=competition.pk, worker=factories.WorkerFactory(), actor=officer
        )
    client = session_client(officer)
    stage = competition.rounds.get()
    for row, score in zip(competition.entries.order_by("pk"), ["90", "80", "70"], strict=True):
        client.post(
            f"/federation/competitions/entries/{row.pk}/round-scores/", {f"round-{stage.pk}": score}
        )
    competition_award(competition_id=competition.pk, actor=officer)
    page = client.get("/federation/").content.decode()
    prizes = page.split("data-competition-prizes", 1)[1].split("</table>", 1)[0]
    assert 'data-prize="first">1<' in prizes
    assert 'data-prize="second">2<' in prizes
    assert 'data-prize="third">0<' in prizes
