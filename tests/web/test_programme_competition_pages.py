"""Skill competitions in the federation console: entrants by phone, scores, the ranking they
give, awarding (the prize tiers), results published to the entrants' phones."""

import pytest
from django.utils import timezone

from notifications.models import Notification
from programme.models import Competition, CompetitionEntry
from programme.services.competitions import competition_create
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
