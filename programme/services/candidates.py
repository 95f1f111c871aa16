"""Village candidate lists (微网格 collect them) and linking a candidate to her worker account.

Linking: once the woman registers as a worker, an officer links the candidate to her
WorkerProfile (`candidate_link`). Every enrolment of the candidate then carries the worker as
well, and each passed completion writes her TrainingRecord (once) as if she had been a worker
when it was recorded: verified by the officer who recorded the completion, at that time.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import Conflict, NotFound, ValidationFailed
from marketplace.models import Category, Division, User, WorkerProfile
from programme.locks import lock_candidate, lock_enrolments
from programme.models import Candidate, CompletionResult, Enrolment

from .candidate_files import rows_from_upload
from .common import require_officer
from .courses import _write_training_record
from .scope import in_scope, require_in_scope, require_intake_officer

PHONE = re.compile(r"^1[3-9]\d{9}$")
TRADE_SEPARATORS = re.compile(r"[、,，;；/|\s]+")
MAX_IMPORT_ROWS = 5000

# Accepted column headers (Chinese as the micro-grids write them, or English) → field.
HEADERS = {
    "姓名": "name",
    "name": "name",
    "手机号": "phone",
    "手机": "phone",
    "电话": "phone",
    "phone": "phone",
    "镇街": "division",
    "乡镇": "division",
    "镇（街道）": "division",
    "division": "division",
    "村": "village",
    "村庄": "village",
    "village": "village",
    "微网格员": "grid_officer",
    "网格员": "grid_officer",
    "grid_officer": "grid_officer",
    "意向工种": "wanted_categories",
    "工种": "wanted_categories",
    "wanted_categories": "wanted_categories",
    "trades": "wanted_categories",
    "备注": "notes",
    "notes": "notes",
}
REQUIRED = ("name", "phone", "division", "village")


@dataclass
class CandidateInput:
    name: str
    phone: str
    division: Division
    village: str
    grid_officer: str = ""
    wanted_categories: tuple[Category, ...] = ()
    notes: str = ""


def _create(actor: User, data: CandidateInput) -> Candidate:
    candidate = Candidate.objects.create(
        name=data.name,
        phone=data.phone,
        division=data.division,
        village=data.village,
        grid_officer=data.grid_officer,
        notes=data.notes,
        created_by=actor,
    )
    if data.wanted_categories:
        candidate.wanted_categories.set(data.wanted_categories)
    return candidate


def candidate_create(
    *,
    actor: User,
    name: str,
    phone: str,
    division: Division,
    village: str,
    grid_officer: str = "",
    wanted_categories: Iterable[Category] = (),
    notes: str = "",
) -> Candidate:
    """An officer adds one woman from a village list. Raises ValidationFailed (phone taken),
    PermissionDeniedError (a division outside a village officer's)."""
    require_intake_officer(actor)
    require_in_scope(actor, division.pk)
    phone = phone.strip()
    if not PHONE.match(phone):
        raise ValidationFailed(_("请输入11位中国大陆手机号码。"), field="phone")
    if Candidate.objects.filter(phone=phone).exists():
        raise ValidationFailed(_("该手机号已在名单中。"), field="phone", code="duplicate")
    data = CandidateInput(
        name=name.strip(),
        phone=phone,
        division=division,
        village=village.strip(),
        grid_officer=grid_officer.strip(),
        wanted_categories=tuple(wanted_categories),
        notes=notes,
    )
    try:
        with transaction.atomic():
            return _create(actor, data)
    except IntegrityError as error:
        raise ValidationFailed(
            _("该手机号已在名单中。"), field="phone", code="duplicate"
        ) from error


def _division_lookup() -> dict[str, Division]:
    lookup: dict[str, Division] = {}
    for division in Division.objects.all():
        for key in (division.code, division.name_zh, division.name_en):
            if key:
                lookup[key.strip().lower()] = division
    return lookup


def _category_lookup() -> dict[str, Category]:
    lookup: dict[str, Category] = {}
    for category in Category.objects.all():
        for key in (category.code, category.name_zh, category.name_en):
            if key:
                lookup[key.strip().lower()] = category
    return lookup


@dataclass
class ImportPreview:
    """What an import would do: the new rows, the rows already on the list (skipped when the
    import skips them), and every problem as {row, field, detail} (row 1 is the header)."""

    new: list[tuple[int, CandidateInput]] = dataclasses.field(default_factory=list)
    existing: list[tuple[int, CandidateInput]] = dataclasses.field(default_factory=list)
    errors: list[dict] = dataclasses.field(default_factory=list)


def _parse_rows(
    rows: list[list[str]], *, actor: User, skip_existing: bool = False
) -> ImportPreview:
    header = _header_checked(rows)
    divisions = _division_lookup()
    categories = _category_lookup()
    preview = ImportPreview()
    parsed: list[tuple[int, CandidateInput]] = []
    seen_phones: dict[str, int] = {}
    for row_number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {
            name: row[index].strip()
            for index, name in enumerate(header)
            if name and index < len(row)
        }
        candidate = _row_candidate(
            values,
            row_number=row_number,
            divisions=divisions,
            categories=categories,
            seen_phones=seen_phones,
            errors=preview.errors,
        )
        if candidate is not None and not in_scope(actor, candidate.division.pk):
            preview.errors.append(
                {
                    "row": row_number,
                    "field": "division",
                    "detail": _("该镇街不在您负责的范围内。"),
                }
            )
        elif candidate is not None:
            parsed.append((row_number, candidate))
    taken = set(
        Candidate.objects.filter(phone__in=list(seen_phones)).values_list("phone", flat=True)
    )
    for row_number, data in parsed:
        if data.phone not in taken:
            preview.new.append((row_number, data))
        elif skip_existing:
            preview.existing.append((row_number, data))
        else:
            preview.errors.append(
                {"row": row_number, "field": "phone", "detail": _("该手机号已在名单中。")}
            )
    preview.errors.sort(key=lambda e: e["row"])
    return preview


def _header_checked(rows: list[list[str]]) -> list[str | None]:
    """The field of each column. Raises ValidationFailed (empty file, a required column
    missing, too many rows)."""
    if not rows:
        raise ValidationFailed(_("文件为空。"), field="file", code="empty_file")
    header = [HEADERS.get(cell.strip().lower(), HEADERS.get(cell.strip())) for cell in rows[0]]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ValidationFailed(
            _("缺少必需的列：%(columns)s。") % {"columns": ", ".join(missing)},
            field="file",
            code="missing_columns",
        )
    if len(rows) - 1 > MAX_IMPORT_ROWS:
        raise ValidationFailed(
            _("一次最多导入 %(max)d 行。") % {"max": MAX_IMPORT_ROWS}, field="file"
        )
    return header


def _row_candidate(
    values: dict[str, str],
    *,
    row_number: int,
    divisions: dict,
    categories: dict,
    seen_phones: dict[str, int],
    errors: list[dict],
) -> CandidateInput | None:
    """One row's candidate, or None when it cannot be one; each problem goes to `errors`."""

    def error(field: str, detail: str) -> None:
        errors.append({"row": row_number, "field": field, "detail": detail})

    for field in REQUIRED:
        if not values.get(field):
            error(field, _("不能为空。"))
    phone = values.get("phone", "")
    if phone and not PHONE.match(phone):
        error("phone", _("手机号格式不正确。"))
    elif phone in seen_phones:
        error("phone", _("与第 %(row)d 行手机号重复。") % {"row": seen_phones[phone]})
    elif phone:
        seen_phones[phone] = row_number
    division = divisions.get(values.get("division", "").lower())
    if values.get("division") and division is None:
        error("division", _("未知的镇街：%(name)s。") % {"name": values["division"]})
    wanted = []
    for token in TRADE_SEPARATORS.split(values.get("wanted_categories", "")):
        if not token:
            continue
        category = categories.get(token.lower())
        if category is None:
            error("wanted_categories", _("未知的工种：%(name)s。") % {"name": token})
        else:
            wanted.append(category)
    if len(values.get("name", "")) > 50 or len(values.get("village", "")) > 50:
        error("name", _("姓名或村名过长。"))
    if division is None or not all(values.get(f) for f in REQUIRED):
        return None
    return CandidateInput(
        name=values["name"],
        phone=phone,
        division=division,
        village=values["village"],
        grid_officer=values.get("grid_officer", "")[:50],
        wanted_categories=tuple(dict.fromkeys(wanted)),
        notes=values.get("notes", ""),
    )


def candidates_import_preview(
    *, actor: User, content: bytes, filename: str = "", skip_existing: bool = True
) -> ImportPreview:
    """Read a village list (.csv or .xlsx) and say what importing it would do; writes nothing.

    Raises ValidationFailed on `file` (unreadable, empty, a required column missing)."""
    require_intake_officer(actor)
    return _parse_rows(
        rows_from_upload(content, filename), actor=actor, skip_existing=skip_existing
    )


def candidates_import_file(
    *, actor: User, content: bytes, filename: str = "", skip_existing: bool = False
) -> list[Candidate]:
    """Import a village list (.csv or .xlsx): all rows or none.

    With `skip_existing`, rows whose phone is already on the list are left out, so importing
    the same list twice adds nobody twice; without it they are errors. Raises ValidationFailed
    `import_invalid` with `errors` = [{row, field, detail}] (row 1 is the header) when any row
    is bad; nothing is imported then. Village officers import only into their divisions.
    """
    preview = candidates_import_preview(
        actor=actor, content=content, filename=filename, skip_existing=skip_existing
    )
    if preview.errors:
        raise ValidationFailed(
            _("导入失败：%(count)d 处错误，未导入任何数据。") % {"count": len(preview.errors)},
            code="import_invalid",
            field="file",
            extra={"errors": preview.errors},
        )
    try:
        with transaction.atomic():
            return [_create(actor, data) for _row, data in preview.new]
    except IntegrityError as error:  # a phone added meanwhile
        raise Conflict(_("导入期间名单已变化，请重新导入。"), code="import_conflict") from error


def candidates_import_csv(*, actor: User, content: bytes) -> list[Candidate]:
    """Import a village list from CSV: all rows or none (a phone already listed is an error)."""
    return candidates_import_file(actor=actor, content=content, filename="list.csv")


def candidate_link(*, candidate_id: int, worker: WorkerProfile, actor: User) -> Candidate:
    """Link a candidate to the worker account she registered; attach her completions.

    Linking the same pair again changes nothing. Raises Conflict `candidate_linked` (linked to
    another worker), `worker_linked` (the worker has another candidate), `already_enrolled`
    (the worker enrolled herself in a course the candidate is enrolled in: withdraw one first).
    Locks the candidate row, then her enrolments.
    """
    require_officer(actor)
    with transaction.atomic():
        candidate = lock_candidate(candidate_id)
        if candidate is None:
            raise NotFound(_("意向人员不存在。"))
        return candidate_link_locked(candidate=candidate, worker=worker, actor=actor)


def candidate_link_locked(*, candidate: Candidate, worker: WorkerProfile, actor: User) -> Candidate:
    """candidate_link's rules, for a caller that holds the candidate's lock (and checked who
    may link her)."""
    if candidate.worker_id == worker.pk:
        return candidate
    if candidate.worker_id is not None:
        raise Conflict(_("该意向人员已关联其他服务员。"), code="candidate_linked")
    if Candidate.objects.filter(worker=worker).exists():
        raise Conflict(_("该服务员已关联其他意向人员。"), code="worker_linked")
    enrolments = list(
        lock_enrolments(Enrolment.objects.select_related("course").filter(candidate=candidate))
    )
    overlap = Enrolment.objects.filter(
        Q(course_id__in=[e.course_id for e in enrolments]), worker=worker
    ).exclude(candidate=candidate)
    if overlap.exists():
        raise Conflict(
            _("该服务员已自行报名了同一课程，请先退出其中一条报名。"),
            code="already_enrolled",
            extra={"enrolments": list(overlap.values_list("pk", flat=True))},
        )
    candidate.worker = worker
    candidate.linked_by = actor
    candidate.linked_at = timezone.now()
    try:
        with transaction.atomic():
            candidate.save(update_fields=["worker", "linked_by", "linked_at"])
            for enrolment in enrolments:
                enrolment.worker = worker
                enrolment.save(update_fields=["worker"])
    except IntegrityError as error:
        raise Conflict(_("该服务员已关联其他意向人员。"), code="worker_linked") from error
    for enrolment in enrolments:
        if enrolment.result == CompletionResult.PASSED and enrolment.training_record_id is None:
            _write_training_record(enrolment)
    return candidate
