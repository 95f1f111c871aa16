"""What happens to a review after it is published: the reviewed side replies once, either side
reports it, and an operator hides it (or dismisses the report).

Every write here locks the review's order row first (orders.locks.lock_order, the row that
publishing locks), so a reply, a hide and a publish of the same order's reviews run one after
another. Only a published review can be replied to, reported or hidden, and a published review
never becomes unpublished, so hiding one always takes back exactly what publishing counted:
the conditional UPDATE … WHERE hidden_at IS NULL decides which caller moves the worker's
rating counters (F()) and the metrics rollup (`order_facts_changed`), so a review is taken out
at most once.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import Conflict, NotFound, PermissionDeniedError, ValidationFailed
from backend.fact_changes import order_facts_changed
from marketplace.models import Role, User, WorkerProfile
from notifications.events import NOTIFICATION, send_event_on_commit
from orders.locks import lock_order
from orders.models import Review, ReviewReport
from orders.models.reviews import (
    MAX_HIDDEN_REASON_LENGTH,
    MAX_REPLY_LENGTH,
    MAX_REPORT_NOTE_LENGTH,
)
from orders.parties import party_of
from orders.statuses import Party

REVIEWED_PARTY = {Party.HOUSEHOLD: Party.WORKER, Party.WORKER: Party.HOUSEHOLD}


def _locked_review(review_id: int) -> Review | None:
    """The review with its order row locked (None when there is no such review)."""
    order_id = Review.objects.filter(pk=review_id).values_list("order_id", flat=True).first()
    if order_id is None:
        return None
    order = lock_order(order_id, related=("worker",))
    review = Review.objects.filter(pk=review_id).first()
    if review is not None:
        review.order = order
    return review


def _text(value, *, limit: int, field: str, required: bool, message: str) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise ValidationFailed(_("请输入文字。"), field=field)
    if required and not text:
        raise ValidationFailed(message, field=field)
    if len(text) > limit:
        raise ValidationFailed(
            _("不能超过%(limit)s字。") % {"limit": limit}, field=field, code="too_long"
        )
    return text


def review_reply(*, review_id: int, user: User, reply: str) -> Review:
    """The reviewed side answers a published review, once, publicly.

    Locks the review's order row. Raises NotFound (no such review, or the user no party who can
    see it), PermissionDeniedError "not_reviewed_party" (the author or agency staff),
    ValidationFailed (reply), Conflict "review_not_published", "review_hidden",
    "already_replied".
    """
    reply = _text(
        reply,
        limit=MAX_REPLY_LENGTH,
        field="reply",
        required=True,
        message=_("请填写回复内容。"),
    )
    with transaction.atomic():
        review = _locked_review(review_id)
        party = party_of(user, review.order) if review is not None else None
        if party is None or (review.published_at is None and review.author_id != user.pk):
            raise NotFound(_("评价不存在。"))
        if party != REVIEWED_PARTY.get(review.author_party):
            raise PermissionDeniedError(_("只有被评价的一方可以回复。"), code="not_reviewed_party")
        if review.published_at is None:
            raise Conflict(_("评价公开后才能回复。"), code="review_not_published")
        if review.hidden_at is not None:
            raise Conflict(_("该评价已被隐藏。"), code="review_hidden")
        now = timezone.now()
        changed = Review.objects.filter(pk=review.pk, replied_at__isnull=True).update(
            reply=reply, replied_at=now
        )
        if not changed:
            raise Conflict(_("您已回复过这条评价。"), code="already_replied")
        review.reply, review.replied_at = reply, now
        send_event_on_commit(
            event_type=NOTIFICATION,
            recipients=[review.author_id],
            payload={
                "kind": "review.replied",
                "order": review.order_id,
                "message": _("对方回复了您的评价。"),
            },
        )
    return review


def review_report(*, review_id: int, user: User, reason: str, note: str = "") -> ReviewReport:
    """A party of the order reports a published review to the operator; once per user.

    Raises NotFound (no such review, or the user no household or worker of its order),
    ValidationFailed (reason, note), Conflict "review_not_published", "review_hidden",
    "already_reported" (the unique constraint decides a double submit).
    """
    if reason not in ReviewReport.Reason.values:
        raise ValidationFailed(_("请选择举报原因。"), field="reason")
    note = _text(note, limit=MAX_REPORT_NOTE_LENGTH, field="note", required=False, message="")
    review = Review.objects.select_related("order__worker").filter(pk=review_id).first()
    party = party_of(user, review.order) if review is not None else None
    if party not in REVIEWED_PARTY or (review.published_at is None and review.author_id != user.pk):
        raise NotFound(_("评价不存在。"))
    if review.published_at is None:
        raise Conflict(_("评价公开后才能举报。"), code="review_not_published")
    if review.hidden_at is not None:
        raise Conflict(_("该评价已被隐藏。"), code="review_hidden")
    try:
        with transaction.atomic():
            report = ReviewReport.objects.create(
                review=review, reporter=user, reporter_party=party, reason=reason, note=note
            )
    except IntegrityError as error:
        raise Conflict(_("您已举报过这条评价。"), code="already_reported") from error
    operators = list(
        User.objects.filter(role=Role.OPERATOR, is_active=True).values_list("pk", flat=True)
    )
    if operators:
        send_event_on_commit(
            event_type=NOTIFICATION,
            recipients=operators,
            payload={
                "kind": "review.reported",
                "report": report.pk,
                "message": _("有一条评价被举报，请处理。"),
            },
        )
    return report


def _require_operator(user: User) -> None:
    if not (user.is_authenticated and user.is_operator):
        raise PermissionDeniedError(_("只有平台运营人员可以处理举报。"), code="operator_only")


def _locked_open_report(report_id: int) -> tuple[ReviewReport, Review]:
    review_id = (
        ReviewReport.objects.filter(pk=report_id).values_list("review_id", flat=True).first()
    )
    review = _locked_review(review_id) if review_id is not None else None
    if review is None:
        raise NotFound(_("举报不存在。"))
    report = ReviewReport.objects.select_for_update().get(pk=report_id)
    if report.status != ReviewReport.Status.OPEN:
        raise Conflict(
            _("该举报已处理。"), code="report_resolved", extra={"current_status": report.status}
        )
    return report, review


def _take_out(*, review: Review, operator: User, reason: str, now) -> bool:
    """Hide the review and take it out of every rating; False if it was hidden already."""
    changed = Review.objects.filter(pk=review.pk, hidden_at__isnull=True).update(
        hidden_at=now, hidden_reason=reason, hidden_by=operator
    )
    if not changed:
        return False
    review.hidden_at, review.hidden_reason, review.hidden_by = now, reason, operator
    if review.author_party == Party.HOUSEHOLD:
        WorkerProfile.objects.filter(pk=review.order.worker_id).update(
            rating_sum=F("rating_sum") - review.rating,
            rating_count=F("rating_count") - 1,
        )
    order_facts_changed(order_id=review.order_id)
    send_event_on_commit(
        event_type=NOTIFICATION,
        recipients=[review.author_id],
        payload={
            "kind": "review.hidden",
            "order": review.order_id,
            "message": _("您的评价已被平台隐藏：%(reason)s") % {"reason": reason},
        },
    )
    return True


def review_report_uphold(*, report_id: int, operator: User, reason: str) -> ReviewReport:
    """The operator hides the reported review (with the reason its author sees); every open
    report of that review is closed with it.

    Locks the order row, then the report. Raises PermissionDeniedError (not an operator),
    NotFound, ValidationFailed (reason), Conflict "report_resolved".
    """
    _require_operator(operator)
    reason = _text(
        reason,
        limit=MAX_HIDDEN_REASON_LENGTH,
        field="reason",
        required=True,
        message=_("请填写隐藏原因，评价者会看到它。"),
    )
    now = timezone.now()
    with transaction.atomic():
        report, review = _locked_open_report(report_id)
        _take_out(review=review, operator=operator, reason=reason, now=now)
        ReviewReport.objects.filter(review=review, status=ReviewReport.Status.OPEN).update(
            status=ReviewReport.Status.UPHELD,
            resolved_at=now,
            resolved_by=operator,
            resolution_note=reason,
        )
        report.refresh_from_db()
    return report


def review_report_dismiss(*, report_id: int, operator: User, note: str = "") -> ReviewReport:
    """The operator keeps the review up and closes this report.

    Locks the order row, then the report. Raises PermissionDeniedError (not an operator),
    NotFound, ValidationFailed (note), Conflict "report_resolved".
    """
    _require_operator(operator)
    note = _text(note, limit=MAX_HIDDEN_REASON_LENGTH, field="note", required=False, message="")
    with transaction.atomic():
        report, _review = _locked_open_report(report_id)
        report.status = ReviewReport.Status.DISMISSED
        report.resolved_at = timezone.now()
        report.resolved_by = operator
        report.resolution_note = note
        report.save(update_fields=["status", "resolved_at", "resolved_by", "resolution_note"])
    return report
