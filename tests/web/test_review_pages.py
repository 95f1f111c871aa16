"""Reviews on the phone: reply and report under a review, tag chips when writing one, tag
counts on her pages, the operator's report queue (session clients, then Chromium)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.models import Category, WorkerProfile
from orders.models import Review, ReviewReport
from orders.services.review_voice import review_report, review_report_uphold
from orders.services.reviews import review_create
from tests import factories
from tests.web.conftest import browser, live_url, phone, session_client  # noqa: F401
from tests.web.test_browser_flow import session_cookie, shot


def completed_order(**kwargs):
    return factories.OrderFactory(
        request=factories.ServiceRequestFactory(
            category=Category.objects.get(code="housekeeper"), status="matched"
        ),
        status="completed",
        completed_at=timezone.now() - dt.timedelta(days=1),
        **kwargs,
    )


def reviewed_order(tags=("punctual",)):
    order = completed_order()
    of_worker = review_create(
        order_id=order.pk, user=order.household, rating=2, comment="<迟到>", tags=list(tags)
    )
    review_create(order_id=order.pk, user=order.worker.user, rating=5, comment="好相处")
    return order, of_worker


@pytest.mark.django_db
def test_reply_and_report_forms_keep_bad_input_next_to_the_field():
    order, of_worker = reviewed_order()
    worker = session_client(order.worker.user)
    page = worker.get("/worker/reviews/").content.decode()
    assert "data-reply-form" in page and "&lt;迟到&gt;" in page and "<迟到>" not in page
    assert 'data-tag="punctual"' in page
    empty = worker.post(f"/reviews/{of_worker.pk}/reply/", {f"reply-{of_worker.pk}-reply": " "})
    assert empty.status_code == 400 and b'data-field-error="reply"' in empty.content
    assert Review.objects.get(pk=of_worker.pk).replied_at is None
    done = worker.post(
        f"/reviews/{of_worker.pk}/reply/",
        {f"reply-{of_worker.pk}-reply": "<抱歉>", "next": "/worker/reviews/"},
    )
    assert done.status_code == 302 and done["Location"] == "/worker/reviews/"
    after = worker.get("/worker/reviews/").content.decode()
    assert "&lt;抱歉&gt;" in after and "data-reply-form" not in after

    household = session_client(order.household)
    bad = household.post(f"/reviews/{of_worker.pk}/report/", {f"report-{of_worker.pk}-reason": "x"})
    assert bad.status_code == 400 and b'data-field-error="reason"' in bad.content
    outside = session_client(factories.HouseholdFactory().user).post(
        f"/reviews/{of_worker.pk}/report/", {f"report-{of_worker.pk}-reason": "abuse"}
    )
    assert outside.status_code == 404
    assert not ReviewReport.objects.exists()
    household.post(f"/reviews/{of_worker.pk}/report/", {f"report-{of_worker.pk}-reason": "abuse"})
    assert ReviewReport.objects.get().reporter == order.household
    assert b"data-reported" in household.get(f"/orders/{order.pk}/").content


@pytest.mark.django_db
def test_operator_page_is_for_operators_and_hiding_needs_a_reason():
    order, of_worker = reviewed_order()
    report = review_report(review_id=of_worker.pk, user=order.worker.user, reason="abuse")
    for user in (
        order.household,
        order.worker.user,
        factories.AgencyStaffFactory().user,
        factories.FederationOfficerFactory().user,
    ):
        client = session_client(user)
        assert client.get("/safety/review-reports/").status_code == 404
        hide = client.post(f"/safety/review-reports/{report.pk}/hide/", {"x": "y"})
        assert hide.status_code == 404
    anonymous = session_client().get("/safety/review-reports/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]

    operator = session_client(factories.operator_user())
    page = operator.get("/safety/review-reports/").content.decode()
    assert f'data-review-report="{report.pk}"' in page and "&lt;迟到&gt;" in page
    empty = operator.post(
        f"/safety/review-reports/{report.pk}/hide/", {f"hide-{report.pk}-reason": ""}
    )
    assert empty.status_code == 400 and b'data-field-error="reason"' in empty.content
    assert Review.objects.get(pk=of_worker.pk).hidden_at is None
    operator.post(f"/safety/review-reports/{report.pk}/hide/", {f"hide-{report.pk}-reason": "辱骂"})
    assert Review.objects.get(pk=of_worker.pk).hidden_reason == "辱骂"
    assert b"data-no-reports" in operator.get("/safety/review-reports/").content

    author_view = session_client(order.household).get(f"/orders/{order.pk}/").content.decode()
    assert "data-review-hidden" in author_view and "辱骂" in author_view
    worker_view = session_client(order.worker.user).get(f"/orders/{order.pk}/").content.decode()
    assert "&lt;迟到&gt;" not in worker_view


@pytest.mark.django_db
def test_tag_chips_for_the_household_only_and_public_counts_in_english():
    order = completed_order()
    household_page = session_client(order.household).get(f"/orders/{order.pk}/").content.decode()
    assert "data-review-tag-choices" in household_page and "准时" in household_page
    worker_page = session_client(order.worker.user).get(f"/orders/{order.pk}/").content.decode()
    assert "data-review-tag-choices" not in worker_page
    wrong = session_client(order.household).post(
        f"/orders/{order.pk}/review/", {"rating": "5", "tags": ["good_meals"]}
    )
    assert wrong.status_code == 400 and b'data-field-error="tags"' in wrong.content
    assert not Review.objects.exists()

    shown, of_worker = reviewed_order(tags=("punctual", "clean"))
    hidden, bad = reviewed_order(tags=("quick",))
    english = session_client(factories.HouseholdFactory().user, language="en")
    page = english.get(f"/workers/{shown.worker_id}/reviews/").content.decode()
    assert "Punctual" in page and "Clean work" in page
    report = review_report(review_id=bad.pk, user=hidden.worker.user, reason="abuse")
    review_report_uphold(report_id=report.pk, operator=factories.operator_user(), reason="辱骂")
    gone = english.get(f"/workers/{hidden.worker_id}/reviews/").content.decode()
    assert "data-no-reviews" in gone and "data-no-tags" in gone
    assert session_client().get(f"/workers/{shown.worker_id}/reviews/").status_code == 302


# --- in the browser ----------------------------------------------------------------------------


def _page(phone, user, live_url):  # noqa: F811
    page = phone().new_page()
    page.context.add_cookies([session_cookie(user, live_url)])
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_worker_replies_under_a_review_and_the_household_reads_it(live_url, phone):  # noqa: F811
    order, of_worker = reviewed_order()
    worker = _page(phone, order.worker.user, live_url)
    worker.goto(f"{live_url}/worker/reviews/")
    worker.fill(f"#id_reply-{of_worker.pk}-reply", "那天下雨堵车，下次提前出门")
    worker.click("[data-action=reply]")
    worker.wait_for_selector("[data-review-reply]")
    assert "下次提前出门" in worker.inner_text("[data-review-reply]")
    assert worker.query_selector("[data-reply-form]") is None
    shot(worker, "review-reply")
    household = _page(phone, order.household, live_url)
    household.goto(f"{live_url}/orders/{order.pk}/")
    household.wait_for_selector("[data-own-review] [data-review-reply]")
    assert Review.objects.get(pk=of_worker.pk).reply == "那天下雨堵车，下次提前出门"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_worker_reports_and_the_operator_hides_with_a_reason(live_url, phone):  # noqa: F811
    order, of_worker = reviewed_order()
    worker = _page(phone, order.worker.user, live_url)
    worker.goto(f"{live_url}/orders/{order.pk}/")
    worker.click(f"#report-{of_worker.pk} summary")
    worker.select_option(f"#id_report-{of_worker.pk}-reason", "personal_data")
    worker.fill(f"#id_report-{of_worker.pk}-note", "写了我家的地址")
    worker.click("[data-action=report]")
    worker.wait_for_selector("[data-reported]")

    operator = _page(phone, factories.operator_user(), live_url)
    operator.goto(f"{live_url}/safety/review-reports/")
    report = ReviewReport.objects.get()
    assert "写了我家的地址" in operator.inner_text(f"[data-review-report='{report.pk}']")
    shot(operator, "review-reports")
    operator.fill(f"#id_hide-{report.pk}-reason", "含他人住址")
    operator.click("[data-action=hide-review]")
    operator.wait_for_selector("[data-no-reports]")

    household = _page(phone, order.household, live_url)
    household.goto(f"{live_url}/orders/{order.pk}/")
    household.wait_for_selector("[data-review-hidden]")
    assert "含他人住址" in household.inner_text("[data-review-hidden]")
    worker_profile = WorkerProfile.objects.get(pk=order.worker_id)
    assert (worker_profile.rating_sum, worker_profile.rating_count) == (0, 0)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_household_picks_tag_chips_and_they_count_on_her_profile(live_url, phone):  # noqa: F811
    order = completed_order()
    household = _page(phone, order.household, live_url)
    household.goto(f"{live_url}/orders/{order.pk}/")
    household.check("[data-review-form] input[name=rating][value='5']")
    household.check("[data-review-tag-choices] input[value=punctual]")
    household.check("[data-review-tag-choices] input[value=careful]")
    household.fill("[data-review-form] textarea[name=comment]", "准时又细心")
    shot(household, "review-tags")
    household.click("[data-action=review]")
    household.wait_for_selector("[data-own-review] [data-review-tags]")
    review_create(order_id=order.pk, user=order.worker.user, rating=5)

    worker = _page(phone, order.worker.user, live_url)
    worker.goto(f"{live_url}/worker/profile/")
    counts = worker.inner_text("[data-tag-counts]")
    assert "准时" in counts and "细心" in counts
    other = _page(phone, factories.HouseholdFactory().user, live_url)
    other.goto(f"{live_url}/workers/{order.worker_id}/reviews/")
    assert "1" in other.inner_text("[data-tag='punctual']")
