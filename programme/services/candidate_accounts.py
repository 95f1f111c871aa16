"""An account made by an officer for a woman on a village list, with her consent recorded.

The account has no password anybody knows: a one-time claim code goes to her phone and she
sets her own password with it (marketplace.services.phone_codes.account_claim). The officer
never sees the code.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import Conflict, NotFound, ValidationFailed
from marketplace.models import CodePurpose, User
from marketplace.phones import phone_normalize
from marketplace.services.accounts import worker_account_create_for
from marketplace.services.phone_codes import account_claim_send, code_issue
from programme.locks import lock_candidate
from programme.models import Candidate, ConsentMethod

from .candidates import candidate_link_locked
from .scope import require_in_scope, require_intake_officer


def _scoped_candidate(candidate_id: int, actor: User, *, locked: bool) -> Candidate:
    candidate = (
        lock_candidate(candidate_id)
        if locked
        else Candidate.objects.filter(pk=candidate_id).first()
    )
    if candidate is None:
        raise NotFound(_("意向人员不存在。"))
    require_in_scope(actor, candidate.division_id)
    return candidate


def candidate_account_create(*, candidate_id: int, actor: User, consent_method: str) -> Candidate:
    """Make her worker account, linked to the candidate, and send her the claim code.

    Records who took her consent, when and how. Raises ValidationFailed on `consent_method`
    and `phone` (invalid, or an account already holds it), Conflict `candidate_linked` (she
    has an account), PermissionDeniedError (another officer's division). Locks the candidate.
    """
    require_intake_officer(actor)
    if consent_method not in ConsentMethod.values:
        raise ValidationFailed(_("请选择她同意的方式。"), field="consent_method")
    with transaction.atomic():
        candidate = _scoped_candidate(candidate_id, actor, locked=True)
        if candidate.worker_id is not None:
            raise Conflict(_("她已有账号。"), code="candidate_linked")
        try:
            phone = phone_normalize(candidate.phone)
        except ValidationError as error:
            raise ValidationFailed(_("手机号格式不正确。"), field="phone") from error
        user = worker_account_create_for(
            real_name=candidate.name,
            phone=phone,
            division_id=candidate.division_id,
        )
        candidate.consent_method = consent_method
        candidate.consent_recorded_by = actor
        candidate.consent_recorded_at = timezone.now()
        candidate.save(
            update_fields=["consent_method", "consent_recorded_by", "consent_recorded_at"]
        )
        candidate_link_locked(candidate=candidate, worker=user.worker, actor=actor)
        code_issue(user=user, phone=phone, purpose=CodePurpose.CLAIM)
    return candidate


def candidate_claim_code_resend(
    *, candidate_id: int, actor: User, address: str | None = None
) -> Candidate:
    """Send her claim code again (a new code replaces the old). Raises Conflict `no_account`,
    ValidationFailed `already_claimed`, TooManyRequests (the codes' throttle)."""
    require_intake_officer(actor)
    candidate = _scoped_candidate(candidate_id, actor, locked=False)
    if candidate.worker_id is None or candidate.consent_recorded_at is None:
        raise Conflict(_("尚未为她创建账号。"), code="no_account")
    account_claim_send(user=candidate.worker.user, address=address)
    return candidate
