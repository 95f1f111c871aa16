"""Consents to sensitive personal data: recorded where the data is collected, withdrawn by her.

What withdrawal means (shown to her next to the button, docs/privacy.md):
- ID number: the number is erased from her profile and her real-name verification ends, so she
  receives no offers until she enters a number again (which records a new consent). Signed
  contracts keep what was signed.
- Health check: her health-check records are no longer used to match her (she receives no
  offers), and nobody else can enter a new one until she consents again herself; they stay on
  file for the federation's counts, which name nobody, until the account is deleted.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.exceptions import Conflict, NotFound
from marketplace.locks import lock_worker
from marketplace.models import Consent, ConsentKind, User, WorkerProfile
from marketplace.services.identity import identity_snapshot, worker_identity_changed

# The notice she agrees to; a new wording gets a new version.
CONSENT_NOTICES = {
    ConsentKind.ID_CARD: (
        "2026-01",
        gettext_lazy(
            "用于实名认证和签订服务合同：核实您的身份，防止冒用，依法留存合同当事人信息。"
            "号码加密保存，只有认证人员可以查看。"
        ),
    ),
    ConsentKind.HEALTH_CHECK: (
        "2026-01",
        gettext_lazy(
            "用于确认您可以上岗服务：匹配订单时核对体检是否在有效期内，"
            "并计入妇联的岗前体检率（只统计人数，不显示姓名）。"
        ),
    ),
}

WITHDRAWAL_EFFECTS = {
    ConsentKind.ID_CARD: gettext_lazy(
        "撤回后身份证号将被删除，实名认证失效，您将不再收到派单，直到重新填写身份证号。"
        "已签署的合同保持签署时的内容。"
    ),
    ConsentKind.HEALTH_CHECK: gettext_lazy(
        "撤回后您的体检记录不再用于匹配订单，您将不再收到派单；"
        "记录仍保留用于不含姓名的统计，注销账号时一并匿名化。"
    ),
}


def consent_record(*, user: User, kind: str, recorded_by: User | None = None, now=None) -> Consent:
    """Record that `user` agreed to the current notice for `kind`; an active consent already
    given is returned as it is.

    Raises Conflict `consent_withdrawn` when she withdrew it and someone else is entering her
    data: only she can give it again.
    """
    now = now or timezone.now()
    active = Consent.objects.filter(user=user, kind=kind, withdrawn_at__isnull=True).first()
    if active is not None:
        return active
    recorder = recorded_by or user
    if recorder.pk != user.pk and Consent.objects.filter(user=user, kind=kind).exists():
        raise Conflict(
            _("她已撤回对该信息的同意，只有她本人重新同意后才能录入。"), code="consent_withdrawn"
        )
    version, purpose = CONSENT_NOTICES[kind]
    try:
        with transaction.atomic():
            return Consent.objects.create(
                user=user,
                kind=kind,
                purpose=str(purpose),
                version=version,
                recorded_by=recorder,
                given_at=now,
            )
    except IntegrityError:  # a simultaneous recording won: one active consent per kind
        return Consent.objects.get(user=user, kind=kind, withdrawn_at__isnull=True)


@transaction.atomic
def consent_withdraw(*, consent_id: int, user: User, now=None) -> Consent:
    """Withdraw her active consent and stop using the data (see the module docstring).

    Raises NotFound when it is not hers, Conflict `already_withdrawn` when withdrawn before.
    Locks her worker profile (when she has one) before the consent row.
    """
    now = now or timezone.now()
    worker = WorkerProfile.objects.filter(user=user).first()
    if worker is not None:
        worker = lock_worker(worker.pk)
    consent = Consent.objects.select_for_update().filter(pk=consent_id, user=user).first()
    if consent is None:
        raise NotFound(_("没有这条同意记录。"))
    if consent.withdrawn_at is not None:
        raise Conflict(_("这条同意已经撤回。"), code="already_withdrawn")
    consent.withdrawn_at = now
    consent.save(update_fields=["withdrawn_at"])
    if consent.kind == ConsentKind.ID_CARD and worker is not None and worker.id_card_last4:
        before = identity_snapshot(worker)
        worker.set_id_card_number("")
        worker.save(update_fields=["id_card_ciphertext", "id_card_digest", "id_card_last4"])
        # Recorded like every identity change, and it ends her verification.
        worker_identity_changed(worker=worker, before=before, actor_id=user.pk)
    return consent
