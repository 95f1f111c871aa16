"""Errors answer in the site's shape: JSON with `code` and `detail` under /api/, a page of the web
app (her language, the navigation, a way home) everywhere else — for 404, 403, a refused form
(CSRF) and a crash; and the crash page is drawn even when its template cannot be."""

import pytest
from django.test import Client, RequestFactory

from tests import factories
from tests.web.conftest import session_client
from web.views import errors

pytestmark = pytest.mark.django_db


def test_an_unknown_api_path_is_json_not_found():
    response = Client().get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_an_unknown_page_is_a_page_of_the_app_in_her_language():
    household = factories.HouseholdFactory().user
    response = session_client(household).get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<main>" in html and "页面不存在" in html and 'href="/"' in html
    assert "我的需求" in html  # her navigation is there
    english = session_client(household, language="en").get("/no-such-page/")
    assert english.status_code == 404 and "Page not found" in english.content.decode()


def test_a_page_of_another_role_is_not_found_for_her():
    worker = factories.WorkerFactory().user
    response = session_client(worker).get("/federation/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_a_form_sent_without_its_token_says_the_page_expired():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "页面已过期" in html and "<main>" in html


@pytest.mark.urls("tests.web.error_urls")
def test_a_crash_is_a_500_page_or_json_without_the_trace():
    client = Client(raise_request_exception=False)
    page = client.get("/fails/")
    assert page.status_code == 500 and "服务器出错了" in page.content.decode()
    assert "RuntimeError" not in page.content.decode()
    api = client.get("/api/v1/fails/")
    assert api.status_code == 500 and api.json()["code"] == "server_error"


def test_the_crash_page_is_drawn_even_when_its_template_cannot_be(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database is down")

    monkeypatch.setattr(errors, "render", broken)
    request = RequestFactory().get("/orders/")
    response = errors.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html and "<main>" in html and "服务器出错了" in html
