"""Worker pages: live offers (accept / decline), schedule, profile and standing, reviews."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backend.exceptions import Conflict, DomainError, ValidationFailed
from marketplace.models import Category, Role, WorkerProfile
from marketplace.serializers import WorkerSelfSerializer
from marketplace.services.workers import worker_profile_update
from orders import selectors
from orders.selectors_reviews import worker_tag_counts
from orders.services.offers import offer_accept, offer_decline
from orders.services.reviews import reviews_of_worker
from orders.services.transitions import offers_seen_record
from orders.statuses import OfferStatus, OrderStatus, Party, RequestKind
from web.forms import WorkerProfileForm, apply_errors
from web.selectors import (
    reason_texts,
    worker_credentials,
    worker_schedule,
    worker_standing,
)
from web.selectors_checklist import worker_checklist
from web.views.common import refused, role_required, template_for
from web.views.reviews import review_cards

worker_only = role_required(Role.WORKER)


def _worker(request) -> WorkerProfile:
    return (
        WorkerProfile.objects.select_related("division", "user")
        .prefetch_related(Prefetch("categories", queryset=Category.objects.order_by("sort_order")))
        .get(user=request.user)
    )


@worker_only
def offers(request):
    now = timezone.now()
    pending = list(
        selectors.offers_of_worker(user=request.user, status=OfferStatus.PENDING).filter(
            expires_at__gt=now
        )
    )
    if not pending and not getattr(request, "htmx", False):
        checklist = worker_checklist(worker=request.user.worker)
        if not checklist.is_matchable:
            # Until she can be matched, her home is what she must still do, not an empty list.
            return render(request, "web/worker/checklist.html", {"checklist": checklist})
    offers_seen_record(offers=pending, actor=request.user)
    recent = list(
        selectors.offers_of_worker(user=request.user)
        .exclude(status=OfferStatus.PENDING)
        .select_related("order")[:10]
    )
    context = {
        "pending": pending,
        "recent": recent,
        "offer_statuses": OfferStatus.choices,
        "kinds": RequestKind.choices,
    }
    template = template_for(request, "web/worker/offers.html", "web/worker/_offers_panel.html")
    return render(request, template, context)


@worker_only
@require_POST
def offer_accept_view(request, offer_id: int):
    try:
        order = offer_accept(offer_id=offer_id, worker=request.user.worker)
    except Conflict as error:
        detail = error.detail
        reasons = reason_texts(error.extra.get("reasons", []))
        if reasons:
            detail = f"{detail} {' '.join(reasons)}"
        messages.error(request, detail)
        return redirect("web:offers")
    except DomainError as error:
        return refused(request, error, "/worker/offers/")
    messages.success(request, _("接单成功！请阅读并签署合同。"))
    return redirect("web:order", order_id=order.pk)


@worker_only
@require_POST
def offer_decline_view(request, offer_id: int):
    try:
        offer_decline(offer_id=offer_id, worker=request.user.worker)
    except DomainError as error:
        return refused(request, error, "/worker/offers/")
    messages.info(request, _("已拒绝该邀约。"))
    return redirect("web:offers")


@worker_only
def schedule(request):
    visits = list(worker_schedule(worker=request.user.worker)[:100])
    return render(
        request,
        "web/worker/schedule.html",
        {"visits": visits, "order_statuses": OrderStatus.choices},
    )


@worker_only
def profile(request):
    worker = _worker(request)
    general, trades = worker_standing(worker=worker)
    context = {
        "worker": worker,
        "general_reasons": general,
        "trades": trades,
        **worker_credentials(worker=worker),
        "today": timezone.localdate(),
        "tag_counts": worker_tag_counts(worker_id=worker.pk),
    }
    return render(request, "web/worker/profile.html", context)


@worker_only
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    worker = _worker(request)
    form = WorkerProfileForm(request.POST or None, initial=WorkerProfileForm.initial_for(worker))
    if request.method == "POST" and form.is_valid():
        serializer = WorkerSelfSerializer(worker, data=form.api_payload(), partial=True)
        if not serializer.is_valid():
            apply_errors(form, serializer.errors)
        else:
            try:
                worker_profile_update(worker=worker, **serializer.validated_data)
            except ValidationFailed as error:
                apply_errors(form, {error.field or "non_field_errors": [error.detail]})
            else:
                messages.success(request, _("资料已保存。"))
                return redirect("web:worker-profile")
    return render(request, "web/worker/profile_edit.html", {"form": form, "worker": worker})


@worker_only
def reviews(request):
    """Her published reviews with a reply form under each unanswered one, and her tag counts."""
    worker = request.user.worker
    cards = review_cards(
        reviews=reviews_of_worker(worker_id=worker.pk)[:50], user=request.user, party=Party.WORKER
    )
    context = {
        "worker": worker,
        "cards": cards,
        "tag_counts": worker_tag_counts(worker_id=worker.pk),
    }
    return render(request, "web/worker/reviews.html", context)
