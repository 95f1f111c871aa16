"""Giving and revoking an agency's standing authorisation to countersign (电子签章授权).

Only the agency's owner (or an operator) may give or revoke it. Giving it also signs, under it,
the versions that already wait only for the agency (orders.services.contracts).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import Conflict
from marketplace.models import Agency, User
from marketplace.services.agencies import agency_owner_require
from orders.locks import lock_countersign_authorisation
from orders.models import CountersignAuthorisation
from orders.services.contracts import contracts_countersign_pending
from orders.services.countersign import AUTHORISATION_STATEMENT


def countersign_authorise(*, agency: Agency, actor: User) -> CountersignAuthorisation:
    """Record the authorisation (who, when, the statement agreed to) and apply it to what
    waits. Raises PermissionDeniedError `owner_required`, Conflict `already_authorised`."""
    agency_owner_require(actor=actor, agency=agency)
    try:
        with transaction.atomic():
            authorisation = CountersignAuthorisation.objects.create(
                agency=agency,
                statement=AUTHORISATION_STATEMENT,
                authorised_by=actor,
                authorised_at=timezone.now(),
            )
    except IntegrityError as error:
        raise Conflict(_("贵司已授权自动签署合同。"), code="already_authorised") from error
    contracts_countersign_pending(agency_id=agency.pk)
    return authorisation


def countersign_revoke(*, agency: Agency, actor: User) -> CountersignAuthorisation:
    """Revoke the authorisation in force: no new signature is made under it; the ones made
    stay valid. Locks the authorisation row. Raises PermissionDeniedError `owner_required`,
    Conflict `not_authorised`."""
    agency_owner_require(actor=actor, agency=agency)
    with transaction.atomic():
        authorisation = lock_countersign_authorisation(agency.pk)
        if authorisation is None:
            raise Conflict(_("贵司没有生效中的签章授权。"), code="not_authorised")
        authorisation.revoked_by = actor
        authorisation.revoked_at = timezone.now()
        authorisation.save(update_fields=["revoked_by", "revoked_at"])
    return authorisation
