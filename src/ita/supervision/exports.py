"""The ranking of a set of agencies as CSV or XLSX: one row per agency, every score."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from ita.agencies.models import Agency
from ita.scoring.spec import ScoringSpec
from ita.supervision.services import RankRow, rank_rows, ranking_order
from ita.supervision.yeartable import YearTable

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_rows(
    agencies: QuerySet[Agency],
    year: int,
    spec: ScoringSpec,
    table: YearTable,
    previous: YearTable | None = None,
) -> list[RankRow]:
    """Return every agency of the set, best first."""
    return rank_rows(ranking_order(agencies, table, previous), year, spec)


def headers(spec: ScoringSpec, oit_items: int | None) -> list[str]:
    columns = [
        "อันดับ (rank)", "รหัส ITAS (itas_code)", "หน่วยงาน (name)", "ประเภท (type)",
        "จังหวัด (province)", "อำเภอ (district)", "คะแนนรวม (total)",
        "คะแนนรวมที่ประกาศ (published_total)", "ระดับ (level)", "ผ่านเกณฑ์ (passed)",
    ]  # fmt: skip
    columns += [f"{t.code} (tool)" for t in spec.tools]
    columns += [f"ตัวชี้วัดที่ {i.number} (indicator_{i.number})" for i in spec.indicators]
    columns += [
        f"คะแนนรวมปี {spec.fiscal_year - 1} (previous_total)",
        "เปลี่ยนแปลง (change)",
        f"ระดับปี {spec.fiscal_year - 1} (previous_level)",
        "บันทึกผลแล้ว (results_entered)",
        "มีมาตรการแล้ว (measures_entered)",
    ]
    if oit_items is not None:
        columns.append(f"หลักฐาน OIT พร้อม / {oit_items} ข้อ (oit_ready)")
    return columns


def _yes(value: bool | None) -> str:
    return "" if value is None else ("ใช่" if value else "ไม่")


def cells(row: RankRow, oit: bool) -> list[Any]:
    values: list[Any] = [
        row.rank, row.itas_code, row.name, row.type_label, row.province, row.district,
        row.total, row.published_total, row.level, _yes(row.passed),
    ]  # fmt: skip
    values += list(row.tools) + list(row.indicators)
    values += [
        row.previous_total,
        row.change,
        row.previous_level,
        _yes(row.has_results),
        _yes(row.has_measures),
    ]
    if oit:
        values.append(row.oit_ready)
    return ["" if v is None else v for v in values]


def to_csv(rows: Sequence[RankRow], spec: ScoringSpec, oit_items: int | None) -> bytes:
    """Return UTF-8 CSV with a byte-order mark (so that Excel reads Thai)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers(spec, oit_items))
    for row in rows:
        writer.writerow(cells(row, oit_items is not None))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows: Sequence[RankRow], spec: ScoringSpec, oit_items: int | None) -> bytes:
    """Return an XLSX workbook, written row by row (thousands of rows in little memory)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"ITA {spec.fiscal_year}")
    sheet.freeze_panes = "D2"
    bold = Font(bold=True)
    header = []
    for text in headers(spec, oit_items):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append(cells(row, oit_items is not None))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
