"""Who may call each agency endpoint: a table over every route.

anonymous → 401; household, worker, federation → 403; staff of another agency → 404 on this
agency's objects (and on `agencies/<this id>/…`); plain staff → 403 on owner actions; the
owner and operators → 2xx. Every refused call changes nothing.
"""

import datetime as dt

import pytest

from tests import factories
from tests.conftest import client_for
from tests.marketplace.agency_helpers import World, make_world, snapshot

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def _staff_body(w: World) -> dict:
    return {
        "username": "new-staff",
        "password": factories.PASSWORD,
        "display_name": "新员工",
        "phone": "13512345678",
        "staff_role": "staff",
    }


def _dispatch_body(w: World) -> dict:
    return {"request": factories.ServiceRequestFactory().pk, "worker": w.worker.pk}


# (name, method, path under the agency, body(world), owner only, names an object of the agency,
#  success status)
ENDPOINTS = [
    ("detail", "get", "", None, False, False, 200),
    ("update", "patch", "", lambda w: {"phone": "0635-1234567"}, True, False, 200),
    ("staff list", "get", "staff/", None, False, False, 200),
    ("staff create", "post", "staff/", _staff_body, True, False, 201),
    (
        "staff update",
        "patch",
        "staff/{staff}/",
        lambda w: {"staff_role": "owner"},
        True,
        True,
        200,
    ),
    ("staff remove", "delete", "staff/{staff}/", None, True, True, 204),
    ("roster", "get", "roster/", None, False, False, 200),
    (
        "roster invite",
        "post",
        "roster/",
        lambda w: {"worker": factories.WorkerFactory().pk},
        False,
        False,
        201,
    ),
    (
        "roster end",
        "post",
        "roster/{entry}/end/",
        lambda w: {"reason": "合同到期"},
        False,
        True,
        200,
    ),
    ("credentials", "get", "workers/{worker}/credentials/", None, False, True, 200),
    (
        "verify identity",
        "post",
        "workers/{worker}/verify-identity/",
        lambda w: {"is_verified": False},
        False,
        True,
        200,
    ),
    (
        "add certificate",
        "post",
        "workers/{worker}/certificates/",
        lambda w: {
            "category": "elderly_carer",
            "number": "YL-0001",
            "issuer": "聊城市人社局",
            "issued_on": str(TODAY - dt.timedelta(days=10)),
            "expires_on": str(TODAY + dt.timedelta(days=700)),
        },
        False,
        True,
        201,
    ),
    (
        "add training",
        "post",
        "workers/{worker}/training-records/",
        lambda w: {"course": "复训", "kind": "refresher", "completed_on": str(TODAY)},
        False,
        True,
        201,
    ),
    (
        "add health check",
        "post",
        "workers/{worker}/health-checks/",
        lambda w: {
            "done_on": str(TODAY),
            "valid_until": str(TODAY + dt.timedelta(days=365)),
        },
        False,
        True,
        201,
    ),
    ("verify certificate", "post", "certificates/{certificate}/verify/", None, False, True, 200),
    (
        "unverify certificate",
        "post",
        "certificates/{certificate}/unverify/",
        None,
        False,
        True,
        200,
    ),
    (
        "revoke certificate",
        "post",
        "certificates/{certificate}/revoke/",
        lambda w: {"reason": "证书造假"},
        False,
        True,
        200,
    ),
    ("verify training", "post", "training-records/{training}/verify/", None, False, True, 200),
    (
        "unverify training",
        "post",
        "training-records/{training}/unverify/",
        None,
        False,
        True,
        200,
    ),
    ("verify check", "post", "health-checks/{check}/verify/", None, False, True, 200),
    ("unverify check", "post", "health-checks/{check}/unverify/", None, False, True, 200),
    ("dispatch", "post", "dispatch/", _dispatch_body, False, False, 201),
    ("orders", "get", "orders/", None, False, False, 200),
    ("contracts", "get", "contracts/", None, False, False, 200),
    ("disputes", "get", "disputes/", None, False, False, 200),
]
IDS = [e[0] for e in ENDPOINTS]
OBJECT_ENDPOINTS = [e for e in ENDPOINTS if e[5]]
OWNER_ENDPOINTS = [e for e in ENDPOINTS if e[4]]


def _url(w: World, path: str, *, agency: str = "me") -> str:
    return f"/api/v1/agencies/{agency}/" + path.format(
        staff=w.staff.pk,
        entry=w.entry.pk,
        worker=w.worker.pk,
        certificate=w.certificate.pk,
        training=w.training.pk,
        check=w.health_check.pk,
    )


def _call(client, w: World, endpoint, *, agency: str = "me"):
    _, method, path, body, *_ = endpoint
    data = body(w) if body else None
    before = snapshot()
    response = getattr(client, method)(_url(w, path, agency=agency), data, format="json")
    return response, before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_anonymous_gets_401(anon_client, endpoint):
    w = make_world()
    response, before = _call(anon_client, w, endpoint)
    assert response.status_code == 401
    assert snapshot() == before


@pytest.mark.parametrize("role", ["household", "worker", "federation"])
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_other_roles_get_403(role, endpoint):
    w = make_world()
    user = {
        "household": lambda: factories.HouseholdFactory().user,
        "worker": lambda: w.worker.user,  # even the rostered worker herself
        "federation": lambda: factories.FederationOfficerFactory().user,
    }[role]()
    response, before = _call(client_for(user), w, endpoint)
    assert response.status_code == 403, response.json()
    assert snapshot() == before


@pytest.mark.parametrize("endpoint", OBJECT_ENDPOINTS, ids=[e[0] for e in OBJECT_ENDPOINTS])
def test_staff_of_another_agency_get_404_on_this_agencys_objects(endpoint):
    w = make_world()
    response, before = _call(client_for(w.other_owner.user), w, endpoint)
    assert response.status_code == 404, response.json()
    assert snapshot() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_staff_of_another_agency_get_404_through_this_agencys_id(endpoint):
    w = make_world()
    client = client_for(w.other_owner.user)
    response, before = _call(client, w, endpoint, agency=str(w.agency.pk))
    assert response.status_code == 404, response.json()
    assert snapshot() == before


def test_another_agency_cannot_dispatch_this_agencys_worker():
    w = make_world()
    endpoint = next(e for e in ENDPOINTS if e[0] == "dispatch")
    response, before = _call(client_for(w.other_owner.user), w, endpoint)
    assert response.status_code == 400
    assert response.json()["field"] == "worker"
    assert snapshot() == before


@pytest.mark.parametrize("endpoint", OWNER_ENDPOINTS, ids=[e[0] for e in OWNER_ENDPOINTS])
def test_plain_staff_get_403_on_owner_actions(endpoint):
    w = make_world()
    response, before = _call(client_for(w.staff.user), w, endpoint)
    assert response.status_code == 403, response.json()
    assert response.json()["code"] == "owner_required"
    assert snapshot() == before


@pytest.mark.parametrize(
    "endpoint", [e for e in ENDPOINTS if not e[4]], ids=[e[0] for e in ENDPOINTS if not e[4]]
)
def test_plain_staff_may_do_the_rest(endpoint):
    w = make_world()
    response, _ = _call(client_for(w.staff.user), w, endpoint)
    assert response.status_code == endpoint[6], response.json()


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_owner_allowed(endpoint):
    w = make_world()
    response, before = _call(client_for(w.owner.user), w, endpoint)
    assert response.status_code == endpoint[6], getattr(response, "data", response)
    if endpoint[1] != "get":
        assert snapshot() != before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_operator_allowed_for_any_agency(endpoint):
    w = make_world()
    client = client_for(factories.operator_user())
    response, before = _call(client, w, endpoint, agency=str(w.agency.pk))
    assert response.status_code == endpoint[6], getattr(response, "data", response)
    if endpoint[1] != "get":
        assert snapshot() != before


def test_operator_without_an_agency_must_name_one():
    client = client_for(factories.operator_user())
    response = client.get("/api/v1/agencies/me/")
    assert response.status_code == 404
    assert response.json()["code"] == "agency_required"


def test_own_id_works_like_me():
    w = make_world()
    client = client_for(w.staff.user)
    assert client.get(f"/api/v1/agencies/{w.agency.pk}/").json()["id"] == w.agency.pk
    assert client.get("/api/v1/agencies/me/").json()["id"] == w.agency.pk


@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/api/v1/workers/me/invitations/"),
        ("get", "/api/v1/workers/me/roster/"),
        ("post", "/api/v1/workers/me/roster/{entry}/end/"),
        ("post", "/api/v1/roster-invitations/{entry}/accept/"),
        ("post", "/api/v1/roster-invitations/{entry}/decline/"),
        ("get", "/api/v1/workers/me/certificates/"),
        ("post", "/api/v1/workers/me/certificates/"),
        ("get", "/api/v1/workers/me/training-records/"),
        ("post", "/api/v1/workers/me/health-checks/"),
    ],
)
def test_worker_side_is_for_workers_only(anon_client, method, path):
    w = make_world()
    url = path.format(entry=w.entry.pk)
    before = snapshot()
    assert getattr(anon_client, method)(url, {}, format="json").status_code == 401
    for user in (w.owner.user, factories.HouseholdFactory().user, factories.operator_user()):
        response = getattr(client_for(user), method)(url, {"reason": "x"}, format="json")
        assert response.status_code == 403
    assert snapshot()["roster"] == before["roster"]
    assert snapshot()["certificates"] == before["certificates"]
