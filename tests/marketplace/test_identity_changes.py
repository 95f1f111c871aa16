"""The identity rule: a change to her name or ID number, through the API, the web form or the
admin, clears her verification and is recorded (who, when, which field, the old value masked —
never the clear ID number). A save that leaves them as they were changes nothing."""

import pytest
from django.test import Client
from django.utils import timezone

from marketplace import idcard
from marketplace.models import IdentityChange, WorkerProfile
from marketplace.selectors.service_cards import card_status
from tests import factories
from tests.conftest import client_for
from web.forms import WorkerProfileForm

pytestmark = pytest.mark.django_db

OLD_ID = "110101199003074573"
NEW_ID = "110101198506150027"


def verified_worker():
    worker = factories.WorkerFactory(real_name="王秀英")
    worker.set_id_card_number(OLD_ID)
    worker.is_verified = True
    worker.verified_at = timezone.now()
    worker.verified_by = factories.AgencyStaffFactory().user
    worker.save()
    return worker


def via_api(worker, **changes):
    response = client_for(worker.user).patch("/api/v1/workers/me/", changes, format="json")
    assert response.status_code == 200, response.content
    return worker.user


def via_web(worker, **changes):
    data = {k: v for k, v in WorkerProfileForm.initial_for(worker).items() if v is not None}
    data.update(changes)
    web = Client()
    web.force_login(worker.user)
    assert web.post("/worker/profile/edit/", data).status_code == 302
    return worker.user


def via_admin(worker, **changes):
    operator = factories.UserFactory(is_staff=True, is_superuser=True)
    web = Client()
    web.force_login(operator)
    url = f"/admin/marketplace/workerprofile/{worker.pk}/change/"
    form = web.get(url).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        if value is None or name in {"categories"}:
            continue
        data[name] = value.pk if hasattr(value, "pk") else value
    data["categories"] = [c.pk for c in worker.categories.all()]
    data["is_verified"] = "on"  # ticking it again in the same save does not keep it
    if "real_name" in changes:
        data["real_name"] = changes["real_name"]
    if "id_card_number" in changes:
        data["new_id_card_number"] = changes["id_card_number"]
    for prefix in ("certificates", "training_records", "health_checks", "roster_entries"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = web.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return operator


PATHS = {"api": via_api, "web": via_web, "admin": via_admin}


def test_the_admin_inline_prefixes_are_the_ones_posted():
    worker = verified_worker()
    operator = factories.UserFactory(is_staff=True, is_superuser=True)
    web = Client()
    web.force_login(operator)
    page = web.get(f"/admin/marketplace/workerprofile/{worker.pk}/change/")
    prefixes = {formset.formset.prefix for formset in page.context["inline_admin_formsets"]}
    assert prefixes == {"certificates", "training_records", "health_checks", "roster_entries"}


@pytest.mark.parametrize("path", PATHS)
def test_a_rename_clears_verification_and_is_recorded(path):
    worker = verified_worker()
    assert card_status(worker=worker).colour == "green"
    actor = PATHS[path](worker, real_name="王秀兰")
    worker.refresh_from_db()
    assert worker.real_name == "王秀兰"
    assert (worker.is_verified, worker.verified_at, worker.verified_by) == (False, None, None)
    [change] = IdentityChange.objects.filter(worker=worker)
    assert (change.field, change.old_value_masked, change.changed_by_id) == (
        "real_name",
        "王**",
        actor.pk,
    )
    assert change.was_verified and change.changed_at is not None
    assert card_status(worker=worker).colour == "red"


@pytest.mark.parametrize("path", ["api", "admin"])  # the web form has no ID number field
def test_a_new_id_number_clears_verification_and_keeps_no_clear_number(path):
    worker = verified_worker()
    PATHS[path](worker, id_card_number=NEW_ID)
    worker.refresh_from_db()
    assert worker.id_card_number == NEW_ID and not worker.is_verified
    [change] = IdentityChange.objects.filter(worker=worker)
    assert change.field == "id_card_number"
    assert change.old_value_masked == idcard.masked("4573")
    assert change.old_value_digest == idcard.digest(OLD_ID)
    row = IdentityChange.objects.filter(pk=change.pk).values().get()
    flat = " ".join(str(value) for value in row.values())
    assert OLD_ID not in flat and NEW_ID not in flat and "19900307" not in flat


@pytest.mark.parametrize("path", ["api", "web"])
def test_a_save_without_identity_change_keeps_verification(path):
    worker = verified_worker()
    PATHS[path](worker, bio="会做饭")
    worker.refresh_from_db()
    assert worker.is_verified and worker.bio == "会做饭"
    assert not IdentityChange.objects.exists()


def test_the_record_is_read_only_in_the_admin():
    worker = verified_worker()
    via_api(worker, real_name="王秀兰")
    operator = factories.UserFactory(is_staff=True, is_superuser=True)
    web = Client()
    web.force_login(operator)
    change = IdentityChange.objects.get()
    assert web.get("/admin/marketplace/identitychange/").status_code == 200
    assert web.post(f"/admin/marketplace/identitychange/{change.pk}/delete/").status_code == 403
    assert IdentityChange.objects.count() == 1


def test_refused_id_number_changes_nothing():
    worker = verified_worker()
    response = client_for(worker.user).patch(
        "/api/v1/workers/me/", {"real_name": "王秀兰", "id_card_number": "123"}, format="json"
    )
    assert response.status_code == 400
    worker = WorkerProfile.objects.get(pk=worker.pk)
    assert worker.is_verified and worker.real_name == "王秀英"
    assert not IdentityChange.objects.exists()
