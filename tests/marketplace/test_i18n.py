"""Chinese by default, English with Accept-Language: en; both catalogues ship compiled."""

from pathlib import Path

import pytest
from django.utils import translation

from tests import factories

ROOT = Path(__file__).resolve().parents[2]
REGISTER = "/api/v1/auth/register/"


def bad_phone_registration(client, **headers):
    body = {
        "username": "li",
        "password": "Linqing-2026-safe",
        "role": "household",
        "display_name": "李",
        "phone": "12345",
    }
    return client.post(REGISTER, body, format="json", **headers)


@pytest.mark.django_db
def test_validation_message_in_chinese_by_default(anon_client):
    response = bad_phone_registration(anon_client)
    assert response.status_code == 400
    assert response.data["fields"]["phone"] == ["请输入11位中国大陆手机号码。"]


@pytest.mark.django_db
def test_validation_message_in_english_on_request(anon_client):
    response = bad_phone_registration(anon_client, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.data["fields"]["phone"] == ["Enter an 11-digit mainland China mobile number."]


@pytest.mark.django_db
def test_service_error_in_both_languages(anon_client):
    factories.UserFactory(username="taken")
    body = {
        "username": "taken",
        "password": "Linqing-2026-safe",
        "role": "household",
        "display_name": "李",
        "phone": "13812345678",
    }
    zh = anon_client.post(REGISTER, body, format="json")
    en = anon_client.post(REGISTER, body, format="json", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert zh.data["detail"] == "该用户名已被使用。"
    assert en.data["detail"] == "This username is already taken."


@pytest.mark.django_db
def test_category_and_division_names_follow_the_language(anon_client):
    zh = anon_client.get("/api/v1/categories/").data["results"]
    en = anon_client.get("/api/v1/categories/", HTTP_ACCEPT_LANGUAGE="en").data["results"]
    assert zh[0]["name"] == "月嫂"
    assert en[0]["name"] == "Maternity nurse"
    assert en[0]["name_zh"] == "月嫂"  # both names are always there
    divisions = anon_client.get("/api/v1/divisions/", HTTP_ACCEPT_LANGUAGE="en").data
    assert divisions["results"][0]["name"] == "Qingnianlu Subdistrict"


@pytest.mark.django_db
def test_framework_messages_are_translated_too(anon_client):
    zh = anon_client.get("/api/v1/me/")
    en = anon_client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")
    assert en.data["detail"] == "Authentication credentials were not provided."
    assert zh.data["detail"] != en.data["detail"]


def test_model_labels_have_english_translations():
    from marketplace.models import Role, WorkerProfile

    with translation.override("en"):
        assert str(WorkerProfile._meta.verbose_name) == "Home-service worker"
        assert str(Role.HOUSEHOLD.label) == "Household"
    with translation.override("zh-hans"):
        assert str(WorkerProfile._meta.verbose_name) == "家政服务员"


@pytest.mark.parametrize("language", ["en", "zh_Hans"])
def test_catalogues_are_compiled_and_shipped(language):
    folder = ROOT / "locale" / language / "LC_MESSAGES"
    assert (folder / "django.po").exists()
    assert (folder / "django.mo").exists()


def test_english_catalogue_has_no_empty_translations_for_marketplace():
    text = (ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]
    untranslated = [
        entry
        for entry in entries
        if "marketplace/" in entry and entry.rstrip().endswith('msgstr ""')
    ]
    assert untranslated == []
