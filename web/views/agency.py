"""The agency console: roster, verification, dispatch, orders, contracts, disputes, staff and
the monthly statement.

Agency staff work in their own agency at /agency/…; an operator picks an agency and works at
/agency/<id>/… . Another agency's workers, credentials, orders or disputes are 404s, as in the
API (the services decide, through `agency_of_actor`, `worker_of_agency`,
`credential_of_agency`); owner-only actions are 403 for plain staff.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backend.exceptions import DomainError, NotFound, ValidationFailed
from marketplace import serializers_agencies as agency_serializers
from marketplace.models import Agency, AgencyStaff, Role, RosterEntry, TrainingKind
from marketplace.selectors import agencies as agency_selectors
from marketplace.services import agencies as agency_services
from marketplace.services import credentials as credential_services
from orders.models.payments import LedgerKind
from orders.payments import statements
from orders.services.dispatch import TOO_FAR, offer_dispatch
from orders.services.disputes import order_dispute_resolve
from orders.statuses import (
    ContractStatus,
    DisputeOutcome,
    DisputeStatus,
    OrderStatus,
    RequestKind,
)
from web.forms import apply_errors, yuan_to_fen
from web.forms_agency import (
    CREDENTIAL_FORMS,
    DispatchForm,
    DisputeResolveForm,
    EndReasonForm,
    MonthForm,
    RosterFilterForm,
    StaffCreateForm,
    StaffRoleForm,
    WorkerSearchForm,
)
from web.selectors import reason_texts
from web.selectors_agency import roster_rows, roster_worker_choices, workers_to_invite

CREDENTIAL_SERVICES = {
    "certificate": (
        agency_serializers.CertificateEntrySerializer,
        credential_services.certificate_add,
    ),
    "training_record": (
        agency_serializers.TrainingRecordEntrySerializer,
        credential_services.training_record_add,
    ),
    "health_check": (
        agency_serializers.HealthCheckEntrySerializer,
        credential_services.health_check_add,
    ),
}


@dataclass(frozen=True)
class Console:
    agency: Agency
    base: str  # "/agency/" for staff, "/agency/<id>/" for an operator
    is_owner: bool

    def url(self, suffix: str = "") -> str:
        return self.base + suffix


def _acts_for_agencies(user) -> bool:
    return user.role == Role.AGENCY_STAFF or user.is_operator


def _console(request, agency_id: int | None) -> Console:
    try:
        agency = agency_services.agency_of_actor(actor=request.user, agency_id=agency_id)
    except DomainError:
        raise Http404 from None
    if agency_id is None:
        base = reverse("web:agency-home")
    else:
        base = reverse("web:agency-id-home", kwargs={"agency_id": agency_id})
    return Console(
        agency=agency,
        base=base,
        is_owner=agency_services.is_agency_owner(actor=request.user, agency=agency),
    )


def console_view(view):
    """Signed in (else login), agency staff or operator (else 404), the console as 2nd arg."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, agency_id: int | None = None, **kwargs):
        if not _acts_for_agencies(request.user):
            raise Http404
        return view(request, _console(request, agency_id), *args, **kwargs)

    return wrapped


def _page(request, console: Console, template: str, context: dict, status: int = 200):
    return render(request, f"web/agency/{template}", {"console": console, **context}, status=status)


def _refused(request, error: DomainError, to: str):
    if isinstance(error, NotFound):
        raise Http404(error.detail)
    messages.error(request, error.detail)
    return redirect(to)


# ---- home ------------------------------------------------------------------------------------


@login_required
def home(request, agency_id: int | None = None):
    if not _acts_for_agencies(request.user):
        raise Http404
    is_unattached_operator = (
        agency_id is None
        and request.user.is_operator
        and not AgencyStaff.objects.filter(user=request.user).exists()
    )
    if is_unattached_operator:
        agencies = Agency.objects.select_related("division").order_by("name")
        return render(request, "web/agency/choose.html", {"agencies": agencies})
    console = _console(request, agency_id)
    counts = agency_selectors.agency_counts(agency=console.agency)
    return _page(request, console, "home.html", {"counts": counts})


# ---- roster ----------------------------------------------------------------------------------


@console_view
def roster(request, console: Console):
    form = RosterFilterForm(request.GET or None)
    status = q = None
    if form.is_valid():
        status = form.cleaned_data["status"] or None
        q = form.cleaned_data["q"].strip() or None
    rows = roster_rows(agency=console.agency, status=status, q=q)
    context = {
        "form": form,
        "rows": rows,
        "statuses": RosterEntry.Status.choices,
        "today": timezone.localdate(),
    }
    return _page(request, console, "roster.html", context)


@console_view
@require_http_methods(["GET", "POST"])
def roster_invite(request, console: Console):
    """GET: search verified workers (name, phone or id). POST: invite one by id."""
    search = WorkerSearchForm(request.GET or None)
    found = []
    if search.is_valid():
        found = list(workers_to_invite(agency=console.agency, q=search.cleaned_data["q"]))
    if request.method == "POST":
        try:
            worker_id = int(request.POST.get("worker", ""))
        except ValueError:
            messages.error(request, _("请填写服务员编号。"))
            return redirect(console.url("roster/invite/"))
        try:
            agency_services.roster_invite(
                agency=console.agency, actor=request.user, worker_id=worker_id
            )
        except DomainError as error:
            messages.error(request, error.detail)
            return redirect(console.url("roster/invite/"))
        messages.success(request, _("邀请已发出，服务员接受后加入花名册。"))
        return redirect(console.url("roster/?status=invited"))
    return _page(request, console, "invite.html", {"search": search, "found": found})


def _entry_of(console: Console, entry_id: int) -> RosterEntry:
    entry = (
        RosterEntry.objects.select_related("worker")
        .filter(pk=entry_id, agency=console.agency)
        .first()
    )
    if entry is None:
        raise Http404
    return entry


@console_view
@require_http_methods(["GET", "POST"])
def roster_end(request, console: Console, entry_id: int):
    """End an engagement (or withdraw an invitation) with a reason; the entry stays as history."""
    entry = _entry_of(console, entry_id)
    form = EndReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency_services.roster_end(
                entry_id=entry.pk,
                agency=console.agency,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationFailed as error:
            apply_errors(form, {error.field or "non_field_errors": [error.detail]})
        except DomainError as error:
            return _refused(request, error, console.url("roster/"))
        else:
            messages.success(request, _("已结束聘用，记录保留在历史中。"))
            return redirect(console.url("roster/?status=ended"))
    status = 400 if form.errors else 200
    context = {"entry": entry, "form": form, "statuses": RosterEntry.Status.choices}
    return _page(request, console, "roster_end.html", context, status=status)


# ---- verification ----------------------------------------------------------------------------


def _worker_of(request, console: Console, worker_id: int):
    try:
        worker = credential_services.worker_of_agency(
            agency=console.agency, worker_id=worker_id, actor=request.user
        )
    except NotFound:
        raise Http404 from None
    return agency_selectors.worker_with_credentials(worker_id=worker.pk)


def _worker_page(request, console: Console, worker, status: int = 200, **forms):
    context = {
        "worker": worker,
        "credential_status": agency_selectors.credential_status(worker),
        "today": timezone.localdate(),
        "forms": {
            kind: forms.get(kind) or form_class() for kind, form_class in CREDENTIAL_FORMS.items()
        },
        "revoke_form": forms.get("revoke") or EndReasonForm(),
        "revoke_id": forms.get("revoke_id"),
        "training_kinds": TrainingKind.choices,
    }
    return _page(request, console, "worker.html", context, status=status)


@console_view
def worker_detail(request, console: Console, worker_id: int):
    return _worker_page(request, console, _worker_of(request, console, worker_id))


@console_view
@require_POST
def worker_identity(request, console: Console, worker_id: int):
    worker = _worker_of(request, console, worker_id)
    is_verified = request.POST.get("verify", "1") == "1"
    credential_services.worker_identity_verify(
        worker=worker, actor=request.user, is_verified=is_verified
    )
    if is_verified:
        messages.success(request, _("已核验身份。"))
    else:
        messages.success(request, _("已撤销身份核验。"))
    return redirect(console.url(f"workers/{worker.pk}/"))


@console_view
@require_POST
def credential_add(request, console: Console, worker_id: int, kind: str):
    """Enter a credential from the paper document: verified at once, by the signed-in staff."""
    if kind not in CREDENTIAL_FORMS:
        raise Http404
    worker = _worker_of(request, console, worker_id)
    form = CREDENTIAL_FORMS[kind](request.POST)
    if form.is_valid():
        serializer_class, add = CREDENTIAL_SERVICES[kind]
        data = {key: value for key, value in form.cleaned_data.items() if value is not None}
        serializer = serializer_class(data=data)
        if not serializer.is_valid():
            apply_errors(form, serializer.errors)
        else:
            try:
                with transaction.atomic():
                    add(worker=worker, verified_by=request.user, **serializer.validated_data)
            except ValidationFailed as error:
                apply_errors(form, {error.field or "non_field_errors": [error.detail]})
            else:
                messages.success(request, _("已登记并核验。"))
                return redirect(console.url(f"workers/{worker.pk}/"))
    return _worker_page(request, console, worker, status=400, **{kind: form})


@console_view
@require_POST
def credential_verify(request, console: Console, kind: str, credential_id: int):
    if kind not in CREDENTIAL_FORMS:
        raise Http404
    try:
        credential = credential_services.credential_of_agency(
            kind=kind, credential_id=credential_id, agency=console.agency, actor=request.user
        )
    except NotFound:
        raise Http404 from None
    back = console.url(f"workers/{credential.worker_id}/")
    is_verified = request.POST.get("verify", "1") == "1"
    try:
        credential_services.credential_verify(
            credential=credential, actor=request.user, is_verified=is_verified
        )
    except DomainError as error:
        return _refused(request, error, back)
    messages.success(request, _("已核验。") if is_verified else _("已撤销核验。"))
    return redirect(back)


@console_view
@require_POST
def certificate_revoke(request, console: Console, credential_id: int):
    try:
        certificate = credential_services.credential_of_agency(
            kind="certificate",
            credential_id=credential_id,
            agency=console.agency,
            actor=request.user,
        )
    except NotFound:
        raise Http404 from None
    back = console.url(f"workers/{certificate.worker_id}/")
    form = EndReasonForm(request.POST)
    if form.is_valid():
        try:
            credential_services.certificate_revoke(
                certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationFailed as error:
            apply_errors(form, {error.field or "non_field_errors": [error.detail]})
        except DomainError as error:
            return _refused(request, error, back)
        else:
            messages.success(request, _("证书已吊销。"))
            return redirect(back)
    worker = agency_selectors.worker_with_credentials(worker_id=certificate.worker_id)
    return _worker_page(request, console, worker, status=400, revoke=form, revoke_id=certificate.pk)


# ---- dispatch --------------------------------------------------------------------------------

DISPATCH_REASON_TEXT = {TOO_FAR: _("她的常驻点离服务地址太远。")}


def _dispatch_page(request, console: Console, *, bound=None, status: int = 200):
    workers = roster_worker_choices(agency=console.agency)
    briefs = agency_selectors.open_requests_for_agency(agency=console.agency)
    rows = []
    for brief in briefs:
        if bound is not None and bound.data.get("request") == str(brief.id):
            form = bound
        else:
            form = DispatchForm(workers=workers, initial={"request": brief.id})
        rows.append((brief, form))
    context = {
        "rows": rows,
        "has_workers": bool(workers),
        "kinds": RequestKind.choices,
        "radius_km": agency_selectors.OPEN_REQUESTS_RADIUS_KM,
    }
    return _page(request, console, "dispatch.html", context, status=status)


@console_view
@require_http_methods(["GET", "POST"])
def dispatch(request, console: Console):
    """Open requests near the agency (trade, time, place, budget only) and a roster worker to
    offer each to; the worker confirms by accepting the offer."""
    if request.method == "GET":
        return _dispatch_page(request, console)
    form = DispatchForm(request.POST, workers=roster_worker_choices(agency=console.agency))
    if form.is_valid():
        try:
            offer, created = offer_dispatch(
                agency=console.agency,
                actor=request.user,
                request_id=form.cleaned_data["request"],
                worker_id=form.cleaned_data["worker"],
            )
        except ValidationFailed as error:
            apply_errors(form, {error.field or "non_field_errors": [error.detail]})
        except DomainError as error:
            reasons = error.extra.get("reasons") or []
            texts = [
                str(DISPATCH_REASON_TEXT[r]) if r in DISPATCH_REASON_TEXT else text
                for r, text in zip(reasons, reason_texts(reasons), strict=True)
            ]
            form.add_error(None, " ".join([error.detail, *texts]))
        else:
            if created:
                messages.success(request, _("已派单，等待服务员确认。"))
            else:
                messages.success(request, _("已向她发出过这条派单，仍在等待确认。"))
            return redirect(console.url("dispatch/"))
    return _dispatch_page(request, console, bound=form, status=400)


# ---- orders, contracts, disputes -------------------------------------------------------------


def _status_filter(request, choices) -> str | None:
    status = request.GET.get("status") or None
    return status if status in dict(choices) else None


@console_view
def orders(request, console: Console):
    status = _status_filter(request, OrderStatus.choices)
    rows = agency_selectors.orders_of_agency(agency=console.agency, status=status)[:100]
    context = {"orders": rows, "status": status, "order_statuses": OrderStatus.choices}
    return _page(request, console, "orders.html", context)


@console_view
def contracts(request, console: Console):
    status = _status_filter(request, ContractStatus.choices)
    rows = agency_selectors.contracts_of_agency(agency=console.agency, status=status)[:100]
    context = {
        "contracts": rows,
        "status": status,
        "contract_statuses": ContractStatus.choices,
    }
    return _page(request, console, "contracts.html", context)


def _disputes_page(request, console: Console, *, bound=None, bound_id=None, status=200):
    selected = _status_filter(request, DisputeStatus.choices)
    disputes = list(
        agency_selectors.disputes_of_agency(agency=console.agency, status=selected)[:100]
    )
    rows = [
        (d, bound if d.order_id == bound_id else DisputeResolveForm(prefix=f"d{d.order_id}"))
        for d in disputes
    ]
    context = {
        "rows": rows,
        "status": selected,
        "dispute_statuses": DisputeStatus.choices,
        "outcomes": DisputeOutcome.choices,
        "order_statuses": OrderStatus.choices,
    }
    return _page(request, console, "disputes.html", context, status=status)


@console_view
def disputes(request, console: Console):
    return _disputes_page(request, console)


@console_view
@require_POST
def dispute_resolve(request, console: Console, order_id: int):
    if not agency_selectors.orders_of_agency(agency=console.agency).filter(pk=order_id).exists():
        raise Http404
    form = DisputeResolveForm(request.POST, prefix=f"d{order_id}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            order_dispute_resolve(
                order_id=order_id,
                actor=request.user,
                outcome=data["outcome"],
                refund_amount=yuan_to_fen(data.get("refund_amount")) or 0,
                note=data.get("note") or "",
            )
        except ValidationFailed as error:
            apply_errors(form, {error.field or "non_field_errors": [error.detail]})
        except DomainError as error:
            return _refused(request, error, console.url("disputes/"))
        else:
            messages.success(request, _("争议已处理。"))
            return redirect(console.url("disputes/"))
    return _disputes_page(request, console, bound=form, bound_id=order_id, status=400)


# ---- staff -----------------------------------------------------------------------------------


def _staff_page(request, console: Console, *, form=None, status: int = 200):
    context = {
        "staff": agency_selectors.staff_of_agency(agency=console.agency),
        "form": form or StaffCreateForm(),
        "staff_roles": AgencyStaff.StaffRole.choices,
        "role_form": StaffRoleForm(),
    }
    return _page(request, console, "staff.html", context, status=status)


def _owner_only(request, console: Console) -> None:
    if not console.is_owner:
        raise PermissionDenied(_("只有企业负责人可以管理员工账号。"))


@console_view
@require_http_methods(["GET", "POST"])
def staff(request, console: Console):
    """Everyone sees the staff; the owner adds accounts (owner or staff)."""
    if request.method == "GET":
        return _staff_page(request, console)
    _owner_only(request, console)
    form = StaffCreateForm(request.POST)
    if form.is_valid():
        serializer = agency_serializers.StaffCreateSerializer(data=form.cleaned_data)
        if not serializer.is_valid():
            apply_errors(form, serializer.errors)
        else:
            try:
                agency_services.agency_staff_create(
                    agency=console.agency, actor=request.user, **serializer.validated_data
                )
            except ValidationFailed as error:
                apply_errors(form, {error.field or "non_field_errors": [error.detail]})
            else:
                messages.success(request, _("员工账号已创建。"))
                return redirect(console.url("staff/"))
    return _staff_page(request, console, form=form, status=400)


@console_view
@require_POST
def staff_role(request, console: Console, staff_id: int):
    _owner_only(request, console)
    form = StaffRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择岗位。"))
        return redirect(console.url("staff/"))
    try:
        agency_services.agency_staff_update(
            agency=console.agency,
            actor=request.user,
            staff_id=staff_id,
            staff_role=form.cleaned_data["staff_role"],
        )
    except DomainError as error:
        return _refused(request, error, console.url("staff/"))
    messages.success(request, _("岗位已更新。"))
    return redirect(console.url("staff/"))


@console_view
@require_POST
def staff_remove(request, console: Console, staff_id: int):
    _owner_only(request, console)
    try:
        agency_services.agency_staff_remove(
            agency=console.agency, actor=request.user, staff_id=staff_id
        )
    except DomainError as error:
        return _refused(request, error, console.url("staff/"))
    messages.success(request, _("员工账号已停用。"))
    return redirect(console.url("staff/"))


# ---- the monthly statement -------------------------------------------------------------------


def statement_month(request) -> tuple[MonthForm, str]:
    """The month asked for (YYYY-MM), this month when none or a bad one was given."""
    form = MonthForm(request.GET or None)
    month = timezone.localdate().strftime("%Y-%m")
    if form.is_bound and form.is_valid() and form.cleaned_data.get("month"):
        month = form.cleaned_data["month"].strftime("%Y-%m")
    return form, month


def csv_response(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@console_view
def statement(request, console: Console):
    form, month = statement_month(request)
    context = {
        "form": form,
        "statement": statements.statement_of_agency(agency=console.agency, month=month),
        "csv_url": console.url(f"statement.csv?month={month}"),
        "ledger_kinds": LedgerKind.choices,
    }
    return _page(request, console, "statement.html", context, status=400 if form.errors else 200)


@console_view
def statement_csv(request, console: Console):
    _form, month = statement_month(request)
    result = statements.statement_of_agency(agency=console.agency, month=month)
    return csv_response(
        statements.statement_csv(result), f"agency-{console.agency.pk}-statement-{month}.csv"
    )


# ---- routes ----------------------------------------------------------------------------------

CONSOLE_ROUTES = [
    ("", home, "home"),
    ("roster/", roster, "roster"),
    ("roster/invite/", roster_invite, "roster-invite"),
    ("roster/<int:entry_id>/end/", roster_end, "roster-end"),
    ("workers/<int:worker_id>/", worker_detail, "worker"),
    ("workers/<int:worker_id>/identity/", worker_identity, "worker-identity"),
    ("workers/<int:worker_id>/add/<str:kind>/", credential_add, "credential-add"),
    ("credentials/<str:kind>/<int:credential_id>/verify/", credential_verify, "credential-verify"),
    ("certificates/<int:credential_id>/revoke/", certificate_revoke, "certificate-revoke"),
    ("dispatch/", dispatch, "dispatch"),
    ("orders/", orders, "orders"),
    ("contracts/", contracts, "contracts"),
    ("disputes/", disputes, "disputes"),
    ("disputes/<int:order_id>/resolve/", dispute_resolve, "dispute-resolve"),
    ("staff/", staff, "staff"),
    ("staff/<int:staff_id>/role/", staff_role, "staff-role"),
    ("staff/<int:staff_id>/remove/", staff_remove, "staff-remove"),
    ("statement/", statement, "statement"),
    ("statement.csv", statement_csv, "statement-csv"),
]


def routes() -> list:
    """Each console page at /agency/… (own agency) and /agency/<id>/… (operators)."""
    patterns = []
    for suffix, view, name in CONSOLE_ROUTES:
        patterns.append(path(f"agency/{suffix}", view, name=f"agency-{name}"))
        patterns.append(path(f"agency/<int:agency_id>/{suffix}", view, name=f"agency-id-{name}"))
    return patterns
