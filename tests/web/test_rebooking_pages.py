"""Booking her again on the phone: favourites, 再约一次 and the worker's returning households,
through the pages (session clients) and in Chromium."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from orders.models import FavouriteWorker, Offer, ServiceRequest
from orders.statuses import OfferSource, OrderStatus
from tests import factories
from tests.orders.flow_helpers import order_in
from tests.web.conftest import browser, live_url, phone, session_client  # noqa: F401
from tests.web.test_browser_flow import local_input, session_cookie, shot


def _form_times(hours_ahead: float = 72) -> dict:
    starts_at = factories.future(hours_ahead)
    return {
        "starts_at": local_input(starts_at),
        "ends_at": local_input(starts_at + dt.timedelta(hours=2)),
    }


@pytest.mark.django_db
def test_order_page_offers_favourite_and_rebook_only_to_the_household_of_a_finished_order():
    finished = order_in(OrderStatus.COMPLETED)
    page = session_client(finished.household).get(f"/orders/{finished.pk}/")
    assert b"data-rebooking-actions" in page.content
    for user in (finished.worker.user,):
        assert (
            b"data-rebooking-actions"
            not in session_client(user).get(f"/orders/{finished.pk}/").content
        )
    live = order_in(OrderStatus.CONFIRMED)
    assert (
        b"data-rebooking-actions"
        not in session_client(live.household).get(f"/orders/{live.pk}/").content
    )


@pytest.mark.django_db
def test_pages_refuse_other_roles_and_strangers():
    finished = order_in(OrderStatus.COMPLETED)
    other = factories.HouseholdFactory().user
    assert session_client(other).get(f"/orders/{finished.pk}/rebook/").status_code == 404
    posted = session_client(other).post(f"/orders/{finished.pk}/rebook/", _form_times())
    assert posted.status_code == 404
    toggled = session_client(other).post(f"/favourites/{finished.worker_id}/toggle/")
    assert toggled.status_code == 302  # refused with a message, nothing kept
    assert not FavouriteWorker.objects.exists()
    worker = finished.worker.user
    assert session_client(worker).get("/favourites/").status_code == 404
    assert session_client(finished.household).get("/worker/asked-again/").status_code == 404
    anonymous = session_client().get("/favourites/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert ServiceRequest.objects.count() == 1


@pytest.mark.django_db
def test_rebook_form_shows_the_refusal_and_keeps_what_was_typed():
    finished = order_in(OrderStatus.COMPLETED)
    client = session_client(finished.household)
    times = _form_times()
    times["ends_at"] = times["starts_at"]
    response = client.post(
        f"/orders/{finished.pk}/rebook/", {**times, "description": "带上拖把<b>"}
    )
    assert response.status_code == 200
    assert "带上拖把&lt;b&gt;".encode() in response.content
    assert b"data-field-error" in response.content or b"errorlist" in response.content
    assert ServiceRequest.objects.count() == 1


@pytest.mark.django_db
def test_pages_in_english():
    finished = order_in(OrderStatus.COMPLETED)
    FavouriteWorker.objects.create(household=finished.household, worker=finished.worker)
    page = session_client(finished.household, language="en").get("/favourites/")
    assert b"Favourite workers" in page.content and b"Book again" in page.content
    worker_page = session_client(finished.worker.user, language="en").get("/worker/asked-again/")
    assert b"Households that booked you again" in worker_page.content


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_household_keeps_her_and_books_her_again_and_she_sees_it(live_url, phone):  # noqa: F811
    finished = order_in(OrderStatus.COMPLETED)
    household_page = phone().new_page()
    household_page.context.add_cookies([session_cookie(finished.household, live_url)])
    household_page.goto(f"{live_url}/orders/{finished.pk}/")
    household_page.click("[data-action=favourite]")
    household_page.wait_for_selector("[data-action=favourite][data-favourite='1']")
    household_page.click("[data-nav-favourites]")
    household_page.wait_for_selector(f"[data-favourite-worker='{finished.worker_id}']")
    assert household_page.inner_text("[data-favourite-name]").strip() == finished.worker.real_name
    shot(household_page, "favourites")
    household_page.click("[data-favourite-worker] [data-action=rebook]")
    times = _form_times(96)
    household_page.fill("#id_starts_at", times["starts_at"])
    household_page.fill("#id_ends_at", times["ends_at"])
    household_page.click("[data-action=rebook-submit]")
    household_page.wait_for_url("**/requests/*/")
    new_request = ServiceRequest.objects.exclude(pk=finished.request_id).get()
    assert new_request.preferred_worker_id == finished.worker_id
    offer = Offer.objects.get(request=new_request)
    assert offer.source == OfferSource.REBOOKING and offer.worker_id == finished.worker_id

    worker_page = phone().new_page()
    worker_page.context.add_cookies([session_cookie(finished.worker.user, live_url)])
    worker_page.goto(f"{live_url}/worker/offers/")
    worker_page.wait_for_selector(f"[data-offer='{offer.pk}'] [data-asked-again-offer]")
    shot(worker_page, "asked-again-offer")
    worker_page.goto(f"{live_url}/worker/profile/")
    worker_page.click("[data-asked-again-link]")
    worker_page.wait_for_selector("[data-asked-again-count='1']")
    assert str(finished.household) in worker_page.inner_text("[data-asked-again-row]")

    english = phone("en-US").new_page()
    english.context.add_cookies(
        [
            session_cookie(finished.household, live_url),
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_url},
        ]
    )
    english.goto(f"{live_url}/favourites/")
    assert "Book again" in english.inner_text("[data-favourite-worker] [data-action=rebook]")
