"""Contracts: deterministic text and hash, signing by every party, amendments as new versions."""

import datetime as dt
import hashlib

import pytest
from django.utils import timezone, translation

from backend.exceptions import Conflict
from marketplace.models import Category
from notifications.models import Notification
from orders.models import Contract, ContractSignature, OrderEvent
from orders.services.contracts import (
    contract_amend,
    contract_draft,
    contract_render,
    contract_sign,
    contract_terms,
)
from orders.statuses import ContractStatus, OrderStatus
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def agency_order(**kwargs):
    """A pending-contract order whose worker is on an agency's roster, with one staff user."""
    order = factories.OrderFactory(**kwargs)
    agency = factories.AgencyFactory()
    factories.RosterEntryFactory(agency=agency, worker=order.worker)
    staff = factories.AgencyStaffFactory(agency=agency)
    order.agency = agency
    order.save(update_fields=["agency"])
    return order, staff.user


def sign(order, user, text_sha256=None):
    return contract_sign(
        order_id=order.pk,
        user=user,
        ip_address="10.0.0.7",
        user_agent="pytest",
        text_sha256=text_sha256,
    )


def digest_of(order) -> str:
    order.refresh_from_db()
    text = contract_render(terms=contract_terms(order=order, version=1))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_draft_hash_is_sha256_of_canonical_text_and_lists_parties():
    order, _staff = agency_order()
    contract = contract_draft(order=order)
    assert contract.version == 1
    assert contract.status == ContractStatus.AWAITING_SIGNATURES
    assert contract.text_sha256 == hashlib.sha256(contract.text.encode("utf-8")).hexdigest()
    assert contract.required_parties == ["household", "worker", "agency"]
    assert "\r" not in contract.text and contract.text.endswith("\n")
    assert order.agency.name in contract.text
    assert order.worker.real_name in contract.text
    assert "¥150.00" in contract.text  # 15000 fen
    assert "24小时" in contract.text and "20%" in contract.text


def test_without_agency_two_parties():
    order = factories.OrderFactory()
    contract = contract_draft(order=order)
    assert contract.required_parties == ["household", "worker"]
    assert "丙方" not in contract.text


def test_same_terms_give_identical_bytes():
    order = factories.OrderFactory()
    first = contract_render(terms=contract_terms(order=order, version=1))
    second = contract_render(terms=contract_terms(order=order, version=1))
    assert first.encode() == second.encode()
    with translation.override("en"), timezone.override("UTC"):  # the reader's locale is irrelevant
        assert contract_render(terms=contract_terms(order=order, version=1)) == first
    # Unrelated changes (worker's bio, the order's updated_at) do not touch the text.
    order.worker.bio = "十年经验"
    order.worker.save()
    order.save()
    assert digest_of(order) == hashlib.sha256(first.encode()).hexdigest()


def _change_price(order):
    order.price += 1
    order.save()


def _change_address(order):
    order.request.address += "101室"
    order.request.save()


def _change_start(order):
    order.starts_at -= dt.timedelta(minutes=30)
    order.save()


def _change_end(order):
    order.ends_at += dt.timedelta(minutes=30)
    order.save()


def _change_category(order):
    order.request.category = Category.objects.get(code="hourly_cleaning")
    order.request.save()


def _change_household(order):
    order.household = factories.HouseholdFactory().user
    order.save()


def _change_worker(order):
    order.worker = factories.WorkerFactory()
    order.save()


def _add_agency(order):
    order.agency = factories.AgencyFactory()
    order.save()


@pytest.mark.parametrize(
    "change",
    [
        _change_price,
        _change_address,
        _change_start,
        _change_end,
        _change_category,
        _change_household,
        _change_worker,
        _add_agency,
    ],
)
def test_hash_changes_when_any_term_changes(change):
    order = factories.OrderFactory()
    before = digest_of(order)
    assert digest_of(order) == before  # stable when nothing changed
    change(order)
    assert digest_of(order) != before


def test_recurring_contract_lists_each_visit():
    service_request = factories.ServiceRequestFactory(
        status="matched",
        kind="recurring",
        recurrence_weekdays=[1],
        recurrence_until=factories.today() + dt.timedelta(days=30),
        occurrences=False,
    )
    for week in range(3):
        start = service_request.starts_at + dt.timedelta(days=7 * week)
        service_request.occurrences.create(
            starts_at=start, ends_at=start + dt.timedelta(hours=3), original_starts_at=start
        )
    order = factories.OrderFactory(request=service_request)
    contract = contract_draft(order=order)
    assert len(contract.terms["occurrences"]) == 3
    assert "每周二" in contract.text
    assert "  3. " in contract.text


def test_placement_contract_has_trial_and_replacement_terms():
    service_request = factories.ServiceRequestFactory(
        status="matched",
        kind="placement",
        category=Category.objects.get(code="maternity_nurse"),
        placement_mode="live_in",
        placement_price_unit="day",
        placement_unit_price=30000,
        trial_days=3,
        ends_at=factories.future(48) + dt.timedelta(days=26),
    )
    order = factories.OrderFactory(
        request=service_request, worker=factories.WorkerFactory(trades=["maternity_nurse"])
    )
    order.trial_ends_at = order.starts_at + dt.timedelta(days=3)
    order.save()
    contract = contract_draft(order=order)
    assert "试用期：3天" in contract.text
    assert "更换服务员" in contract.text
    assert "¥300.00" in contract.text
    assert "母婴护理员证" in contract.text  # the maternity-nurse block


def test_all_parties_sign_then_signed_and_confirmed_with_events():
    order, staff_user = agency_order()
    contract = contract_draft(order=order)
    sign(order, order.household, contract.text_sha256)
    sign(order, order.worker.user, contract.text_sha256)
    order.refresh_from_db()
    contract.refresh_from_db()
    assert contract.status == ContractStatus.AWAITING_SIGNATURES
    assert order.status == OrderStatus.PENDING_CONTRACT

    sign(order, staff_user, contract.text_sha256)
    contract.refresh_from_db()
    order.refresh_from_db()
    assert contract.status == ContractStatus.SIGNED and contract.signed_at is not None
    assert order.status == OrderStatus.CONFIRMED
    event = OrderEvent.objects.get(order=order, to_status=OrderStatus.CONFIRMED)
    assert event.from_status == OrderStatus.PENDING_CONTRACT and event.actor == staff_user
    signature = ContractSignature.objects.get(contract=contract, party="household")
    assert signature.signer == order.household
    assert signature.ip_address == "10.0.0.7" and signature.user_agent == "pytest"
    assert signature.text_sha256 == contract.text_sha256
    # "signed by X" goes to the other parties, not to the signer.
    signed_by_household = Notification.objects.filter(
        type="notification", payload__kind="contract.signed_by", payload__party="household"
    )
    assert set(signed_by_household.values_list("user_id", flat=True)) == {
        order.worker.user_id,
        staff_user.pk,
    }
    updated = Notification.objects.filter(type="order.updated", payload__to_status="confirmed")
    assert set(updated.values_list("user_id", flat=True)) == {
        order.household_id,
        order.worker.user_id,
        staff_user.pk,
    }


def test_signed_text_never_changes():
    order = factories.OrderFactory()
    contract = contract_draft(order=order)
    sign(order, order.household)
    sign(order, order.worker.user)
    contract.refresh_from_db()
    text, digest, terms = contract.text, contract.text_sha256, contract.terms
    contract_amend(order_id=order.pk, user=order.household, changes={"price": 20000}, reason="加项")
    contract_draft(order=order)
    contract.refresh_from_db()
    assert (contract.text, contract.text_sha256, contract.terms) == (text, digest, terms)
    assert contract.status == ContractStatus.SIGNED


def test_old_signatures_do_not_count_for_new_version():
    order = factories.OrderFactory()
    v1 = contract_draft(order=order)
    sign(order, order.household, v1.text_sha256)
    v2 = contract_amend(
        order_id=order.pk,
        user=order.household,
        changes={"notes": "需自带清洁工具"},
        reason="补充约定",
    )
    v1.refresh_from_db()
    assert v1.status == ContractStatus.SUPERSEDED
    assert v2.version == 2 and v2.text_sha256 != v1.text_sha256
    assert "需自带清洁工具" in v2.text
    # The worker saw v1: her signature is refused as stale.
    with pytest.raises(Conflict) as error:
        sign(order, order.worker.user, v1.text_sha256)
    assert error.value.code == "contract_changed"
    sign(order, order.worker.user, v2.text_sha256)
    v2.refresh_from_db()
    order.refresh_from_db()
    assert v2.status == ContractStatus.AWAITING_SIGNATURES  # household's v1 signature not counted
    assert order.status == OrderStatus.PENDING_CONTRACT
    sign(order, order.household, v2.text_sha256)
    v2.refresh_from_db()
    order.refresh_from_db()
    assert v2.status == ContractStatus.SIGNED and order.status == OrderStatus.CONFIRMED


def test_amending_a_signed_contract_keeps_old_terms_until_resigned():
    order = factories.OrderFactory()
    v1 = contract_draft(order=order)
    sign(order, order.household)
    sign(order, order.worker.user)
    new_start = order.starts_at + dt.timedelta(hours=2)
    v2 = contract_amend(
        order_id=order.pk,
        user=order.household,
        changes={
            "price": 18000,
            "starts_at": new_start,
            "ends_at": new_start + dt.timedelta(hours=3),
        },
        reason="延后两小时",
    )
    v1.refresh_from_db()
    order.refresh_from_db()
    assert v1.status == ContractStatus.SIGNED  # still the contract in force
    assert order.status == OrderStatus.CONFIRMED and order.price == 15000
    assert v2.terms["price_fen"] == 18000 and "¥180.00" in v2.text
    sign(order, order.worker.user, v2.text_sha256)
    sign(order, order.household, v2.text_sha256)
    v1.refresh_from_db()
    order.refresh_from_db()
    assert v1.status == ContractStatus.SUPERSEDED
    assert order.status == OrderStatus.CONFIRMED
    assert order.price == 18000 and order.starts_at == new_start
    assert order.occurrences.get().starts_at == new_start


def test_worker_cannot_amend_and_nothing_changes():
    order = factories.OrderFactory()
    contract_draft(order=order)
    response = client_for(order.worker.user).post(
        f"/api/v1/orders/{order.pk}/contract/amend/",
        {"price": 1, "reason": "涨价"},
        format="json",
    )
    assert response.status_code == 403
    assert Contract.objects.filter(order=order).count() == 1


def test_amend_api_validates_fields():
    order = factories.OrderFactory()
    contract_draft(order=order)
    client = client_for(order.household)
    url = f"/api/v1/orders/{order.pk}/contract/amend/"
    response = client.post(url, {"reason": "改"}, format="json")
    assert response.status_code == 400 and "changes" in response.json()["fields"]
    response = client.post(url, {"reason": "改", "price": 0}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "price"
    response = client.post(url, {"reason": "改", "price": 16000}, format="json")
    assert response.status_code == 201
    assert response.json()["version"] == 2 and response.json()["terms"]["price_fen"] == 16000


# --- API and permissions -------------------------------------------------------------------


def test_contract_get_permission_table(anon_client):
    order, staff_user = agency_order()
    contract_draft(order=order)
    url = f"/api/v1/orders/{order.pk}/contract/"
    assert anon_client.get(url).status_code == 401
    for outsider in (
        factories.HouseholdFactory().user,
        factories.WorkerFactory().user,
        factories.AgencyStaffFactory().user,
    ):
        response = client_for(outsider).get(url)
        assert response.status_code == 404
    for party in (order.household, order.worker.user, staff_user):
        response = client_for(party).get(url)
        assert response.status_code == 200
        body = response.json()
        assert body["version"] == 1 and body["status"] == "awaiting_signatures"
        # The worker side sees the text without the exact address until every party signed
        # (docs/privacy.md); the hash is always that of the full stored text.
        full = order.contracts.get(version=1).text
        assert body["text_sha256"] == hashlib.sha256(full.encode()).hexdigest()
        assert body["is_redacted"] == (party != order.household)
        assert (body["text"] == full) == (party == order.household)
        assert body["missing_parties"] == ["household", "worker", "agency"]


def test_sign_api_flow_twice_stale_and_outsider(anon_client):
    order = factories.OrderFactory()
    contract = contract_draft(order=order)
    url = f"/api/v1/orders/{order.pk}/contract/sign/"

    assert anon_client.post(url, {}, format="json").status_code == 401
    outsider = client_for(factories.HouseholdFactory().user)
    assert outsider.post(url, {}, format="json").status_code == 404
    assert client_for(factories.WorkerFactory().user).post(url, {}).status_code == 404
    assert not ContractSignature.objects.exists()

    household = client_for(order.household)
    stale = household.post(url, {"text_sha256": "0" * 64}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "contract_changed"
    assert not ContractSignature.objects.exists()

    response = household.post(
        url, {"text_sha256": contract.text_sha256}, format="json", HTTP_USER_AGENT="Android 9"
    )
    assert response.status_code == 200
    assert [s["party"] for s in response.json()["signatures"]] == ["household"]
    again = household.post(url, {"text_sha256": contract.text_sha256}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_signed"
    assert ContractSignature.objects.count() == 1
    assert ContractSignature.objects.get().user_agent == "Android 9"

    response = client_for(order.worker.user).post(url, {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "signed"
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED


def test_contract_version_query_and_bad_hash_format():
    order = factories.OrderFactory()
    contract_draft(order=order)
    contract_amend(order_id=order.pk, user=order.household, changes={"price": 100}, reason="x")
    client = client_for(order.worker.user)
    url = f"/api/v1/orders/{order.pk}/contract/"
    assert client.get(url).json()["version"] == 2
    old = client.get(url, {"version": 1}).json()
    assert old["version"] == 1 and old["status"] == "superseded"
    assert client.get(url, {"version": 9}).status_code == 404
    bad = client.post(f"{url}sign/", {"text_sha256": "abc"}, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "text_sha256"


def test_cancelled_order_cannot_be_signed():
    order = factories.OrderFactory(status=OrderStatus.CANCELLED)
    contract_draft(order=order)
    with pytest.raises(Conflict) as error:
        sign(order, order.household)
    assert error.value.code == "order_not_signable"


def test_print_view_for_parties_only(anon_client):
    order, staff_user = agency_order()
    contract = contract_draft(order=order)
    sign(order, order.household)
    url = f"/api/v1/orders/{order.pk}/contract/print/"
    assert anon_client.get(url).status_code == 401
    assert client_for(factories.HouseholdFactory().user).get(url).status_code == 404
    for party in (order.household, order.worker.user, staff_user):
        response = client_for(party).get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        html = response.content.decode()
        assert contract.text_sha256 in html
        # The print layout lives in a static stylesheet (the CSP allows no inline style).
        assert "orders/contract_print.css" in html
        assert "家政服务合同" in html and "未签署" in html
        assert order.household.display_name in html  # the household's signature row


# --- races ---------------------------------------------------------------------------------


def _run_concurrently(calls):
    import threading

    from django.db import connection

    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except Conflict as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_last_signatures_confirm_once():
    order = factories.OrderFactory()
    contract_draft(order=order)
    outcomes = _run_concurrently(
        [lambda: sign(order, order.household), lambda: sign(order, order.worker.user)]
    )
    assert outcomes == ["ok", "ok"]
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert OrderEvent.objects.filter(order=order, to_status=OrderStatus.CONFIRMED).count() == 1
    assert Contract.objects.get(order=order).status == ContractStatus.SIGNED


@pytest.mark.django_db(transaction=True)
def test_same_party_signing_twice_at_once_stores_one_signature():
    order = factories.OrderFactory()
    contract_draft(order=order)
    outcomes = _run_concurrently([lambda: sign(order, order.household)] * 4)
    assert outcomes == ["already_signed"] * 3 + ["ok"]
    assert ContractSignature.objects.filter(party="household").count() == 1


def test_offer_acceptance_drafts_the_contract_that_parties_sign_through_the_api():
    from tests.orders.flow_helpers import accepted_order

    agency = factories.AgencyFactory()
    order = accepted_order(agency=agency)
    staff = factories.AgencyStaffFactory(agency=agency).user
    contract = Contract.objects.get(order=order)
    assert contract.version == 1
    assert contract.required_parties == ["household", "worker", "agency"]
    amended = client_for(staff).post(
        f"/api/v1/orders/{order.pk}/contract/amend/",
        {"notes": "每周一三五做饭", "reason": "企业补充服务内容"},
        format="json",
    )
    assert amended.status_code == 201
    digest = amended.json()["text_sha256"]
    for user in (order.household, order.worker.user, staff):
        response = client_for(user).post(
            f"/api/v1/orders/{order.pk}/contract/sign/", {"text_sha256": digest}, format="json"
        )
        assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert Contract.objects.get(order=order, version=2).status == ContractStatus.SIGNED


def test_print_stylesheet_sets_a4_pages():
    from django.contrib.staticfiles import finders

    with open(finders.find("orders/contract_print.css"), encoding="utf-8") as handle:
        css = handle.read()
    assert "@page" in css and "A4" in css
