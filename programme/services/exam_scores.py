"""Scores of an exam entered from a spreadsheet (手机号, 成绩): all rows or none.

Each row goes through exam_result_record, the one rule for a score; a refused row rolls the
whole sheet back.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from backend.exceptions import DomainError, NotFound, ValidationFailed
from marketplace.models import User
from marketplace.phones import phone_normalize
from programme.models import Exam, ExamRegistration

from .candidate_files import rows_from_upload
from .common import require_officer
from .exams import exam_result_record

HEADERS = {"手机号": "phone", "手机": "phone", "phone": "phone", "成绩": "score", "score": "score"}
MAX_ROWS = 2000


def _columns(header: list[str]) -> dict[str, int]:
    columns = {}
    for index, cell in enumerate(header):
        name = HEADERS.get(cell.strip().lower(), HEADERS.get(cell.strip()))
        if name and name not in columns:
            columns[name] = index
    if set(columns) != {"phone", "score"}:
        raise ValidationFailed(
            _("成绩表须有“手机号”和“成绩”两列。"), field="file", code="missing_columns"
        )
    return columns


def _parsed(rows: list[list[str]], registrations: dict[str, int]) -> tuple[list, list[dict]]:
    columns = _columns(rows[0])
    scores, errors = [], []
    for row_number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cell = {name: (row[i].strip() if i < len(row) else "") for name, i in columns.items()}
        try:
            phone = phone_normalize(cell["phone"])
        except ValidationError:
            errors.append({"row": row_number, "field": "phone", "detail": _("手机号格式不正确。")})
            continue
        if phone not in registrations:
            errors.append({"row": row_number, "field": "phone", "detail": _("未报名本场考试。")})
            continue
        if not cell["score"].isdigit() or not 0 <= int(cell["score"]) <= 100:
            errors.append(
                {"row": row_number, "field": "score", "detail": _("成绩须在 0 到 100 之间。")}
            )
            continue
        scores.append((row_number, registrations[phone], int(cell["score"])))
    return scores, errors


def exam_scores_import(
    *, exam_id: int, actor: User, content: bytes, filename: str = ""
) -> list[ExamRegistration]:
    """Record every row's score. Raises ValidationFailed `import_invalid` with `errors`
    [{row, field, detail}] (a row refused by exam_result_record too); nothing is kept then."""
    require_officer(actor)
    exam = Exam.objects.filter(pk=exam_id).first()
    if exam is None:
        raise NotFound(_("考试不存在。"))
    rows = rows_from_upload(content, filename, max_rows=MAX_ROWS)
    if not rows:
        raise ValidationFailed(_("文件为空。"), field="file", code="empty_file")
    registrations = dict(
        ExamRegistration.objects.filter(exam=exam).values_list("worker__phone", "pk")
    )
    scores, errors = _parsed(rows, registrations)
    if not errors:
        recorded = []
        try:
            with transaction.atomic():
                for row_number, registration_id, score in scores:
                    try:
                        recorded.append(
                            exam_result_record(
                                registration_id=registration_id, score=score, actor=actor
                            )
                        )
                    except DomainError as error:
                        errors.append({"row": row_number, "field": "score", "detail": error.detail})
                        raise
        except DomainError:
            pass
        else:
            return recorded
    raise ValidationFailed(
        _("导入失败：%(count)d 处错误，未登记任何成绩。") % {"count": len(errors)},
        code="import_invalid",
        field="file",
        extra={"errors": errors},
    )
