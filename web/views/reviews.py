"""Review pages: the reply and report forms under a review, a worker's public reviews with her
tag counts, and the operator's queue of reported reviews."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.exceptions import DomainError, ValidationFailed
from marketplace.models import WorkerProfile
from orders.models import Review, ReviewReport
from orders.selectors_reviews import review_reports, worker_tag_counts
from orders.services import review_voice
from orders.services.reviews import reviews_of_worker
from orders.statuses import Party
from web.forms import apply_errors
from web.forms_reviews import DismissForm, HideForm, ReplyForm, ReportForm
from web.views.common import refused

REVIEWED_PARTY = review_voice.REVIEWED_PARTY


def review_cards(*, reviews, user, party: str | None, may_report: bool = True) -> list[dict]:
    """Each review with what this user may do under it: reply (the reviewed side, once, on a
    published review) and report (a household or worker of the order, once)."""
    reviews = list(reviews)
    reported = set(
        ReviewReport.objects.filter(reporter_id=user.pk, review__in=reviews).values_list(
            "review_id", flat=True
        )
    )
    cards = []
    for review in reviews:
        visible = review.published_at is not None and review.hidden_at is None
        can_reply = (
            visible
            and not review.replied_at
            and review.author_id != user.pk
            and party == REVIEWED_PARTY.get(review.author_party)
        )
        can_report = may_report and visible and party in REVIEWED_PARTY
        cards.append(
            {
                "review": review,
                "is_own": review.author_id == user.pk,
                "reply_form": ReplyForm(prefix=f"reply-{review.pk}") if can_reply else None,
                "report_form": ReportForm(prefix=f"report-{review.pk}")
                if can_report and review.pk not in reported
                else None,
                "reported": review.pk in reported,
            }
        )
    return cards


def _back(request, review: Review) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("web:order", args=[review.order_id])


def _review_or_404(review_id: int) -> Review:
    return get_object_or_404(Review.objects.select_related("order"), pk=review_id)


def _form_page(request, *, review, form, kind: str):
    """The one form again with its errors next to the field (400)."""
    context = {"review": review, "form": form, "kind": kind, "next": _back(request, review)}
    return render(request, "web/reviews/form.html", context, status=400)


@login_required
@require_POST
def reply(request, review_id: int):
    review = _review_or_404(review_id)
    form = ReplyForm(request.POST, prefix=f"reply-{review.pk}")
    if form.is_valid():
        try:
            review_voice.review_reply(
                review_id=review.pk, user=request.user, reply=form.cleaned_data["reply"]
            )
        except ValidationFailed as error:
            apply_errors(form, {error.field or "non_field_errors": [error.detail]})
        except DomainError as error:
            return refused(request, error, _back(request, review))
        else:
            messages.success(request, _("回复已公开。"))
            return redirect(_back(request, review))
    return _form_page(request, review=review, form=form, kind="reply")


@login_required
@require_POST
def report(request, review_id: int):
    review = _review_or_404(review_id)
    form = ReportForm(request.POST, prefix=f"report-{review.pk}")
    if form.is_valid():
        try:
            review_voice.review_report(
                review_id=review.pk,
                user=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationFailed as error:
            apply_errors(form, {error.field or "non_field_errors": [error.detail]})
        except DomainError as error:
            return refused(request, error, _back(request, review))
        else:
            messages.success(request, _("举报已提交，平台运营人员会尽快处理。"))
            return redirect(_back(request, review))
    return _form_page(request, review=review, form=form, kind="report")


@login_required
def worker_reviews(request, worker_id: int):
    """A worker's public reviews, replies and tag counts, for every signed-in user."""
    worker = get_object_or_404(WorkerProfile.objects.select_related("user"), pk=worker_id)
    is_herself = worker.user_id == request.user.pk
    cards = review_cards(
        reviews=reviews_of_worker(worker_id=worker.pk)[:50],
        user=request.user,
        party=Party.WORKER if is_herself else None,
    )
    context = {
        "worker": worker,
        "cards": cards,
        "tag_counts": worker_tag_counts(worker_id=worker.pk),
        "is_herself": is_herself,
    }
    return render(request, "web/reviews/worker.html", context)


def _operator_only(request) -> None:
    if not request.user.is_operator:
        raise Http404


def _report_rows(forms: dict | None = None) -> list[dict]:
    forms = forms or {}
    return [
        {
            "report": report,
            "hide_form": forms.get(("hide", report.pk)) or HideForm(prefix=f"hide-{report.pk}"),
            "dismiss_form": forms.get(("dismiss", report.pk))
            or DismissForm(prefix=f"dismiss-{report.pk}"),
        }
        for report in review_reports()[:100]
    ]


@login_required
def reports_page(request):
    """The operator's open review reports: hide the review with a reason, or dismiss."""
    _operator_only(request)
    return render(request, "web/reviews/reports.html", {"rows": _report_rows()})


@login_required
@require_POST
def report_decide(request, report_id: int, decision: str):
    _operator_only(request)
    report_row = get_object_or_404(ReviewReport, pk=report_id)
    form_class = HideForm if decision == "hide" else DismissForm
    form = form_class(request.POST, prefix=f"{decision}-{report_row.pk}")
    if form.is_valid():
        try:
            if decision == "hide":
                review_voice.review_report_uphold(
                    report_id=report_row.pk,
                    operator=request.user,
                    reason=form.cleaned_data["reason"],
                )
            else:
                review_voice.review_report_dismiss(
                    report_id=report_row.pk,
                    operator=request.user,
                    note=form.cleaned_data.get("note", ""),
                )
        except ValidationFailed as error:
            apply_errors(form, {error.field or "non_field_errors": [error.detail]})
        except DomainError as error:
            return refused(request, error, reverse("web:review-reports"))
        else:
            done = _("评价已隐藏。") if decision == "hide" else _("举报已驳回。")
            messages.success(request, done)
            return redirect("web:review-reports")
    rows = _report_rows({(decision, report_row.pk): form})
    return render(request, "web/reviews/reports.html", {"rows": rows}, status=400)


ROUTES = [
    path("reviews/<int:review_id>/reply/", reply, name="review-reply"),
    path("reviews/<int:review_id>/report/", report, name="review-report"),
    path("workers/<int:worker_id>/reviews/", worker_reviews, name="worker-public-reviews"),
    path("safety/review-reports/", reports_page, name="review-reports"),
    path(
        "safety/review-reports/<int:report_id>/hide/",
        report_decide,
        {"decision": "hide"},
        name="review-report-hide",
    ),
    path(
        "safety/review-reports/<int:report_id>/dismiss/",
        report_decide,
        {"decision": "dismiss"},
        name="review-report-dismiss",
    ),
]
