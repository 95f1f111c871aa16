"""The roster: invitation → accept (one active agency) or decline; ending an engagement from
either side, history kept; filters, search, and each worker's credential status."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.models import RosterEntry
from marketplace.selectors.agencies import credential_status
from notifications.models import Notification
from tests import factories
from tests.conftest import client_for
from tests.marketplace.agency_helpers import PREFIX, make_world, snapshot

pytestmark = pytest.mark.django_db


def _invite(client, worker) -> dict:
    response = client.post(PREFIX + "roster/", {"worker": worker.pk}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_invitation_notifies_the_worker_who_accepts_it():
    w = make_world()
    newcomer = factories.WorkerFactory()
    entry = _invite(client_for(w.staff.user), newcomer)
    assert entry["status"] == "invited" and entry["started_on"] is None
    note = Notification.objects.get(user=newcomer.user)
    assert note.type == "notification"
    assert note.payload["kind"] == "roster.invited" and note.payload["roster_entry"] == entry["id"]

    worker_client = client_for(newcomer.user)
    invitations = worker_client.get("/api/v1/workers/me/invitations/").json()
    assert [i["id"] for i in invitations["results"]] == [entry["id"]]
    assert invitations["results"][0]["agency"]["name"] == w.agency.name

    response = worker_client.post(f"/api/v1/roster-invitations/{entry['id']}/accept/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "active"
    assert response.json()["started_on"] == str(timezone.localdate())
    assert worker_client.get("/api/v1/workers/me/invitations/").json()["count"] == 0
    staff_notes = Notification.objects.filter(payload__kind="roster.accepted")
    assert {n.user_id for n in staff_notes} == {w.owner.user_id, w.staff.user_id}


def test_inviting_twice_is_a_conflict():
    w = make_world()
    newcomer = factories.WorkerFactory()
    client = client_for(w.owner.user)
    _invite(client, newcomer)
    response = client.post(PREFIX + "roster/", {"worker": newcomer.pk}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "already_invited"
    response = client.post(PREFIX + "roster/", {"worker": w.worker.pk}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "already_rostered"


def test_inviting_an_unknown_worker_names_the_field():
    w = make_world()
    response = client_for(w.owner.user).post(PREFIX + "roster/", {"worker": 999999}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "worker"


def test_a_worker_active_elsewhere_cannot_accept():
    w = make_world()
    # w.worker is active with agency A; agency B invites her.
    entry = _invite(client_for(w.other_owner.user), w.worker)
    before = snapshot()
    response = client_for(w.worker.user).post(f"/api/v1/roster-invitations/{entry['id']}/accept/")
    assert response.status_code == 409
    assert response.json()["code"] == "already_rostered"
    assert snapshot() == before


def test_accept_after_ending_the_old_engagement():
    w = make_world()
    entry = _invite(client_for(w.other_owner.user), w.worker)
    worker_client = client_for(w.worker.user)
    response = worker_client.post(
        f"/api/v1/workers/me/roster/{w.entry.pk}/end/", {"reason": "搬家"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "ended"
    response = worker_client.post(f"/api/v1/roster-invitations/{entry['id']}/accept/")
    assert response.status_code == 200
    history = worker_client.get("/api/v1/workers/me/roster/").json()["results"]
    assert {(h["agency"]["id"], h["status"]) for h in history} == {
        (w.agency.pk, "ended"),
        (w.other_agency.pk, "active"),
    }
    # The agency learned of her leaving.
    assert Notification.objects.filter(
        user=w.owner.user, payload__kind="roster.ended", payload__roster_entry=w.entry.pk
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_accepts_of_two_agencies_leave_one_active():
    worker = factories.WorkerFactory()
    entries = [
        factories.RosterEntryFactory(worker=worker, status="invited", started_on=None)
        for _ in range(2)
    ]
    from marketplace.services.agencies import roster_invitation_accept

    results: list[str] = []
    barrier = threading.Barrier(2)

    def accept(entry_id):
        barrier.wait()
        try:
            roster_invitation_accept(entry_id=entry_id, worker=worker)
            results.append("ok")
        except Exception as error:  # noqa: BLE001 - the loser's error is what we check
            results.append(getattr(error, "code", repr(error)))
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(e.pk,)) for e in entries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["already_rostered", "ok"]
    assert RosterEntry.objects.filter(worker=worker, status="active").count() == 1


def test_decline_ends_the_invitation_without_a_start():
    w = make_world()
    newcomer = factories.WorkerFactory()
    entry = _invite(client_for(w.owner.user), newcomer)
    response = client_for(newcomer.user).post(
        f"/api/v1/roster-invitations/{entry['id']}/decline/", {"reason": "离家太远"}, format="json"
    )
    assert response.status_code == 200
    row = RosterEntry.objects.get(pk=entry["id"])
    assert (row.status, row.started_on, row.end_reason) == ("ended", None, "离家太远")
    again = client_for(newcomer.user).post(f"/api/v1/roster-invitations/{entry['id']}/accept/")
    assert again.status_code == 409


def test_a_worker_cannot_answer_someone_elses_invitation():
    w = make_world()
    entry = _invite(client_for(w.owner.user), factories.WorkerFactory())
    stranger = client_for(factories.WorkerFactory().user)
    before = snapshot()
    assert stranger.post(f"/api/v1/roster-invitations/{entry['id']}/accept/").status_code == 404
    assert stranger.post(f"/api/v1/roster-invitations/{entry['id']}/decline/").status_code == 404
    response = stranger.post(
        f"/api/v1/workers/me/roster/{w.entry.pk}/end/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 404
    assert snapshot() == before


def test_agency_ends_an_engagement_and_keeps_it_as_history():
    w = make_world()
    client = client_for(w.staff.user)
    response = client.post(
        PREFIX + f"roster/{w.entry.pk}/end/", {"reason": "合同到期"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ended"
    assert body["ended_on"] == str(timezone.localdate())
    assert body["end_reason"] == "合同到期"
    assert client.get(PREFIX + "roster/", {"status": "ended"}).json()["count"] == 1
    assert client.get(PREFIX + "roster/", {"status": "active"}).json()["count"] == 0
    # Ending twice is a disallowed transition.
    again = client.post(PREFIX + f"roster/{w.entry.pk}/end/", {"reason": "再次"}, format="json")
    assert again.status_code == 409
    assert again.json()["current_status"] == "ended"
    note = Notification.objects.get(user=w.worker.user, payload__kind="roster.ended")
    assert note.payload["reason"] == "合同到期"


def test_ending_needs_a_reason():
    w = make_world()
    before = snapshot()
    response = client_for(w.owner.user).post(
        PREFIX + f"roster/{w.entry.pk}/end/", {}, format="json"
    )
    assert response.status_code == 400 and response.json()["field"] == "reason"
    assert snapshot() == before


def test_roster_search_by_name_and_phone():
    w = make_world()
    named = factories.WorkerFactory(real_name="王桂兰", phone="13911112222")
    factories.RosterEntryFactory(agency=w.agency, worker=named)
    client = client_for(w.staff.user)
    by_name = client.get(PREFIX + "roster/", {"q": "桂兰"}).json()["results"]
    by_phone = client.get(PREFIX + "roster/", {"q": "1111"}).json()["results"]
    assert [r["worker"]["id"] for r in by_name] == [named.pk]
    assert [r["worker"]["id"] for r in by_phone] == [named.pk]
    assert client.get(PREFIX + "roster/").json()["count"] == 2


def test_roster_shows_credential_status_and_flags_expiry_within_30_days():
    w = make_world()
    today = timezone.localdate()
    soon = factories.WorkerFactory(credentials=False)
    factories.CertificateFactory(worker=soon, expires_on=today + dt.timedelta(days=20))
    factories.TrainingRecordFactory(worker=soon)
    factories.HealthCheckFactory(worker=soon, valid_until=today + dt.timedelta(days=200))
    factories.RosterEntryFactory(agency=w.agency, worker=soon)
    bare = factories.WorkerFactory(credentials=False)
    factories.CertificateFactory(worker=bare, verified_at=None)
    factories.HealthCheckFactory(
        worker=bare, done_on=today - dt.timedelta(days=400), valid_until=today - dt.timedelta(1)
    )
    factories.RosterEntryFactory(agency=w.agency, worker=bare)

    rows = client_for(w.staff.user).get(PREFIX + "roster/").json()["results"]
    status = {r["worker"]["id"]: r["credentials"] for r in rows}
    assert status[soon.pk] == {
        "certificate": "valid",
        "certificate_valid_until": str(today + dt.timedelta(days=20)),
        "pre_job_training": "valid",
        "health_check": "valid",
        "health_check_valid_until": str(today + dt.timedelta(days=200)),
        "nearest_expiry": str(today + dt.timedelta(days=20)),
        "is_expiring_soon": True,
        "awaiting_verification": 0,
    }
    assert status[w.worker.pk]["is_expiring_soon"] is False
    assert status[bare.pk]["certificate"] == "unverified"
    assert status[bare.pk]["pre_job_training"] == "missing"
    assert status[bare.pk]["health_check"] == "expired"
    assert status[bare.pk]["nearest_expiry"] is None
    assert status[bare.pk]["awaiting_verification"] == 1


def test_credential_status_edges():
    today = dt.date(2026, 3, 1)
    worker = factories.WorkerFactory(credentials=False)
    factories.CertificateFactory(
        worker=worker,
        issued_on=dt.date(2020, 1, 1),
        expires_on=dt.date(2026, 2, 28),
    )
    revoked = factories.WorkerFactory(credentials=False)
    factories.CertificateFactory(worker=revoked, is_revoked=True)
    exact = factories.WorkerFactory(credentials=False)
    factories.HealthCheckFactory(
        worker=exact, done_on=dt.date(2025, 3, 1), valid_until=dt.date(2026, 3, 31)
    )
    assert credential_status(worker, today=today).certificate == "expired"
    assert credential_status(revoked, today=today).certificate == "revoked"
    at_30 = credential_status(exact, today=today)
    assert (at_30.health_check, at_30.is_expiring_soon) == ("valid", True)
    at_31 = credential_status(exact, today=dt.date(2026, 2, 28))
    assert at_31.is_expiring_soon is False


def test_roster_query_count_is_constant():
    w = make_world()
    client = client_for(w.staff.user)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(PREFIX + "roster/", {"page_size": 50})
        assert response.status_code == 200
        return len(queries)

    count()  # a token's first call also loads the cached auth snapshot
    few = count()
    for _ in range(15):
        factories.RosterEntryFactory(agency=w.agency)
    assert client.get(PREFIX + "roster/").json()["count"] == 16
    assert count() == few
