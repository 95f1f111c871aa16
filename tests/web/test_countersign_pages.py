"""The agency's countersign pages: the home's count and one-tap sign of what waits for it, the
standing authorisation given and revoked by the owner only, and every order page's next step."""

import pytest

from orders.models import ContractSignature, CountersignAuthorisation
from orders.services.contracts import contract_draft, contract_sign
from orders.statuses import OrderStatus, Party
from tests import factories
from tests.web.conftest import session_client

pytestmark = pytest.mark.django_db


def waiting_order(agency):
    order = factories.OrderFactory()
    factories.RosterEntryFactory(agency=agency, worker=order.worker)
    order.agency = agency
    order.save(update_fields=["agency"])
    contract = contract_draft(order=order)
    for user in (order.household, order.worker.user):
        contract_sign(
            order_id=order.pk, user=user, ip_address=None, user_agent="", text_sha256=None
        )
    return order, contract


def test_home_counts_what_waits_and_one_tap_signs_it():
    owner = factories.AgencyStaffFactory()
    clerk = factories.AgencyStaffFactory(agency=owner.agency, staff_role=owner.StaffRole.STAFF)
    order, contract = waiting_order(owner.agency)
    client = session_client(clerk.user)
    page = client.get("/agency/").content.decode()
    assert 'data-awaiting-agency="1"' in page
    assert f'data-awaiting-contract="{order.pk}"' in page
    # A stale hash (the text changed since the list was drawn) signs nothing.
    response = client.post(
        f"/agency/contracts/{order.pk}/sign/", {"text_sha256": "0" * 64, "next": "/agency/"}
    )
    assert response.status_code == 302
    assert not ContractSignature.objects.filter(party=Party.AGENCY).exists()
    response = client.post(
        f"/agency/contracts/{order.pk}/sign/",
        {"text_sha256": contract.text_sha256, "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == "/agency/"
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert ContractSignature.objects.get(party=Party.AGENCY).signer == clerk.user
    assert "data-awaiting-agency" not in client.get("/agency/").content.decode()


def test_another_agency_cannot_sign():
    owner = factories.AgencyStaffFactory()
    order, contract = waiting_order(owner.agency)
    stranger = factories.AgencyStaffFactory()
    response = session_client(stranger.user).post(
        f"/agency/contracts/{order.pk}/sign/", {"text_sha256": contract.text_sha256}
    )
    assert response.status_code == 404
    assert not ContractSignature.objects.filter(party=Party.AGENCY).exists()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_owner_gives_and_revokes_the_authorisation(language):
    owner = factories.AgencyStaffFactory()
    clerk = factories.AgencyStaffFactory(agency=owner.agency, staff_role=owner.StaffRole.STAFF)
    order, _contract = waiting_order(owner.agency)
    clerk_client = session_client(clerk.user, language)
    page = clerk_client.get("/agency/countersign/").content.decode()
    assert 'data-authorisation="none"' in page and "grant-authorisation" not in page
    refused = clerk_client.post("/agency/countersign/grant/", {"agree": "1"}, follow=True)
    assert '<li class="error">' in refused.content.decode()
    assert not CountersignAuthorisation.objects.exists()

    client = session_client(owner.user, language)
    client.post("/agency/countersign/grant/", {})  # without ticking "agree": nothing
    assert not CountersignAuthorisation.objects.exists()
    client.post("/agency/countersign/grant/", {"agree": "1"})
    authorisation = CountersignAuthorisation.objects.get()
    assert authorisation.authorised_by == owner.user
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED  # what waited was signed under it
    page = client.get("/agency/countersign/").content.decode()
    assert 'data-authorisation="in-force"' in page and str(owner.user) in page
    assert "revoke-authorisation" in page

    client.post("/agency/countersign/revoke/")
    authorisation.refresh_from_db()
    assert authorisation.revoked_by == owner.user
    page = client.get("/agency/countersign/").content.decode()
    assert 'data-authorisation="none"' in page and "data-authorisation-history" in page


@pytest.mark.parametrize("language, words", [("zh-hans", "家政企业"), ("en", "agency")])
def test_order_page_says_who_we_wait_for(language, words):
    owner = factories.AgencyStaffFactory()
    order, _contract = waiting_order(owner.agency)
    for user, yours in ((order.worker.user, False), (order.household, False), (owner.user, True)):
        page = session_client(user, language).get(f"/orders/{order.pk}/").content.decode()
        assert 'data-next-step="sign_contract"' in page
        assert 'data-waiting-for="agency"' in page
        assert ("next-step yours" in page) is yours
        if not yours:
            assert words in page
