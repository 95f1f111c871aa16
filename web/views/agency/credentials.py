"""Verifying the roster's workers: identity, certificates, training records, health checks."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.exceptions import Conflict, DomainError, NotFound, ValidationFailed
from marketplace import serializers_agencies as agency_serializers
from marketplace.models import ConsentKind, TrainingKind
from marketplace.selectors import agencies as agency_selectors
from marketplace.services import credentials as credential_services
from marketplace.services.consents import CONSENT_NOTICES
from web.forms import apply_errors
from web.forms_agency import (
    CREDENTIAL_FORMS,
    EndReasonForm,
)
from web.views.agency.console import (
    Console,
    console_page,
    console_refused,
    console_view,
)

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
        # What she is told before her health check is entered (her consent is recorded with it).
        "health_check_notice": CONSENT_NOTICES[ConsentKind.HEALTH_CHECK][1],
    }
    return console_page(request, console, "worker.html", context, status=status)


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
            except (ValidationFailed, Conflict) as error:  # Conflict: she withdrew consent
                apply_errors(
                    form, {getattr(error, "field", None) or "non_field_errors": [error.detail]}
                )
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
        return console_refused(request, error, back)
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
            return console_refused(request, error, back)
        else:
            messages.success(request, _("证书已吊销。"))
            return redirect(back)
    worker = agency_selectors.worker_with_credentials(worker_id=certificate.worker_id)
    return _worker_page(request, console, worker, status=400, revoke=form, revoke_id=certificate.pk)
