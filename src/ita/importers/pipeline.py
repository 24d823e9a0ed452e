"""From a file to an :class:`~ita.importers.document.ImportedDocument`, with the checks.

read (readers) → repair and find table headers (tables) → kind, years, agency (detect) →
scores (scores) and measures (measures) → checks: the total recomputed by the scoring engine
with the year's framework, the document's own total, level, level table and weights.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ita.catalog.loader import FrameworkError, framework_paths, get_framework
from ita.catalog.schema import Framework
from ita.importers import detect
from ita.importers.document import Finding, ImportedDocument, Measure
from ita.importers.measures import Issues, read_measures
from ita.importers.readers import (
    MAX_CHARS,
    DocumentError,
    RawDocument,
    read_bytes,
    read_path,
    text_blocks,
    too_large,
)
from ita.importers.scores import (
    Stated,
    check_level_table,
    check_weights,
    read_indicators,
    read_items,
    read_level_table,
    read_stated,
    read_tools,
)
from ita.importers.tables import clean
from ita.scoring.engine import (
    Notice,
    OfficialScores,
    ScoreResult,
    ScoringInputError,
    score_official,
)
from ita.scoring.spec import ScoringSpec

Loader = Callable[[int], Framework]


def import_path(path: Path, year: int | None = None) -> ImportedDocument:
    """Read a document from disk; ``year`` names its fiscal year when it does not (or wrongly)."""
    return import_raw(read_path(path), year)


def import_bytes(data: bytes, year: int | None = None) -> ImportedDocument:
    """Read a document from its bytes (a web upload)."""
    return import_raw(read_bytes(data), year)


def import_text(text: str, year: int | None = None) -> ImportedDocument:
    """Read text as extracted from a PDF (tabs between table cells)."""
    if not text.strip():
        raise DocumentError("ไฟล์ว่างเปล่า", "the file is empty")
    if len(text) > MAX_CHARS:
        raise too_large(f"ข้อความเกิน {MAX_CHARS:,} ตัวอักษร", f"more than {MAX_CHARS:,} characters")
    return import_raw(RawDocument("text", tuple(text_blocks(text))), year)


def import_raw(raw: RawDocument, year: int | None = None) -> ImportedDocument:
    """Read what a document says from its blocks, check it, and return it with the warnings."""
    doc = clean(raw)
    if not doc.lines and not doc.tables:
        raise DocumentError("ไม่มีข้อความในไฟล์", "the file has no text")
    kind = detect.detect_kind(doc)
    if kind is None:
        raise DocumentError(
            "ไม่ใช่เอกสาร ITA ที่รู้จัก (รายงานการวิเคราะห์ มาตรการ หรือรายงานผลการดำเนินการ)",
            "not an ITA document this tool knows (analysis report, measures, results report)",
        )
    warnings: list[Notice] = []

    def warn(code: str, th: str, en: str) -> None:
        warnings.append(Notice(code, th, en))

    stated_year = detect.fiscal_year(doc)
    fiscal_year = year if year is not None else stated_year
    if year is not None and stated_year is not None and year != stated_year:
        warn(
            "year_override",
            f"เอกสารระบุปีงบประมาณ {stated_year} แต่ใช้ปี {year} ตามที่สั่ง",
            f"the document says fiscal year {stated_year}; using {year} as asked",
        )
    scores_year = detect.scores_fiscal_year(doc, kind, fiscal_year)
    measures_year = detect.measures_fiscal_year(doc, kind, fiscal_year)
    framework, framework_year = _framework(scores_year or fiscal_year, warn)
    spec = ScoringSpec.from_framework(framework)
    issues: Issues = [(i.number, (i.title_th, *i.aliases)) for i in framework.issues]

    agency = detect.agency(doc)
    if len(agency.variants) > 1:
        names = ", ".join(f"{name} ({count}×)" for name, count in agency.variants)
        warn(
            "agency_names",
            f"เอกสารเรียกชื่อหน่วยงานไม่ตรงกัน: {names}",
            f"the document names the agency differently: {names}",
        )
    indicators = read_indicators(doc, spec, warn)
    tools = read_tools(doc, spec, warn)
    items = read_items(doc, spec, warn)
    stated = read_stated(doc, spec, warn)
    level_table = read_level_table(doc, spec)
    check_level_table(level_table, spec, warn)
    check_weights(doc, spec, warn)
    measures = read_measures(doc, spec, issues, warn)
    findings = _findings_by_item(measures, warn)
    computed = _recompute(spec, indicators, items, tools, stated, warn)
    if not (indicators or items or measures or stated.total is not None):
        warn(
            "nothing_found",
            "ไม่พบคะแนนหรือมาตรการในเอกสาร",
            "no scores or measures were found in the document",
        )
    return ImportedDocument(
        kind=kind,
        file_format=raw.file_format,
        agency=agency.name,
        district=agency.district,
        province=agency.province,
        fiscal_year=fiscal_year,
        scores_fiscal_year=scores_year,
        measures_fiscal_year=measures_year,
        framework_year=framework_year,
        indicators=indicators,
        tools=tools,
        stated_total=stated.total,
        stated_level=stated.level,
        items=items,
        findings=findings,
        measures=tuple(measures),
        level_table=tuple(level_table),
        computed=computed,
        warnings=tuple(warnings),
        source_lines=doc.source_lines,
    )


def _framework(year: int | None, warn: Callable[[str, str, str], None]) -> tuple[Framework, int]:
    """Return the framework to read codes and names with: the year's, else the nearest one."""
    try:
        years = list(framework_paths())
        if not years:
            raise FileNotFoundError("no framework files")
        if year in years:
            return get_framework(year), year
        nearest = min(years, key=lambda y: (abs(y - (year or years[-1])), -y))
        if year is None:
            warn(
                "no_year",
                f"ไม่พบปีงบประมาณในเอกสาร จึงอ่านรหัสข้อและชื่อตัวชี้วัดตามกรอบปี {nearest} (ระบุปีด้วย --year)",
                f"the document states no fiscal year; codes and names read with the {nearest} "
                "framework (give --year)",
            )
        else:
            warn(
                "no_framework",
                f"ไม่มีกรอบการประเมินปี {year} จึงอ่านตามกรอบปี {nearest} และไม่ตรวจคะแนนรวม",
                f"no framework for {year}; read with the {nearest} framework, total not checked",
            )
        return get_framework(nearest), nearest
    except (FrameworkError, FileNotFoundError, LookupError) as exc:
        raise DocumentError(
            f"อ่านกรอบการประเมินไม่ได้: {exc}", f"cannot read the framework files: {exc}"
        ) from None


def _findings_by_item(
    measures: list[Measure], warn: Callable[[str, str, str], None]
) -> dict[str, Finding]:
    found: dict[str, Finding] = {}
    for measure in measures:
        for finding in measure.findings:
            for code in finding.items:
                before = found.get(code)
                if before is not None and before.percent != finding.percent:
                    was, now = before.percent, finding.percent
                    warn(
                        "conflicting_findings",
                        f"ข้อค้นพบของข้อ {code} พิมพ์ไว้ต่างกัน: {was} และ {now}",
                        f"the finding of {code} is printed as {was} and {now}",
                    )
                found.setdefault(code, finding)
    return found


def _recompute(
    spec: ScoringSpec,
    indicators: dict[int, float],
    items: dict[str, float],
    tools: dict[str, float],
    stated: Stated,
    warn: Callable[[str, str, str], None],
) -> ScoreResult | None:
    """Recompute the total and level with the engine when the document prints indicators.

    Only indicators whose every item is printed take their items along: a measures document
    prints a few items per issue, whose mean is not the indicator's score. Every other total
    the document states is compared too (seed S1 restates 87.86 as 86.81).
    """
    if not indicators and stated.total is None:
        return None
    complete = {
        code: score
        for code, score in items.items()
        if all(c in items for c in spec.indicator(spec.item(code).indicator).items)
    }
    names = {lv.name for lv in spec.levels}
    level = stated.level if stated.level in names else None
    try:
        result = score_official(
            spec,
            OfficialScores(indicators, complete, tools, total=stated.total, level=level),
        )
        for notice in result.notices:
            warn(notice.code, notice.th, notice.en)
        for other in stated.other_totals:
            again = score_official(spec, OfficialScores(indicators, complete, total=other))
            for notice in again.notices:
                if notice.code in {"rounding", "disagreement"}:
                    warn(notice.code, notice.th, notice.en)
    except ScoringInputError as exc:
        warn("not_checked", f"ตรวจคะแนนรวมไม่ได้: {exc.th}", f"total not checked: {exc.en}")
        return None
    return result
