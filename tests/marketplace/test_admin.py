import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from marketplace.models import WorkerProfile
from tests import factories

ID_NUMBER = "11010519491231002X"


@pytest.fixture
def operator_browser():
    client = Client()
    client.force_login(factories.operator_user())
    return client


@pytest.fixture
def populated():
    worker = factories.WorkerFactory()
    worker.set_id_card_number(ID_NUMBER)
    worker.save()
    entry = factories.RosterEntryFactory(worker=worker)
    factories.AgencyStaffFactory(agency=entry.agency)
    factories.HouseholdFactory()
    factories.FederationOfficerFactory()
    return worker


def marketplace_models():
    return list(apps.get_app_config("marketplace").get_models())


def test_every_marketplace_model_is_registered():
    missing = [m.__name__ for m in marketplace_models() if not admin.site.is_registered(m)]
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize("model", marketplace_models(), ids=lambda m: m.__name__)
def test_changelist_add_and_search_load(operator_browser, populated, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert operator_browser.get(changelist).status_code == 200
    assert operator_browser.get(changelist, {"q": "李"}).status_code == 200
    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    assert operator_browser.get(add).status_code == 200
    first = model.objects.first()
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
    assert operator_browser.get(change).status_code == 200


@pytest.mark.django_db
def test_worker_pages_show_masked_number_never_ciphertext(operator_browser, populated):
    change = reverse("admin:marketplace_workerprofile_change", args=[populated.pk])
    page = operator_browser.get(change).content.decode()
    listing = operator_browser.get(reverse("admin:marketplace_workerprofile_changelist"))
    for html in (page, listing.content.decode()):
        assert "**************002X" in html
        assert populated.id_card_ciphertext not in html
        assert ID_NUMBER not in html
    assert "certificates-TOTAL_FORMS" in page
    assert "health_checks-TOTAL_FORMS" in page


@pytest.mark.django_db
def test_credential_filters_work(operator_browser, populated):
    url = reverse("admin:marketplace_certificate_changelist")
    assert operator_browser.get(url, {"verified": "no"}).status_code == 200
    assert operator_browser.get(url, {"verified": "yes"}).status_code == 200


@pytest.mark.django_db
def test_admin_refuses_non_staff(household):
    client = Client()
    client.force_login(household.user)
    response = client.get(reverse("admin:marketplace_workerprofile_changelist"))
    assert response.status_code == 302
    assert WorkerProfile.objects.count() == 0
