"""``ita import``: read an analysis report, measures document or results report (no database)."""

from __future__ import annotations

from pathlib import Path

import click

from ita.catalog.loader import FrameworkError, get_framework
from ita.cli.common import fail, parse_year, print_json
from ita.importers import DocumentError, ImportedDocument, import_path
from ita.importers.document import AUDIENCES, KINDS, Measure
from ita.scoring.spec import ScoringSpec
from ita.thai import pad


@click.command("import")
@click.argument("path", metavar="FILE", type=click.Path(path_type=Path))
@click.option("--year", "year_text", help="Fiscal year (BE) when the document does not say it.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def import_document(path: Path, year_text: str | None, as_json: bool) -> None:
    """Read a DOCX, PDF, XLSX or text file and show what it says; nothing is saved.

    อ่านรายงานการวิเคราะห์ มาตรการ หรือรายงานผลการดำเนินการ (DOCX PDF XLSX หรือข้อความ)
    แล้วแสดงสิ่งที่อ่านได้ โดยไม่บันทึกลงฐานข้อมูล
    """
    year = parse_year(year_text) if year_text is not None else None
    try:
        document = import_path(path, year)
    except DocumentError as exc:
        fail(str(exc))
    if as_json:
        print_json(document.to_json())
    else:
        click.echo(render_summary(document))


NAME_WIDTH = 40  # not-domain: display columns for an indicator's name


def _indicator_names(year: int | None) -> dict[int, str]:
    if year is None:
        return {}
    try:
        spec = ScoringSpec.from_framework(get_framework(year))
    except (LookupError, FrameworkError, FileNotFoundError):
        return {}
    return {ind.number: ind.name_th for ind in spec.indicators}


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def render_summary(doc: ImportedDocument) -> str:
    """Return what was read as a readable Thai/English summary."""
    th, en = KINDS[doc.kind]
    place = " ".join(
        part
        for part in (
            doc.agency,
            f"อำเภอ{doc.district}" if doc.district else None,
            f"จังหวัด{doc.province}" if doc.province else None,
        )
        if part
    )
    years = [f"ปีงบประมาณ / fiscal year: {doc.fiscal_year or '-'}"]
    if doc.scores_fiscal_year is not None:
        years.append(f"คะแนนของปี / scores of: {doc.scores_fiscal_year}")
    if doc.measures_fiscal_year is not None:
        years.append(f"มาตรการของปี / measures for: {doc.measures_fiscal_year}")
    lines = [
        f"เอกสาร / document: {th} ({en}), {doc.file_format}",
        f"หน่วยงาน / agency: {place or '-'}",
        " · ".join(years),
    ]
    if doc.indicators:
        lines += ["", "คะแนนรายตัวชี้วัด / indicator scores:"]
        names = _indicator_names(doc.framework_year)
        lines += [
            pad(f"  {n:>3}  {names.get(n, '')}", NAME_WIDTH) + f"{_score(v):>7}"
            for n, v in doc.indicators.items()
        ]
    if doc.tools:
        lines.append("คะแนนรายแบบวัด / tool scores: " + ", ".join(
            f"{code} {_score(v)}" for code, v in doc.tools.items()
        ))  # fmt: skip
    if doc.stated_total is not None or doc.stated_level is not None:
        lines.append(
            f"คะแนนรวมที่เอกสารระบุ / stated total: {_score(doc.stated_total)}, "
            f"ระดับ / level: {doc.stated_level or '-'}"
        )
    if doc.computed is not None and doc.computed.total is not None:
        level = doc.computed.level.name if doc.computed.level else "-"
        lines.append(
            f"คำนวณตามกรอบปี {doc.framework_year} / computed with the {doc.framework_year} "
            f"framework: {_score(doc.computed.total)}, ระดับ / level: {level}"
        )
    if doc.items:
        lines += ["", f"คะแนนรายข้อ / item scores ({len(doc.items)}):"]
        lines.append("  " + ", ".join(f"{code} {_score(v)}" for code, v in doc.items.items()))
    if doc.findings:
        lines += ["", "ข้อค้นพบ / findings:"]
        for code, finding in doc.findings.items():
            who = AUDIENCES[finding.audience][0] if finding.audience else "-"
            share = f"{finding.percent:.2f} %" if finding.percent is not None else "-"
            lines.append(f"  {code:<4} {share:>8}  {who}")
    if doc.measures:
        lines += ["", f"มาตรการ / measures ({len(doc.measures)}):"]
        for measure in doc.measures:
            lines += _measure_lines(measure)
    if doc.warnings:
        lines += ["", "หมายเหตุ / warnings:"] + [f"  - {w}" for w in doc.warnings]
    return "\n".join(lines)


def _measure_lines(m: Measure) -> list[str]:
    number = f"{m.number}." if m.number is not None else "-"
    title = m.title.replace("\n", " / ")
    lines = [f"  {number} {title}"]
    if m.issue is not None:
        lines.append(f"      ประเด็น / issue {m.issue.number or '-'}: {m.issue.printed}")
    fields: list[tuple[str, list[str]]] = [
        ("ข้อคำถาม / questions", [", ".join(m.items)] if m.items else []),
        ("ขั้นตอน / steps", list(m.steps)),
        ("ระยะเวลา / period", [m.period] if m.period else []),
        ("ผู้รับผิดชอบ / responsible", [", ".join(m.responsible)] if m.responsible else []),
        ("การติดตามผล / follow-up", [m.follow_up] if m.follow_up else []),
        ("ผลการดำเนินการ / output", list(m.output)),
        ("ผลลัพธ์ / outcome", list(m.outcome)),
        ("ข้อเสนอแนะ / recommendations", list(m.recommendations)),
        ("หลักฐาน / evidence", list(m.evidence)),
        ("ข้อจำกัด / limitations", list(m.limitations)),
    ]
    for label, values in fields:
        if len(values) == 1:
            lines.append(f"      {label}: {values[0]}")
        elif values:
            lines.append(f"      {label}:")
            lines += [f"        {i}) {v}" for i, v in enumerate(values, start=1)]
    return lines
