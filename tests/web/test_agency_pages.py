"""The agency console pages: who may open them, what they show, and every form's refusals next
to its fields in Chinese and English (a refused post changes nothing)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.models import AgencyStaff, Certificate, HealthCheck, RosterEntry, User
from orders.models import Dispute, Offer
from orders.services.disputes import order_dispute_open
from orders.statuses import DisputeStatus, OrderStatus
from tests import factories
from tests.marketplace.agency_helpers import make_world
from tests.orders.flow_helpers import order_in
from tests.web.conftest import session_client
from tests.web.test_forms import LANGUAGES, field_error

pytestmark = pytest.mark.django_db

PAGES = [
    "/agency/",
    "/agency/roster/",
    "/agency/roster/invite/",
    "/agency/dispatch/",
    "/agency/orders/",
    "/agency/contracts/",
    "/agency/disputes/",
    "/agency/staff/",
    "/agency/statement/",
    "/agency/statement.csv",
]
REQUIRED = {"zh-hans": "该字段是必填项", "en": "This field is required"}


@pytest.fixture
def world():
    return make_world()


@pytest.mark.parametrize("path", [*PAGES, "/agency/workers/1/"])
def test_anonymous_is_sent_to_login(path):
    response = session_client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/accounts/login/?next={path}")


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("role", ["household", "worker", "federation"])
def test_other_roles_get_404(path, role):
    user = {
        "household": lambda: factories.HouseholdFactory().user,
        "worker": lambda: factories.WorkerFactory().user,
        "federation": lambda: factories.FederationOfficerFactory().user,
    }[role]()
    assert session_client(user).get(path).status_code == 404


@pytest.mark.parametrize("path", PAGES)
def test_staff_open_every_page(world, path):
    response = session_client(world.staff.user).get(path)
    assert response.status_code == 200


def test_roster_shows_credentials_and_highlights_expiry_within_30_days(world):
    soon = timezone.localdate() + dt.timedelta(days=10)
    HealthCheck.objects.filter(worker=world.worker).update(valid_until=soon)
    later = factories.WorkerFactory()
    factories.RosterEntryFactory(agency=world.agency, worker=later)
    html = session_client(world.staff.user).get("/agency/roster/").content.decode()
    expiring = html.split(f'data-worker="{world.worker.pk}"', 1)[0].rsplit("<div", 1)[1]
    assert "expiring" in expiring
    fine = html.split(f'data-worker="{later.pk}"', 1)[0].rsplit("<div", 1)[1]
    assert "expiring" not in fine
    assert soon.isoformat() in html


def test_roster_search_and_status_filter(world):
    factories.RosterEntryFactory(
        agency=world.agency,
        worker=factories.WorkerFactory(real_name="赵小红"),
        status=RosterEntry.Status.ENDED,
        ended_on=timezone.localdate(),
        end_reason="回老家",
    )
    client = session_client(world.staff.user)
    html = client.get("/agency/roster/", {"status": "ended"}).content.decode()
    assert "赵小红" in html and "回老家" in html
    assert f'data-worker="{world.worker.pk}"' not in html
    html = client.get("/agency/roster/", {"q": world.worker.real_name}).content.decode()
    assert f'data-worker="{world.worker.pk}"' in html and "赵小红" not in html


def test_invite_by_search_then_post(world):
    newcomer = factories.WorkerFactory(real_name="孙巧云")
    factories.WorkerFactory(real_name="孙巧玲", is_verified=False)
    client = session_client(world.staff.user)
    html = client.get("/agency/roster/invite/", {"q": "孙巧"}).content.decode()
    assert f'data-found="{newcomer.pk}"' in html
    assert "孙巧玲" not in html  # not identity-verified
    response = client.post("/agency/roster/invite/", {"worker": newcomer.pk})
    assert response.status_code == 302
    entry = RosterEntry.objects.get(agency=world.agency, worker=newcomer)
    assert entry.status == RosterEntry.Status.INVITED


def test_end_engagement_needs_a_reason_in_both_languages(world):
    for language in LANGUAGES:
        client = session_client(world.staff.user, language)
        response = client.post(f"/agency/roster/{world.entry.pk}/end/", {"reason": ""})
        assert response.status_code == 400
        assert REQUIRED[language] in field_error(response, "reason")
    world.entry.refresh_from_db()
    assert world.entry.status == RosterEntry.Status.ACTIVE
    response = session_client(world.staff.user).post(
        f"/agency/roster/{world.entry.pk}/end/", {"reason": "合同到期"}
    )
    assert response.status_code == 302
    world.entry.refresh_from_db()
    assert world.entry.status == RosterEntry.Status.ENDED
    assert world.entry.end_reason == "合同到期"


def test_staff_of_another_agency_get_404_on_this_agencys_things(world):
    order = order_in(OrderStatus.IN_PROGRESS, agency=world.agency)
    order_dispute_open(order_id=order.pk, actor=order.household, reason="没打扫干净")
    stranger = session_client(world.other_owner.user)
    gets = [
        f"/agency/workers/{world.worker.pk}/",
        f"/agency/roster/{world.entry.pk}/end/",
        f"/agency/{world.agency.pk}/",
        f"/agency/{world.agency.pk}/roster/",
    ]
    for path in gets:
        assert stranger.get(path).status_code == 404, path
    posts = {
        f"/agency/roster/{world.entry.pk}/end/": {"reason": "x"},
        f"/agency/workers/{world.worker.pk}/identity/": {"verify": "0"},
        f"/agency/credentials/certificate/{world.certificate.pk}/verify/": {"verify": "0"},
        f"/agency/certificates/{world.certificate.pk}/revoke/": {"reason": "x"},
        f"/agency/disputes/{order.pk}/resolve/": {f"d{order.pk}-outcome": "completed"},
        f"/orders/{order.pk}/payments/offline/": {"method": "cash", "amount": "10"},
    }
    for path, data in posts.items():
        assert stranger.post(path, data).status_code == 404, path
    world.entry.refresh_from_db()
    world.worker.refresh_from_db()
    world.certificate.refresh_from_db()
    assert world.entry.status == RosterEntry.Status.ACTIVE
    assert world.worker.is_verified
    assert world.certificate.verified_at is not None and not world.certificate.is_revoked
    assert Dispute.objects.get(order=order).status == DisputeStatus.OPEN
    assert f'data-agency-order="{order.pk}"' not in stranger.get("/agency/orders/").content.decode()
    assert (
        f'data-agency-order="{order.pk}"'
        in session_client(world.staff.user).get("/agency/orders/").content.decode()
    )


def test_verify_unverify_and_revoke_a_certificate(world):
    client = session_client(world.staff.user)
    base = f"/agency/credentials/certificate/{world.certificate.pk}/verify/"
    assert client.post(base, {"verify": "0"}).status_code == 302
    world.certificate.refresh_from_db()
    assert world.certificate.verified_at is None
    assert client.post(base, {"verify": "1"}).status_code == 302
    world.certificate.refresh_from_db()
    assert world.certificate.verified_by_id == world.staff.user_id
    for language in LANGUAGES:
        response = session_client(world.staff.user, language).post(
            f"/agency/certificates/{world.certificate.pk}/revoke/", {"reason": ""}
        )
        assert response.status_code == 400
        assert REQUIRED[language] in field_error(response, "reason")
    world.certificate.refresh_from_db()
    assert not world.certificate.is_revoked
    client.post(f"/agency/certificates/{world.certificate.pk}/revoke/", {"reason": "伪造"})
    world.certificate.refresh_from_db()
    assert world.certificate.is_revoked and world.certificate.revoked_reason == "伪造"


def test_identity_verification_records_who(world):
    client = session_client(world.staff.user)
    client.post(f"/agency/workers/{world.worker.pk}/identity/", {"verify": "0"})
    world.worker.refresh_from_db()
    assert not world.worker.is_verified
    client.post(f"/agency/workers/{world.worker.pk}/identity/", {"verify": "1"})
    world.worker.refresh_from_db()
    assert world.worker.is_verified and world.worker.verified_by_id == world.staff.user_id


CERTIFICATE_ERRORS = {
    "zh-hans": "有效期须晚于发证日期",
    "en": "expiry date must be after the issue date",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_add_certificate_from_paper_with_field_errors(world, language):
    client = session_client(world.staff.user, language)
    path = f"/agency/workers/{world.worker.pk}/add/certificate/"
    before = Certificate.objects.count()
    response = client.post(path, {"category": "housekeeper", "issuer": "", "number": ""})
    assert response.status_code == 400
    assert REQUIRED[language] in field_error(response, "number")
    assert REQUIRED[language] in field_error(response, "issued_on")
    today = timezone.localdate()
    data = {
        "category": "infant_carer",
        "number": f"YY-{language}",
        "issuer": "临清市人社局",
        "issued_on": today.isoformat(),
        "expires_on": (today - dt.timedelta(days=1)).isoformat(),
    }
    response = client.post(path, data)
    assert response.status_code == 400
    assert CERTIFICATE_ERRORS[language].lower() in field_error(response, "expires_on").lower()
    assert Certificate.objects.count() == before
    data["expires_on"] = (today + dt.timedelta(days=700)).isoformat()
    assert client.post(path, data).status_code == 302
    added = Certificate.objects.get(number=f"YY-{language}")
    assert added.verified_by_id == world.staff.user_id


def test_add_health_check_and_training_record(world):
    client = session_client(world.staff.user)
    today = timezone.localdate()
    response = client.post(
        f"/agency/workers/{world.worker.pk}/add/health_check/",
        {"done_on": today.isoformat(), "valid_until": today.isoformat()},
    )
    assert response.status_code == 400
    assert field_error(response, "valid_until")
    response = client.post(
        f"/agency/workers/{world.worker.pk}/add/training_record/",
        {"course": "育婴员岗前培训", "kind": "pre_job", "completed_on": today.isoformat()},
    )
    assert response.status_code == 302
    assert world.worker.training_records.filter(course="育婴员岗前培训").exists()


def test_dispatch_lists_open_requests_without_household_data_and_offers(world):
    request = factories.ServiceRequestFactory(description="家里有老人，需要细心")
    client = session_client(world.staff.user)
    html = client.get("/agency/dispatch/").content.decode()
    assert f'data-open-request="{request.pk}"' in html
    assert request.address not in html
    assert request.description not in html
    assert request.household.phone not in html
    for language in LANGUAGES:
        response = session_client(world.staff.user, language).post(
            "/agency/dispatch/", {"request": request.pk, "worker": ""}
        )
        assert response.status_code == 400
        assert REQUIRED[language] in field_error(response, "worker")
    assert not Offer.objects.filter(request=request, source="dispatch").exists()
    response = client.post("/agency/dispatch/", {"request": request.pk, "worker": world.worker.pk})
    assert response.status_code == 302
    offer = Offer.objects.get(request=request, worker=world.worker)
    assert offer.source == "dispatch"


def test_dispatch_refusal_explains_why(world):
    request = factories.ServiceRequestFactory(category=factories.category("maternity_nurse"))
    response = session_client(world.staff.user, "en").post(
        "/agency/dispatch/", {"request": request.pk, "worker": world.worker.pk}
    )
    assert response.status_code == 400
    assert "data-form-errors" in response.content.decode()
    assert not Offer.objects.filter(request=request).exists()


DISPUTE_ERRORS = {"zh-hans": "部分退款请填写退款金额", "en": "partial refund"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_resolve_a_dispute_with_validation(world, language):
    order = order_in(OrderStatus.IN_PROGRESS, agency=world.agency)
    order_dispute_open(order_id=order.pk, actor=order.household, reason="少做了一项")
    client = session_client(world.staff.user, language)
    path = f"/agency/disputes/{order.pk}/resolve/"
    prefix = f"d{order.pk}-"
    response = client.post(path, {prefix + "outcome": "partial_refund"})
    assert response.status_code == 400
    assert DISPUTE_ERRORS[language].lower() in field_error(response, "refund_amount").lower()
    too_much = f"{order.price / 100 + 1:.2f}"
    response = client.post(
        path, {prefix + "outcome": "partial_refund", prefix + "refund_amount": too_much}
    )
    assert response.status_code == 400
    assert field_error(response, "refund_amount")
    assert Dispute.objects.get(order=order).status == DisputeStatus.OPEN
    response = client.post(
        path, {prefix + "outcome": "partial_refund", prefix + "refund_amount": "20.50"}
    )
    assert response.status_code == 302
    dispute = Dispute.objects.get(order=order)
    assert dispute.status == DisputeStatus.RESOLVED and dispute.refund_amount == 2050
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED


def staff_post(**overrides) -> dict:
    data = {
        "username": "new-staff",
        "password": factories.PASSWORD,
        "display_name": "王会计",
        "phone": "13800000001",
        "staff_role": "staff",
    }
    data.update(overrides)
    return data


def test_only_the_owner_manages_staff(world):
    plain = session_client(world.staff.user)
    html = plain.get("/agency/staff/").content.decode()
    assert "data-staff-form" not in html
    assert plain.post("/agency/staff/", staff_post()).status_code == 403
    assert plain.post(f"/agency/staff/{world.owner.pk}/remove/").status_code == 403
    assert (
        plain.post(f"/agency/staff/{world.owner.pk}/role/", {"staff_role": "staff"}).status_code
        == 403
    )
    assert not User.objects.filter(username="new-staff").exists()
    world.owner.refresh_from_db()
    assert world.owner.staff_role == AgencyStaff.StaffRole.OWNER

    owner = session_client(world.owner.user)
    assert "data-staff-form" in owner.get("/agency/staff/").content.decode()
    assert owner.post("/agency/staff/", staff_post()).status_code == 302
    added = AgencyStaff.objects.get(user__username="new-staff")
    assert added.agency == world.agency
    assert owner.post(f"/agency/staff/{added.pk}/role/", {"staff_role": "owner"}).status_code == 302
    added.refresh_from_db()
    assert added.staff_role == AgencyStaff.StaffRole.OWNER
    assert owner.post(f"/agency/staff/{world.staff.pk}/remove/").status_code == 302
    assert not AgencyStaff.objects.filter(pk=world.staff.pk).exists()


PASSWORD_ERRORS = {"zh-hans": "这个密码太常见了", "en": "password is too common"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_form_errors(world, language):
    owner = session_client(world.owner.user, language)
    response = owner.post("/agency/staff/", staff_post(password="abc"))
    assert response.status_code == 400
    assert PASSWORD_ERRORS[language].lower() in field_error(response, "password").lower()
    response = owner.post("/agency/staff/", staff_post(phone="123"))
    assert response.status_code == 400
    assert field_error(response, "phone")
    response = owner.post("/agency/staff/", staff_post(username=world.staff.user.username))
    assert response.status_code == 400
    assert field_error(response, "username")
    assert AgencyStaff.objects.filter(agency=world.agency).count() == 2


def test_an_operator_picks_an_agency(world):
    operator = session_client(factories.operator_user())
    html = operator.get("/agency/").content.decode()
    assert f"/agency/{world.agency.pk}/" in html
    assert operator.get(f"/agency/{world.agency.pk}/roster/").status_code == 200
    assert operator.get(f"/agency/{world.agency.pk}/workers/{world.worker.pk}/").status_code == 200
    assert operator.get("/agency/99999/").status_code == 404


def test_statement_page_and_csv(world):
    client = session_client(world.staff.user)
    month = timezone.localdate().strftime("%Y-%m")
    response = client.get("/agency/statement/", {"month": month})
    assert response.status_code == 200
    assert f"statement.csv?month={month}" in response.content.decode()
    response = client.get("/agency/statement.csv", {"month": month})
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode("utf-8").startswith("\ufeff")


def test_console_links_to_safety_alerts_appeals_and_the_worker_card():
    staff = factories.AgencyStaffFactory()
    worker = factories.RosterEntryFactory(agency=staff.agency).worker
    client = session_client(staff.user, "zh-hans")
    response = client.get(f"/agency/workers/{worker.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("web:safety-alerts") in page
    assert reverse("web:appeals") in page
    assert reverse("web:card-manage", args=[worker.pk]) in page
    assert client.get(reverse("web:card-manage", args=[worker.pk])).status_code == 200
