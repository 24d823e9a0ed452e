"""Results as a table (CSV or XLSX): the downloadable template and the upload reader.

One row per indicator or item::

    kind       code  name                    score  finding  present  remark
    indicator  1     การปฏิบัติหน้าที่          88.81
    item       I9    หน่วยงานของท่าน ใช้จ่าย…   93.94  6.06
    item       O42   มาตรการส่งเสริม…          100             มี       …

Every row is checked and every fault reported (line 1 is the header); nothing is returned
unless the whole file is valid. A blank score, finding, answer and remark clears that row's
stored result; rows that are not in the file are left as they are.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill

from ita.assessments.forms import parse_score
from ita.assessments.models import Assessment
from ita.assessments.services import ItemEntry
from ita.catalog.schema import Framework
from ita.scoring.inputs import RowError, TableError
from ita.scoring.spec import ScoringSpec, normalize_code

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_XLSX_UNCOMPRESSED = 50 * 1024 * 1024  # refuse zip bombs before openpyxl opens them
MAX_ROWS = 5000

COLUMNS = ("kind", "code", "name", "score", "finding", "present", "remark")
HEADERS_TH = {
    "kind": "ประเภท",
    "code": "รหัส",
    "name": "ชื่อ/ข้อคำถาม",
    "score": "คะแนน",
    "finding": "ข้อค้นพบ %",
    "present": "มี/ไม่มี",
    "remark": "หมายเหตุผู้ตรวจประเมิน",
}
KINDS = {"indicator": "indicator", "ตัวชี้วัด": "indicator", "item": "item", "ข้อ": "item"}
PRESENT = {"มี": True, "yes": True, "1": True, "ไม่มี": False, "no": False, "0": False, "": None}


def _header_label(column: str) -> str:
    return f"{HEADERS_TH[column]} ({column})"


@dataclass(frozen=True)
class UploadedResults:
    indicators: dict[int, Decimal | None]
    items: dict[str, ItemEntry]

    def count(self) -> int:
        filled = [v for v in self.indicators.values() if v is not None]
        return len(filled) + sum(not e.is_empty() for e in self.items.values())


def template_rows(framework: Framework, assessment: Assessment | None) -> list[list[Any]]:
    """Return the template's rows, prefilled with what is stored."""
    indicators = (
        {s.number: s.score for s in assessment.indicator_scores.all()} if assessment else {}
    )
    items = {r.code: r for r in assessment.item_scores.all()} if assessment else {}
    rows: list[list[Any]] = [[_header_label(c) for c in COLUMNS]]
    for _tool, ind in framework.indicators():
        rows.append(
            ["ตัวชี้วัด", ind.number, ind.name_th, _cell(indicators.get(ind.number)), "", "", ""]
        )
    for tool, _ind, item in framework.iter_items():
        row = items.get(item.code)
        present = "" if row is None or row.present is None else ("มี" if row.present else "ไม่มี")
        rows.append(
            [
                "ข้อ",
                item.code,
                f"[{tool.code}] {item.text_th or ''}".strip(),
                _cell(row.score if row else None),
                _cell(row.finding if row else None),
                present,
                row.remark if row else "",
            ]
        )
    return rows


def _cell(value: Decimal | None) -> float | str:
    return float(value) if value is not None else ""


def template_xlsx(framework: Framework, assessment: Assessment | None) -> bytes:
    """Return the template as an XLSX workbook."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = f"ITA {framework.fiscal_year}"
    for row in template_rows(framework, assessment):
        sheet.append(row)
    header_fill = PatternFill("solid", fgColor="EEF1F7")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
    widths = (11, 8, 70, 10, 12, 10, 40)  # not-domain: spreadsheet column widths
    for column, width in zip("ABCDEFG", widths, strict=True):
        sheet.column_dimensions[column].width = width
    for cells in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
        cells[0].alignment = Alignment(wrap_text=False)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv(framework: Framework, assessment: Assessment | None) -> bytes:
    """Return the template as UTF-8 CSV with a byte-order mark (so Excel reads Thai)."""
    out = io.StringIO()
    csv.writer(out).writerows(template_rows(framework, assessment))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _read_csv(data: bytes) -> list[list[Any]]:
    for encoding in ("utf-8-sig", "cp874"):  # Thai Excel saves "CSV" in Windows-874
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableError(
            [RowError(None, "อ่านไฟล์ CSV ไม่ได้ (ต้องเป็น UTF-8)", "cannot read the CSV (use UTF-8)")]
        )
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:  # e.g. a lone carriage return inside a field
        raise TableError(
            [
                RowError(
                    None,
                    "ไฟล์ CSV ผิดรูปแบบ บันทึกใหม่จาก Excel เป็น CSV UTF-8 แล้วลองอีกครั้ง",
                    f"the CSV is malformed ({exc}); save it again from Excel as CSV UTF-8",
                )
            ]
        ) from None


def _read_xlsx(data: bytes) -> list[list[Any]]:
    damaged = TableError([RowError(None, "ไฟล์ XLSX เสียหาย", "the XLSX file is damaged")])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError):
        raise damaged from None  # NotImplementedError: a ZIP version zipfile does not read
    if unpacked > MAX_XLSX_UNCOMPRESSED:
        raise TableError([RowError(None, "ไฟล์ XLSX ใหญ่เกินไป", "the XLSX file unpacks too large")])
    rows: list[list[Any]] = []
    try:
        # Read-only mode reads the sheet lazily: a damaged part may fail at any row.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for values in book.worksheets[0].iter_rows(values_only=True):
                rows.append(["" if v is None else v for v in values])
                if len(rows) > MAX_ROWS + 1:
                    break
        finally:
            book.close()
    except Exception:  # openpyxl and zipfile raise many kinds (NotImplementedError included)
        raise damaged from None
    return rows


def read_upload(filename: str, data: bytes) -> list[list[Any]]:
    """Return the cells of an uploaded CSV or XLSX file, refusing what is too big or unknown."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise TableError([RowError(None, "ไฟล์ใหญ่เกิน 5 MB", "the file is larger than 5 MB")])
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(data)
    if name.endswith(".csv"):
        return _read_csv(data)
    raise TableError([RowError(None, "รองรับเฉพาะไฟล์ .csv และ .xlsx", "only .csv and .xlsx files")])


def _text(value: Any) -> str:
    if isinstance(value, float):
        # Spreadsheet numbers arrive as floats; write them back the way they were typed.
        return f"{value:.10f}".rstrip("0").rstrip(".")
    return str(value).strip()


def _column_of(header: str) -> str | None:
    cell = header.strip().lower()
    for column in COLUMNS:
        if cell in {column, HEADERS_TH[column].lower(), _header_label(column).lower()}:
            return column
    return None


def parse_results(rows: list[list[Any]], spec: ScoringSpec) -> UploadedResults:
    """Return the results of a table, or raise :class:`TableError` listing every fault."""
    rows = [r for r in rows if any(_text(v) for v in r)]
    if not rows:
        raise TableError([RowError(None, "ไฟล์ว่างเปล่า", "the file is empty")])
    if len(rows) > MAX_ROWS + 1:
        raise TableError([RowError(None, f"เกิน {MAX_ROWS} แถว", f"more than {MAX_ROWS} rows")])
    header = [_column_of(_text(h)) for h in rows[0]]
    missing = [c for c in ("kind", "code", "score") if c not in header]
    if missing:
        raise TableError(
            [
                RowError(
                    1, f"ไม่มีคอลัมน์ {', '.join(missing)}", f"missing column(s) {', '.join(missing)}"
                )
            ]
        )
    if len(rows) == 1:
        raise TableError(
            [RowError(None, "มีแต่หัวตาราง ไม่มีแถวผลคะแนน", "only a header, no rows of results")]
        )
    errors: list[RowError] = []
    indicators: dict[int, Decimal | None] = {}
    items: dict[str, ItemEntry] = {}
    seen: dict[str, int] = {}
    for line, cells in enumerate(rows[1:], start=2):
        row = {
            col: _text(cells[i]) if i < len(cells) else "" for i, col in enumerate(header) if col
        }
        kind = KINDS.get(row["kind"].lower())
        if kind is None:
            errors.append(
                RowError(
                    line,
                    f"ประเภท {row['kind']!r} ต้องเป็น ตัวชี้วัด หรือ ข้อ",
                    f"kind {row['kind']!r} must be indicator or item",
                )
            )
            continue
        values = {}
        for column in ("score", "finding"):
            text = row.get(column, "")
            try:
                values[column] = parse_score(text) if text else None
            except ValueError as exc:
                label = HEADERS_TH[column]
                errors.append(RowError(line, f"{label}: {exc}", f"{column} {text!r}: {exc}"))
                values[column] = None
        if kind == "indicator":
            number = spec.resolve_indicator(row["code"])
            key = f"indicator {number}"
            if number is None:
                errors.append(
                    RowError(
                        line,
                        f"ไม่มีตัวชี้วัด {row['code']!r} ในปี {spec.fiscal_year}",
                        f"unknown indicator {row['code']!r}",
                    )
                )
                continue
            indicators[number] = values["score"]
        else:
            code = normalize_code(row["code"])
            key = code
            if not spec.has_item(code):
                errors.append(
                    RowError(
                        line,
                        f"ไม่มีข้อ {row['code']!r} ในปี {spec.fiscal_year}",
                        f"unknown item {row['code']!r}",
                    )
                )
                continue
            present_text = row.get("present", "").lower()
            if present_text not in PRESENT:
                errors.append(
                    RowError(
                        line,
                        f"มี/ไม่มี: {row['present']!r} ต้องเป็น มี หรือ ไม่มี",
                        f"present {row['present']!r} must be มี or ไม่มี",
                    )
                )
                continue
            is_question = bool(spec.item(code).fields)
            if not is_question and values["finding"] is not None:
                errors.append(
                    RowError(
                        line, f"ข้อ {code} เป็นข้อ OIT ไม่มีข้อค้นพบ", f"{code} is an OIT item: no finding"
                    )
                )
                continue
            if is_question and PRESENT[present_text] is not None:
                errors.append(
                    RowError(
                        line,
                        f"มี/ไม่มี ใช้กับข้อ OIT เท่านั้น ({code})",
                        f"present applies to OIT items only ({code})",
                    )
                )
                continue
            items[code] = ItemEntry(
                values["score"], values["finding"], PRESENT[present_text], row.get("remark", "")
            )
        if key in seen:
            errors.append(
                RowError(line, f"{key} ซ้ำกับแถวที่ {seen[key]}", f"{key} repeats line {seen[key]}")
            )
        seen[key] = line
    if errors:
        raise TableError(errors)
    return UploadedResults(indicators, items)
