"""What leaves the registry: the sheet for typing into ITAS, and the public page's content."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from ita.oit.models import READY_STATUSES
from ita.oit.services import Checklist, Row

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The answers ITAS offers for an OIT item (DOMAIN.md §1): the words to type, not interface text.
PRESENT, ABSENT = "มี", "ไม่มี"


def itas_answer(row: Row) -> str:
    """Return มี for an item marked ready or submitted with at least one link, else ไม่มี."""
    return PRESENT if row.status in READY_STATUSES and row.links else ABSENT


def itas_rows(checklist: Checklist) -> list[list[str]]:
    """Return the sheet: a header, then one row per item in the framework's order.

    Columns: item code, item, มี/ไม่มี, URL (several on separate lines of the cell), the
    explanation for ITAS, and the latest link check (to fix before copying). Internal notes and
    files are never part of it.
    """
    rows = [
        [_("Item"), _("Item text"), f"{PRESENT}/{ABSENT}", "URL", _("Explanation"), _("Link check")]
    ]
    for row in checklist.rows:
        checks = [
            f"{link.url}: {verdict_text(link.last_verdict)}" for link in row.links if link.checked
        ]
        rows.append(
            [
                row.code,
                row.item.text_th or "",
                itas_answer(row),
                "\n".join(link.url for link in row.links),
                row.evidence.explanation if row.evidence else "",
                "\n".join(checks),
            ]
        )
    return rows


def verdict_text(verdict: str) -> str:
    from ita.oit.templatetags.oit_panels import verdict_label

    return verdict_label(verdict)


def itas_workbook(checklist: Checklist) -> bytes:
    """Return the ITAS sheet as an XLSX workbook."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = str(checklist.fiscal_year)
    for values in itas_rows(checklist):
        sheet.append(values)
    fill = PatternFill("solid", fgColor="EEF1F7")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = fill
    widths = (8, 60, 10, 60, 60, 40)  # not-domain: spreadsheet column widths
    for column, width in zip("ABCDEF", widths, strict=True):
        sheet.column_dimensions[column].width = width
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class PublicItem:
    """What the public page shows of an item: nothing else reaches its template."""

    code: str
    text: str
    sub_indicator: str
    urls: tuple[str, ...]


def public_context(checklist: Checklist) -> dict[str, Any]:
    """Return the public page's context: items with their links, and no other field.

    Links are shown for items marked ready or submitted; the explanation for ITAS, internal
    notes, responsible units, files and link checks are never part of it.
    """
    groups: list[tuple[str, list[PublicItem]]] = []
    for row in checklist.rows:
        heading = f"{row.indicator.number}. {row.indicator.name_th}"
        if not groups or groups[-1][0] != heading:
            groups.append((heading, []))
        sub = ""
        if row.sub_indicator is not None:
            sub = f"{row.sub_indicator.code} {row.sub_indicator.name_th}"
        groups[-1][1].append(
            PublicItem(
                code=row.code,
                text=row.item.text_th or "",
                sub_indicator=sub,
                urls=tuple(link.url for link in row.published_links),
            )
        )
    updated = max(
        (row.evidence.updated_at for row in checklist.rows if row.evidence is not None),
        default=None,
    )
    updated_on = timezone.localdate(updated) if updated is not None else None
    return {
        "agency_name": checklist.agency.name_th,
        "fiscal_year": checklist.fiscal_year,
        "groups": groups,
        "updated": updated_on,
        "thai_digits": checklist.agency.thai_digits,
    }
