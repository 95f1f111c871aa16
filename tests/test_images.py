"""Every stored image is a fresh, metadata-free JPEG: GPS EXIF sent through the API, the web
form or the admin never reaches the disk or the public card; pixel bombs and non-images get a
clear 400 and change nothing; and no file field exists that skips the re-encoding."""

import io

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from PIL import ExifTags, Image

from backend.exceptions import ValidationFailed
from backend.images import CleanImageField, reencode_image
from marketplace.models import ServiceCard
from tests import factories
from tests.conftest import client_for

API = "/api/v1/workers/me/card/photo/"
GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (36.0, 50.0, 25.0),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (115.0, 42.0, 11.0),
}


def jpeg_with_gps(size=(640, 480), orientation=None) -> bytes:
    image = Image.new("RGB", size, (200, 60, 90))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.ImageDescription] = "home of 王秀英"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"secret comment")
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # precondition
    return data


def png_bytes(size=(32, 32), mode="RGBA") -> bytes:
    out = io.BytesIO()
    image = Image.new(mode, size)
    image.info["Comment"] = "where I live"
    image.save(out, format="PNG")
    return out.getvalue()


def bomb_png(side=20_000) -> bytes:
    """A small file that claims side × side pixels (a 1-bit image compresses to almost nothing)."""
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, format="PNG")
    return out.getvalue()


def assert_clean_jpeg(data: bytes, max_side=1600):
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert not image.getexif(), dict(image.getexif())
    assert b"Exif" not in data and b"PhoneMaker" not in data and b"secret comment" not in data
    assert "comment" not in image.info and "exif" not in image.info
    assert max(image.size) <= max_side


# --- the unit ---------------------------------------------------------------------------------


def test_reencode_strips_metadata_applies_orientation_and_caps_size():
    out = reencode_image(io.BytesIO(jpeg_with_gps(size=(4000, 1000), orientation=6)))
    data = out.read()
    assert_clean_jpeg(data)
    # Orientation 6 (rotated 90°) is applied to the pixels before the tag is dropped.
    assert Image.open(io.BytesIO(data)).size == (400, 1600)


@pytest.mark.parametrize(
    "data",
    [
        b"<script>alert(1)</script>",
        b"\xff\xd8\xff\xe0" + b"\x00" * 40,  # a JPEG's signature and nothing else
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",  # a GIF is not accepted
        b"%PDF-1.4 not a picture",
        b"",
    ],
)
def test_non_images_are_invalid_type(data):
    with pytest.raises(ValidationFailed) as caught:
        reencode_image(io.BytesIO(data))
    assert caught.value.code == "invalid_type" and caught.value.field == "photo"


def test_pixel_bombs_are_too_large():
    with pytest.raises(ValidationFailed) as caught:
        reencode_image(io.BytesIO(bomb_png()))
    assert caught.value.code == "too_large"


def test_every_file_field_in_the_project_re_encodes():
    """A new FileField or ImageField on any model must be a CleanImageField (or be added here
    with the reason it holds no image)."""
    plain = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField) and not isinstance(field, CleanImageField)
    ]
    assert plain == []


# --- through the API, the web form and the admin -----------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_and_served(worker) -> tuple[bytes, bytes]:
    card = ServiceCard.objects.get(worker=worker)
    with card.photo.open("rb") as handle:
        stored = handle.read()
    token = client_for(worker.user).get("/api/v1/workers/me/card/").json()["token"]
    response = Client().get(f"/card/{token}/photo/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    return stored, b"".join(response.streaming_content)


@pytest.mark.django_db
def test_gps_jpeg_through_the_api_is_stored_and_served_clean(media):
    worker = factories.WorkerFactory()
    upload = SimpleUploadedFile("me.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client_for(worker.user).post(API, {"photo": upload}, format="multipart")
    assert response.status_code == 200, response.content
    stored, served = stored_and_served(worker)
    assert stored == served
    assert_clean_jpeg(served)
    assert ServiceCard.objects.get(worker=worker).photo.name.endswith(".jpg")


@pytest.mark.django_db
def test_gps_jpeg_through_the_web_form_is_stored_and_served_clean(media):
    worker = factories.WorkerFactory()
    web = Client()
    web.force_login(worker.user)
    upload = SimpleUploadedFile("me.jpg", jpeg_with_gps(), content_type="image/jpeg")
    assert web.post("/worker/card/photo/", {"photo": upload}).status_code == 302
    stored, served = stored_and_served(worker)
    assert stored == served
    assert_clean_jpeg(served)


@pytest.mark.django_db
def test_gps_jpeg_through_the_admin_is_stored_clean(media):
    operator = factories.UserFactory(is_staff=True, is_superuser=True)
    card = ServiceCard.objects.create(worker=factories.WorkerFactory())
    web = Client()
    web.force_login(operator)
    page = web.get(f"/admin/marketplace/servicecard/{card.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        name: form.initial.get(name, "") if not hasattr(form.initial.get(name), "pk") else ""
        for name in form.fields
    }
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["worker"] = card.worker_id
    data["photo"] = SimpleUploadedFile("me.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = web.post(f"/admin/marketplace/servicecard/{card.pk}/change/", data)
    assert response.status_code == 302, response.content[:2000]
    card.refresh_from_db()
    with card.photo.open("rb") as handle:
        assert_clean_jpeg(handle.read())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, data, code",
    [
        ("x.png", b"<script>alert(1)</script>", "invalid_type"),
        ("x.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 40, "invalid_type"),
        ("x.csv", b"a,b\n1,2\n", "invalid_type"),
        ("bomb.png", None, "too_large"),
    ],
)
def test_bad_files_get_a_clear_400_and_change_nothing(media, name, data, code):
    worker = factories.WorkerFactory()
    client = client_for(worker.user)
    good = SimpleUploadedFile("me.png", png_bytes(), content_type="image/png")
    assert client.post(API, {"photo": good}, format="multipart").status_code == 200
    before = ServiceCard.objects.get(worker=worker).photo.name
    upload = SimpleUploadedFile(name, bomb_png() if data is None else data, "image/png")
    response = client.post(API, {"photo": upload}, format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code and body["detail"], body
    assert ServiceCard.objects.get(worker=worker).photo.name == before
    web = Client()
    web.force_login(worker.user)
    upload.seek(0)
    page = web.post("/worker/card/photo/", {"photo": upload}, follow=True)
    assert body["detail"] in page.content.decode()
    assert ServiceCard.objects.get(worker=worker).photo.name == before
