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
    household = factories.HouseholdFactory()
    factories.FederationOfficerFactory()
    # Service cards, blocks and appeals, so that each changelist has a row to open.
    from marketplace.models import HouseholdBlock, IdentityChange, ReliabilityAppeal, ServiceCard

    ServiceCard.objects.create(worker=worker)
    HouseholdBlock.objects.create(worker=worker, household=household.user)
    ReliabilityAppeal.objects.create(
        worker=worker, agency=entry.agency, order_id=1, incident="no_show", reason="李"
    )
    IdentityChange.objects.create(worker=worker, field="real_name", old_value_masked="李*")
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
    # Records only services write (identity changes, codes, reset links, time off) have no add form.
    refuses_add = type(admin.site._registry[model]).has_add_permission is not (
        admin.ModelAdmin.has_add_permission
    )
    expected = 403 if refuses_add else 200
    assert operator_browser.get(add).status_code == expected
    first = model.objects.first()
    if first is None:  # a row the populated county does not make (codes, links, time off)
        return
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


def worker_form_data(worker, **overrides):
    data = {
        "user": worker.user_id,
        "real_name": worker.real_name,
        "phone": worker.phone,
        "division": worker.division_id,
        "base_latitude": worker.base_latitude,
        "base_longitude": worker.base_longitude,
        "service_radius_km": worker.service_radius_km,
        "categories": list(worker.categories.values_list("pk", flat=True)),
        "hourly_rate": worker.hourly_rate,
        "availability": "{}",
        "is_accepting_offers": "on",
        "is_verified": "on",
        "bio": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_operator_sets_a_new_id_number_through_the_form(populated):
    from marketplace.admin import WorkerProfileForm

    form = WorkerProfileForm(
        data=worker_form_data(populated, new_id_card_number="110105199003070025"),
        instance=populated,
    )
    assert form.is_valid(), form.errors
    form.save()
    populated.refresh_from_db()
    assert populated.id_card_number == "110105199003070025"
    assert populated.id_card_last4 == "0025"


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["110105199003070026", "taken"])
def test_admin_form_refuses_bad_or_taken_number(populated, number):
    from marketplace.admin import WorkerProfileForm

    if number == "taken":
        other = factories.WorkerFactory(credentials=False)
        other.set_id_card_number("110105199003070025")
        other.save()
        number = "110105199003070025"
    form = WorkerProfileForm(
        data=worker_form_data(populated, new_id_card_number=number), instance=populated
    )
    assert not form.is_valid()
    assert "new_id_card_number" in form.errors
    populated.refresh_from_db()
    assert populated.id_card_number == ID_NUMBER
