"""The agency's signature (丙方) on an order's contract: by its standing authorisation
(电子签章授权) or, without one, by a staff tap after a reminder.

Rules:
- An authorisation applies to a *standard* contract version (the platform's template with no
  supplementary clauses, `terms.notes` empty) of an order whose worker is on the agency's
  active roster when the agency's signature is the only one missing.
- The signature it makes names the authorisation and the person who gave it (its signer), so
  the record says who authorised it and when; revoking stops new signatures only.
- Without one, agency staff get a notification the moment household and worker have signed,
  and a reminder (periodic work) while the version still waits.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.models import AgencyStaff, RosterEntry
from notifications.events import NOTIFICATION, send_event_on_commit
from orders.locks import lock_countersign_authorisation
from orders.models import Contract, ContractSignature, CountersignAuthorisation, Order
from orders.selectors import contracts_awaiting_agency
from orders.statuses import ContractStatus, Party

AUTHORISATION_STATEMENT = (
    "本企业授权家政美家平台：雇主（甲方）与本企业在册服务员（乙方）均已签署平台标准服务合同"
    "（无补充约定）后，即以本企业名义作为丙方签署该合同。本授权自授权之时起生效，可随时撤销；"
    "撤销前已签署的合同继续有效。"
)
REMINDER_INTERVAL = dt.timedelta(hours=12)


def authorisation_in_force(*, agency_id: int) -> CountersignAuthorisation | None:
    """The agency's authorisation in force, or None."""
    return (
        CountersignAuthorisation.objects.filter(agency_id=agency_id, revoked_at__isnull=True)
        .select_related("authorised_by", "revoked_by")
        .first()
    )


def is_standard_contract(contract: Contract) -> bool:
    return not (contract.terms or {}).get("notes")


def missing_parties(contract: Contract) -> list[str]:
    """Required parties of the version that have not signed it, in the contract's order."""
    signed = set(contract.signatures.values_list("party", flat=True))
    return [party for party in contract.required_parties if party not in signed]


def awaits_only_agency(contract: Contract) -> bool:
    return contract.status == ContractStatus.AWAITING_SIGNATURES and missing_parties(contract) == [
        Party.AGENCY.value
    ]


def countersign_by_authorisation(*, order: Order, contract: Contract) -> bool:
    """Sign `contract` as the agency when its authorisation applies; True when it did.

    Call under the order and contract locks (contract_sign); locks the authorisation row so
    that a revocation and a signature under it are serial."""
    if not order.agency_id or not awaits_only_agency(contract):
        return False
    if not is_standard_contract(contract):
        return False
    on_roster = RosterEntry.objects.filter(
        agency_id=order.agency_id, worker_id=order.worker_id, status=RosterEntry.Status.ACTIVE
    ).exists()
    if not on_roster:
        return False
    authorisation = lock_countersign_authorisation(order.agency_id)
    if authorisation is None:
        return False
    ContractSignature.objects.create(
        contract=contract,
        party=Party.AGENCY,
        signer=authorisation.authorised_by,
        text_sha256=contract.text_sha256,
        authorisation=authorisation,
        user_agent=f"standing authorisation #{authorisation.pk}",
    )
    return True


def _staff_user_ids(agency_id: int) -> list[int]:
    return list(AgencyStaff.objects.filter(agency_id=agency_id).values_list("user_id", flat=True))


def agency_remind_countersign(*, order: Order, contract: Contract, now=None) -> None:
    """Tell the agency's staff that the version waits for their signature (inside the
    transaction that made it so, or the periodic reminder's)."""
    now = now or timezone.now()
    send_event_on_commit(
        event_type=NOTIFICATION,
        recipients=_staff_user_ids(order.agency_id),
        payload={
            "kind": "contract.awaiting_agency",
            "order": order.pk,
            "contract_version": contract.version,
            "message": _(
                "订单 #%(order)s 的合同（第%(version)s版）已由雇主和服务员签署，等待贵司签署。"
            )
            % {"order": order.pk, "version": contract.version},
        },
    )
    Contract.objects.filter(pk=contract.pk).update(agency_reminded_at=now)


def countersign_reminders_due(*, now: dt.datetime | None = None) -> int:
    """Remind agency staff again of versions still waiting for them REMINDER_INTERVAL after
    the last reminder; each reminder is claimed by a conditional UPDATE, so two runs at once
    send it once. Returns how many were sent."""
    now = now or timezone.now()
    cutoff = now - REMINDER_INTERVAL
    due = contracts_awaiting_agency().filter(
        Q(agency_reminded_at__isnull=True) | Q(agency_reminded_at__lte=cutoff)
    )
    sent = 0
    for contract in due[:500]:
        with transaction.atomic():
            claimed = (
                Contract.objects.filter(pk=contract.pk)
                .filter(Q(agency_reminded_at__isnull=True) | Q(agency_reminded_at__lte=cutoff))
                .update(agency_reminded_at=now)
            )
            if claimed:
                agency_remind_countersign(order=contract.order, contract=contract, now=now)
                sent += 1
    return sent
