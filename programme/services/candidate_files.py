"""Reading the village lists officers upload: CSV as Excel and WPS save it, and .xlsx.

Either becomes a list of rows of stripped strings (the first row the header); the rules of
what a row must hold are programme.services.candidates'.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

from django.utils.translation import gettext as _

from backend.exceptions import ValidationFailed

XLSX_MAGIC = b"PK\x03\x04"
MAX_XLSX_COLUMNS = 30


def decode_csv(content: bytes) -> str:
    """UTF-8 (with or without a BOM, as Excel saves it) or GBK/GB18030 (older Excel)."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content.decode("utf-8-sig")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError as error:
        raise ValidationFailed(
            _("无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 CSV。"),
            field="file",
            code="bad_encoding",
        ) from error


def _cell_text(value) -> str:
    """A cell as the officer sees it: whole numbers without ".0" (phones typed as numbers)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(value).strip()


def xlsx_rows(content: bytes, *, max_rows: int) -> list[list[str]]:
    """The first worksheet's rows (at most `max_rows` + 1 read). Raises ValidationFailed
    `bad_file` for anything openpyxl cannot read as a workbook."""
    from openpyxl import load_workbook  # read only when an .xlsx arrives

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ValidationFailed(
            _("无法读取该 Excel 文件，请另存为 .xlsx 或 CSV 后重试。"),
            field="file",
            code="bad_file",
        ) from error
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            return []
        rows = []
        for values in sheet.iter_rows(max_col=MAX_XLSX_COLUMNS, values_only=True):
            rows.append([_cell_text(value) for value in values])
            if len(rows) > max_rows + 1:
                break
        return rows
    finally:
        workbook.close()


def rows_from_upload(
    content: bytes, filename: str = "", *, max_rows: int = 5000
) -> list[list[str]]:
    """The rows of an uploaded list: .xlsx by its name or its zip signature, else CSV."""
    if filename.lower().endswith(".xlsx") or content.startswith(XLSX_MAGIC):
        return xlsx_rows(content, max_rows=max_rows)
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(decode_csv(content)))]
