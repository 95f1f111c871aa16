"""The verifiable service card: status per credential case, token forgery and revocation,
who may see / revoke / reissue, the photo upload limits, nothing personal on the public side."""

import datetime as dt
import io

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone
from PIL import Image

from marketplace.models import HealthCheck, ServiceCard
from marketplace.selectors.service_cards import CARD_SALT, card_status, card_token
from marketplace.services.service_cards import service_card_ensure
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    """A real 1×1 PNG (photos are decoded and re-encoded, so it must be one)."""
    out = io.BytesIO()
    Image.new("RGB", (1, 1), (255, 0, 0)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()


def today():
    return timezone.localdate()


def _set_certificate(worker, **fields):
    worker.certificates.update(**fields)


@pytest.mark.parametrize(
    "case, colour",
    [
        ("all_valid", "green"),
        ("certificate_expires_soon", "yellow"),
        ("health_check_expires_soon", "yellow"),
        ("certificate_expired", "red"),
        ("certificate_revoked", "red"),
        ("health_check_expired", "red"),
        ("no_health_check", "red"),
        ("unverified", "red"),
        ("unverified_certificate", "red"),
    ],
)
def test_card_colour_for_each_credential_case(case, colour):
    worker = factories.WorkerFactory(trades=["housekeeper"])
    if case == "certificate_expires_soon":
        _set_certificate(worker, expires_on=today() + dt.timedelta(days=10))
    elif case == "health_check_expires_soon":
        worker.health_checks.update(valid_until=today() + dt.timedelta(days=29))
    elif case == "certificate_expired":
        _set_certificate(worker, expires_on=today() - dt.timedelta(days=1))
    elif case == "certificate_revoked":
        _set_certificate(worker, is_revoked=True)
    elif case == "health_check_expired":
        worker.health_checks.update(valid_until=today() - dt.timedelta(days=1))
    elif case == "no_health_check":
        HealthCheck.objects.filter(worker=worker).delete()
    elif case == "unverified":
        worker.is_verified = False
        worker.save(update_fields=["is_verified"])
    elif case == "unverified_certificate":
        _set_certificate(worker, verified_at=None)
    status = card_status(worker=worker)
    assert status.colour == colour
    assert (status.reasons == []) == (colour == "green")


def test_public_page_and_api_show_only_name_photo_agency_and_status(anon_client):
    staff = factories.AgencyStaffFactory()
    worker = factories.WorkerFactory()
    factories.RosterEntryFactory(agency=staff.agency, worker=worker)
    worker.set_id_card_number("110101199003071234")
    worker.save()
    token = card_token(service_card_ensure(worker=worker))

    body = anon_client.get(f"/api/v1/cards/{token}/").json()
    assert set(body) == {"valid", "name", "photo_url", "agency", "status", "reasons", "checked_at"}
    assert (body["valid"], body["name"], body["agency"], body["status"]) == (
        True,
        worker.real_name,
        staff.agency.name,
        "green",
    )
    page = Client().get(f"/card/{token}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-card-status="green"' in html and worker.real_name in html
    assert "<svg" in html  # the QR
    for secret in (worker.phone, "1234", worker.user.username, str(worker.base_latitude)):
        assert secret not in html and secret not in str(body)


def test_token_carries_no_database_id():
    worker = factories.WorkerFactory()
    card = service_card_ensure(worker=worker)
    data = signing.loads(card_token(card), salt=CARD_SALT)
    assert data == {"c": card.public_id, "v": card.version}


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        signing.dumps({"c": "nope", "v": 1}, salt=CARD_SALT),
        signing.dumps({"c": "x", "v": 1}, salt="another-salt"),
    ],
    # Signed tokens carry a timestamp: fixed ids keep collection identical across xdist workers.
    ids=["garbage", "unknown-card", "foreign-salt"],
)
def test_forged_tokens_show_plainly_as_invalid(anon_client, token):
    response = anon_client.get(f"/api/v1/cards/{token}/")
    assert response.status_code == 404 and response.json()["code"] == "card_invalid"
    page = Client().get(f"/card/{token}/")
    assert page.status_code == 404
    assert 'data-card-status="invalid"' in page.content.decode()


def test_a_tampered_version_is_invalid(anon_client):
    card = service_card_ensure(worker=factories.WorkerFactory())
    forged = card_token(card)[:-3] + ("AAA" if not card_token(card).endswith("AAA") else "BBB")
    assert anon_client.get(f"/api/v1/cards/{forged}/").status_code == 404


def test_revoking_invalidates_every_issued_token_and_reissue_gives_a_new_one(anon_client):
    staff = factories.AgencyStaffFactory()
    worker = factories.WorkerFactory()
    factories.RosterEntryFactory(agency=staff.agency, worker=worker)
    old = client_for(worker.user).get("/api/v1/workers/me/card/").json()["token"]
    assert anon_client.get(f"/api/v1/cards/{old}/").status_code == 200

    response = client_for(staff.user).post(
        f"/api/v1/workers/{worker.pk}/card/revoke/", {"reason": "证件造假"}, format="json"
    )
    assert response.status_code == 200 and response.json()["is_revoked"] is True
    assert anon_client.get(f"/api/v1/cards/{old}/").status_code == 404
    own = client_for(worker.user).get("/api/v1/workers/me/card/").json()
    assert own["is_revoked"] is True and own["valid"] is False
    assert anon_client.get(f"/api/v1/cards/{own['token']}/").status_code == 404

    reissued = client_for(staff.user).post(f"/api/v1/workers/{worker.pk}/card/reissue/").json()
    assert reissued["is_revoked"] is False
    assert anon_client.get(f"/api/v1/cards/{reissued['token']}/").status_code == 200
    assert anon_client.get(f"/api/v1/cards/{old}/").status_code == 404


def test_only_her_agency_or_an_operator_revokes(anon_client, household):
    worker = factories.WorkerFactory()
    card = service_card_ensure(worker=worker)
    other_staff = factories.AgencyStaffFactory()
    url = f"/api/v1/workers/{worker.pk}/card/revoke/"
    body = {"reason": "x"}
    assert anon_client.post(url, body, format="json").status_code == 401
    for user in (other_staff.user, household.user, worker.user):
        assert client_for(user).post(url, body, format="json").status_code == 404
    card.refresh_from_db()
    assert card.version == 1 and not card.is_revoked
    assert client_for(factories.operator_user()).post(url, body, format="json").status_code == 200
    assert client_for(factories.operator_user()).post(url, {}, format="json").status_code == 400


def test_own_card_is_for_workers_and_shows_the_qr_page(household_client, anon_client):
    assert anon_client.get("/api/v1/workers/me/card/").status_code == 401
    assert household_client.get("/api/v1/workers/me/card/").status_code == 403
    worker = factories.WorkerFactory()
    client = Client()
    client.force_login(worker.user)
    html = client.get("/worker/card/").content.decode()
    assert "<svg" in html and "data-card-qr" in html


def test_photo_upload_limits_type_and_size(settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path

    worker = factories.WorkerFactory()
    client = client_for(worker.user)
    url = "/api/v1/workers/me/card/photo/"
    fake = SimpleUploadedFile("a.png", b"<script>alert(1)</script>", content_type="image/png")
    response = client.post(url, {"photo": fake}, format="multipart")
    assert response.status_code == 400 and response.json()["code"] == "invalid_type"
    settings.MEIJIA = {**settings.MEIJIA, "CARD_PHOTO_MAX_BYTES": 32}
    big = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    response = client.post(url, {"photo": big}, format="multipart")
    assert response.status_code == 400 and response.json()["code"] == "too_large"
    assert not ServiceCard.objects.filter(worker=worker).exclude(photo="").exists()
    settings.MEIJIA = {**settings.MEIJIA, "CARD_PHOTO_MAX_BYTES": 1024}
    good = SimpleUploadedFile("me.png", PNG, content_type="image/png")
    body = client.post(url, {"photo": good}, format="multipart").json()
    assert body["photo_url"]
    token = body["token"]
    photo = Client().get(f"/card/{token}/photo/")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"  # re-encoded
    assert Client().get("/card/forged/photo/").status_code == 404
