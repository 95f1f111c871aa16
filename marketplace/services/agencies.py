"""Agencies: who acts for an agency, its details, its staff accounts, and its roster.

An actor acts for an agency when she is its staff (`user.agency_staff`) or an operator. Owner
actions (agency details, staff accounts) need staff_role "owner" or an operator. The roster
moves invited → active (the worker accepts) → ended, or invited → ended (declined or
withdrawn); the `one_active_agency_per_worker` constraint settles a worker accepting two
agencies at once. Staff changes lock the agency row, so "the last owner" is judged serially.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDeniedError,
    ValidationFailed,
)
from marketplace.locks import lock_agency
from marketplace.models import Agency, AgencyStaff, Role, RosterEntry, User, WorkerProfile
from notifications.events import NOTIFICATION, send_event_on_commit

UNSET: Any = object()
Status = RosterEntry.Status


# ---- who acts for which agency -------------------------------------------------------------


def agency_of_actor(*, actor: User, agency_id: int | None = None) -> Agency:
    """The agency `actor` acts for: her own (agency_id None or equal to it), or any for an
    operator (agency_id required). Raises NotFound for another agency or none,
    PermissionDeniedError for users who act for no agency."""
    if actor.is_operator:
        if agency_id is None:
            staff = AgencyStaff.objects.filter(user=actor).select_related("agency").first()
            if staff is None:
                raise NotFound(_("请指定家政企业。"), code="agency_required")
            return staff.agency
        agency = Agency.objects.filter(pk=agency_id).first()
        if agency is None:
            raise NotFound(_("家政企业不存在。"))
        return agency
    if actor.role != Role.AGENCY_STAFF:
        raise PermissionDeniedError(_("只有家政企业员工可以执行此操作。"))
    staff = AgencyStaff.objects.filter(user=actor).select_related("agency").first()
    if staff is None:
        raise PermissionDeniedError(_("您的账号未关联家政企业。"), code="no_agency")
    if agency_id is not None and agency_id != staff.agency_id:
        raise NotFound(_("家政企业不存在。"))
    return staff.agency


def is_agency_owner(*, actor: User, agency: Agency) -> bool:
    if actor.is_operator:
        return True
    return AgencyStaff.objects.filter(
        user=actor, agency=agency, staff_role=AgencyStaff.StaffRole.OWNER
    ).exists()


def agency_owner_require(*, actor: User, agency: Agency) -> None:
    """Raises PermissionDeniedError `owner_required` unless the actor owns the agency."""
    if not is_agency_owner(actor=actor, agency=agency):
        raise PermissionDeniedError(_("只有企业负责人可以执行此操作。"), code="owner_required")


def _staff_recipients(agency_id: int) -> list[int]:
    return list(
        AgencyStaff.objects.filter(agency_id=agency_id, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )


# ---- the agency ------------------------------------------------------------------------------


def agency_update(
    *, agency: Agency, actor: User, phone: str = UNSET, address: str = UNSET
) -> Agency:
    """The owner (or an operator) changes the agency's phone and address."""
    agency_owner_require(actor=actor, agency=agency)
    fields = []
    if phone is not UNSET:
        agency.phone = phone
        fields.append("phone")
    if address is not UNSET:
        agency.address = address
        fields.append("address")
    if fields:
        agency.save(update_fields=fields)
    return agency


# ---- staff accounts --------------------------------------------------------------------------


def agency_staff_create(
    *,
    agency: Agency,
    actor: User,
    username: str,
    password: str,
    display_name: str,
    phone: str = "",
    staff_role: str = AgencyStaff.StaffRole.STAFF,
) -> AgencyStaff:
    """The owner creates a staff account (role agency_staff) for the agency.

    Password strength and phone format are the caller's serializer's; raises ValidationFailed
    on `username` when it is taken.
    """
    agency_owner_require(actor=actor, agency=agency)
    if staff_role not in AgencyStaff.StaffRole.values:
        raise ValidationFailed(_("未知的岗位。"), field="staff_role")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed(_("该用户名已被使用。"), field="username", code="unique")
    try:
        with transaction.atomic():
            user = User(
                username=username,
                role=Role.AGENCY_STAFF,
                display_name=display_name,
                phone=phone,
            )
            user.set_password(password)
            user.save()
            staff = AgencyStaff.objects.create(user=user, agency=agency, staff_role=staff_role)
    except IntegrityError as error:
        raise ValidationFailed(_("该用户名已被使用。"), field="username", code="unique") from error
    return staff


def _locked_staff(agency: Agency, staff_id: int) -> AgencyStaff:
    """Lock the agency row (the mutex of staff changes), then return the staff member."""
    lock_agency(agency.pk)
    staff = AgencyStaff.objects.select_related("user").filter(pk=staff_id, agency=agency).first()
    if staff is None:
        raise NotFound(_("员工不存在。"))
    return staff


def _other_owners(agency: Agency, staff: AgencyStaff) -> int:
    return (
        AgencyStaff.objects.filter(
            agency=agency, staff_role=AgencyStaff.StaffRole.OWNER, user__is_active=True
        )
        .exclude(pk=staff.pk)
        .count()
    )


def agency_staff_update(
    *,
    agency: Agency,
    actor: User,
    staff_id: int,
    staff_role: str = UNSET,
    display_name: str = UNSET,
    phone: str = UNSET,
) -> AgencyStaff:
    """The owner changes a staff member's role, name or phone.

    Raises Conflict `last_owner` when it would leave the agency without an owner.
    """
    agency_owner_require(actor=actor, agency=agency)
    with transaction.atomic():
        staff = _locked_staff(agency, staff_id)
        if staff_role is not UNSET and staff_role != staff.staff_role:
            if staff_role not in AgencyStaff.StaffRole.values:
                raise ValidationFailed(_("未知的岗位。"), field="staff_role")
            if staff.staff_role == AgencyStaff.StaffRole.OWNER and not _other_owners(agency, staff):
                raise Conflict(_("企业至少需要一名负责人。"), code="last_owner")
            staff.staff_role = staff_role
            staff.save(update_fields=["staff_role"])
        user_fields = []
        if display_name is not UNSET:
            staff.user.display_name = display_name
            user_fields.append("display_name")
        if phone is not UNSET:
            staff.user.phone = phone
            user_fields.append("phone")
        if user_fields:
            staff.user.save(update_fields=user_fields)
    return staff


def agency_staff_remove(*, agency: Agency, actor: User, staff_id: int) -> None:
    """The owner removes a staff member: the account is deactivated, the membership deleted.

    Raises Conflict `last_owner` for the agency's only owner.
    """
    agency_owner_require(actor=actor, agency=agency)
    with transaction.atomic():
        staff = _locked_staff(agency, staff_id)
        if staff.staff_role == AgencyStaff.StaffRole.OWNER and not _other_owners(agency, staff):
            raise Conflict(_("企业至少需要一名负责人。"), code="last_owner")
        User.objects.filter(pk=staff.user_id).update(is_active=False)
        staff.delete()


# ---- roster ----------------------------------------------------------------------------------


def _roster_payload(entry: RosterEntry, kind: str) -> dict:
    return {
        "kind": kind,
        "roster_entry": entry.pk,
        "agency": entry.agency_id,
        "agency_name": entry.agency.name,
        "worker": entry.worker_id,
        "status": entry.status,
    }


def roster_invite(*, agency: Agency, actor: User, worker_id: int) -> RosterEntry:
    """Invite a worker to the agency's roster; she accepts or declines.

    Raises ValidationFailed on `worker` (no such worker), Conflict `already_invited` or
    `already_rostered` (an open entry with this agency exists).
    """
    worker = WorkerProfile.objects.select_related("user").filter(pk=worker_id).first()
    if worker is None or not worker.user.is_active:
        raise ValidationFailed(_("服务员不存在。"), field="worker")
    with transaction.atomic():
        lock_agency(agency.pk)
        existing = (
            RosterEntry.objects.filter(
                agency=agency, worker=worker, status__in=[Status.INVITED, Status.ACTIVE]
            )
            .only("pk", "status")
            .first()
        )
        if existing is not None:
            code = "already_invited" if existing.status == Status.INVITED else "already_rostered"
            raise Conflict(
                _("该服务员已在本企业花名册中或已被邀请。"),
                code=code,
                extra={"roster_entry": existing.pk},
            )
        entry = RosterEntry.objects.create(
            agency=agency, worker=worker, status=Status.INVITED, created_by=actor
        )
        entry.agency = agency
        send_event_on_commit(
            event_type=NOTIFICATION,
            recipients=[worker.user_id],
            payload={
                **_roster_payload(entry, "roster.invited"),
                "message": _("%(agency)s 邀请您加入其服务员花名册。") % {"agency": agency.name},
            },
        )
    return entry


def _worker_entry(entry_id: int, worker: WorkerProfile) -> RosterEntry:
    entry = RosterEntry.objects.select_related("agency").filter(pk=entry_id, worker=worker).first()
    if entry is None:
        raise NotFound(_("邀请不存在。"))
    return entry


def _refuse(entry: RosterEntry, target: str) -> None:
    raise InvalidTransition(entity="roster entry", current=entry.status, target=target)


def roster_invitation_accept(
    *, entry_id: int, worker: WorkerProfile, today: dt.date | None = None
) -> RosterEntry:
    """The worker accepts an invitation: invited → active, started today.

    Raises NotFound (not hers), InvalidTransition (not invited), Conflict `already_rostered`
    when she is active with an agency (the constraint decides simultaneous accepts).
    """
    today = today or timezone.localdate()
    entry = _worker_entry(entry_id, worker)
    if entry.status != Status.INVITED:
        _refuse(entry, Status.ACTIVE)
    current = RosterEntry.objects.filter(worker=worker, status=Status.ACTIVE).first()
    if current is not None:
        raise Conflict(
            _("您已在其他家政企业在职，请先结束当前聘用。"),
            code="already_rostered",
            extra={"agency": current.agency_id},
        )
    try:
        with transaction.atomic():
            claimed = RosterEntry.objects.filter(pk=entry.pk, status=Status.INVITED).update(
                status=Status.ACTIVE, started_on=today
            )
            if not claimed:
                entry.refresh_from_db()
                _refuse(entry, Status.ACTIVE)
            entry.refresh_from_db()
            send_event_on_commit(
                event_type=NOTIFICATION,
                recipients=_staff_recipients(entry.agency_id),
                payload={
                    **_roster_payload(entry, "roster.accepted"),
                    "message": _("%(worker)s 已接受加入邀请。") % {"worker": worker.real_name},
                },
            )
    except IntegrityError as error:  # one_active_agency_per_worker
        raise Conflict(
            _("您已在其他家政企业在职，请先结束当前聘用。"), code="already_rostered"
        ) from error
    return entry


def roster_invitation_decline(
    *, entry_id: int, worker: WorkerProfile, reason: str = "", today: dt.date | None = None
) -> RosterEntry:
    """The worker declines an invitation: invited → ended (never started)."""
    today = today or timezone.localdate()
    entry = _worker_entry(entry_id, worker)
    with transaction.atomic():
        claimed = RosterEntry.objects.filter(pk=entry.pk, status=Status.INVITED).update(
            status=Status.ENDED, ended_on=today, end_reason=reason or _("服务员拒绝邀请")
        )
        entry.refresh_from_db()
        if not claimed:
            _refuse(entry, Status.ENDED)
        send_event_on_commit(
            event_type=NOTIFICATION,
            recipients=_staff_recipients(entry.agency_id),
            payload={
                **_roster_payload(entry, "roster.declined"),
                "message": _("%(worker)s 拒绝了加入邀请。") % {"worker": worker.real_name},
            },
        )
    return entry


def roster_end(
    *,
    entry_id: int,
    actor: User,
    reason: str,
    agency: Agency | None = None,
    worker: WorkerProfile | None = None,
    today: dt.date | None = None,
) -> RosterEntry:
    """End an engagement (active → ended) or withdraw an invitation (invited → ended).

    Called for the agency (`agency`) or by the worker herself (`worker`); the entry stays as
    history. Raises NotFound (not theirs), ValidationFailed on `reason`, InvalidTransition.
    """
    today = today or timezone.localdate()
    if not reason.strip():
        raise ValidationFailed(_("请填写结束原因。"), field="reason")
    entries = RosterEntry.objects.select_related("agency", "worker")
    if agency is not None:
        entries = entries.filter(agency=agency)
    if worker is not None:
        entries = entries.filter(worker=worker)
    entry = entries.filter(pk=entry_id).first()
    if entry is None or (agency is None and worker is None):
        raise NotFound(_("花名册记录不存在。"))
    with transaction.atomic():
        claimed = RosterEntry.objects.filter(
            pk=entry.pk, status__in=[Status.INVITED, Status.ACTIVE]
        ).update(status=Status.ENDED, ended_on=today, end_reason=reason.strip()[:200])
        previous = entry.status
        entry.refresh_from_db()
        if not claimed:
            _refuse(entry, Status.ENDED)
        recipients = set(_staff_recipients(entry.agency_id)) | {entry.worker.user_id}
        recipients.discard(actor.pk)
        send_event_on_commit(
            event_type=NOTIFICATION,
            recipients=sorted(recipients),
            payload={
                **_roster_payload(entry, "roster.ended"),
                "previous_status": previous,
                "reason": entry.end_reason,
            },
        )
    return entry
