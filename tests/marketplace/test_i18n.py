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


def _unquote(lines: list[str]) -> str:
    text = "".join(line.strip()[1:-1] for line in lines)
    return text.encode("latin-1", "backslashreplace").decode("unicode_escape")


def po_entries(path: Path) -> list[dict]:
    """The live entries of a .po file: msgid, msgstr (or msgstr[0]), flags, references."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        fields: dict[str, list[str]] = {}
        flags, references, current = set(), [], None
        for line in lines:
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#:"):
                references += line[2:].split()
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[current].append(line)
            else:
                current, _, value = line.partition(" ")
                fields[current] = [value]
        entries.append(
            {
                "msgid": _unquote(fields["msgid"]),
                "msgctxt": _unquote(fields["msgctxt"]) if "msgctxt" in fields else None,
                "msgstr": _unquote(fields.get("msgstr") or fields.get("msgstr[0]") or ['""']),
                "flags": flags,
                "references": references,
            }
        )
    return entries


EN_CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_english_catalogue_translates_every_project_string():
    """Every source string of the whole project (all apps, templates) has a checked English
    translation: none empty, none fuzzy. Run `make messages` and translate what it adds."""
    entries = [entry for entry in po_entries(EN_CATALOGUE) if entry["msgid"]]
    assert len(entries) > 500
    apps = {ref.split("/")[0] for entry in entries for ref in entry["references"]}
    assert {"marketplace", "orders", "notifications", "backend"} <= apps
    untranslated = [
        (entry["msgid"], entry["references"][:1]) for entry in entries if not entry["msgstr"]
    ]
    fuzzy = [(entry["msgid"], entry["msgstr"]) for entry in entries if "fuzzy" in entry["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_english_placeholders_match_their_source():
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]")
    wrong = [
        entry["msgid"]
        for entry in po_entries(EN_CATALOGUE)
        if sorted(placeholder.findall(entry["msgid"]))
        != sorted(placeholder.findall(entry["msgstr"]))
        and entry["msgid"]
    ]
    assert wrong == []


def test_compiled_english_catalogue_matches_its_source():
    """The shipped .mo was compiled from the current .po (`compilemessages` after editing)."""
    import gettext

    with (EN_CATALOGUE.with_suffix(".mo")).open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    stale = [
        entry["msgid"]
        for entry in po_entries(EN_CATALOGUE)
        if entry["msgid"]
        and (
            catalogue.pgettext(entry["msgctxt"], entry["msgid"])
            if entry["msgctxt"]
            else catalogue.gettext(entry["msgid"])
        )
        != entry["msgstr"]
    ]
    assert stale == []


@pytest.mark.django_db
def test_order_errors_follow_the_language():
    from tests.conftest import client_for
    from tests.orders.flow_helpers import order_in

    order = order_in("confirmed", starts_at=factories.future(5))
    client = client_for(order.worker.user)
    zh = client.post(f"/api/v1/orders/{order.pk}/check-in/")
    en = client.post(f"/api/v1/orders/{order.pk}/check-in/", HTTP_ACCEPT_LANGUAGE="en")
    assert (zh.status_code, en.status_code) == (409, 409)
    assert zh.json()["detail"] == "服务开始前120分钟内才能签到。"
    assert en.json()["detail"] == "You can check in only within 120 minutes before the start."
    missing = client.post(
        f"/api/v1/orders/{order.pk}/cancel/", {"reason": " "}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert missing.status_code == 400
    assert missing.json()["detail"] == "Give a reason for cancelling."


@pytest.mark.django_db
def test_chat_errors_follow_the_language():
    from tests.conftest import client_for
    from tests.orders.flow_helpers import order_in

    order = order_in("confirmed")
    client = client_for(order.household)
    url = f"/api/v1/orders/{order.pk}/messages/"
    zh = client.post(url, {"body": "x" * 2001}, format="json")
    en = client.post(url, {"body": "x" * 2001}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert (zh.status_code, en.status_code) == (400, 400)
    assert zh.json()["detail"] == "消息不能超过 2000 个字符。"
    assert en.json()["detail"] == "A message cannot be longer than 2000 characters."
    empty = client.post(url, {"body": ""}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert empty.json()["detail"] == "The message must not be empty."
