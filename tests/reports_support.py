"""What the report tests share: seed S1's context, text extraction from DOCX and PDF."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import docx

from ita.catalog.loader import get_framework
from ita.reports.context import AgencyInfo, AnalysisContext, build_analysis
from ita.reports.knowledge import load_knowledge
from ita.scoring.engine import OfficialScores, score_official
from ita.scoring.spec import ScoringSpec
from tests.conftest import S1_INDICATORS

ROOT = Path(__file__).resolve().parents[1]
PLAN_EXAMPLE = ROOT / "docs" / "examples" / "plan-2567.yaml"
S1_AGENCY = AgencyInfo("องค์การบริหารส่วนตำบลศรีคำ", "แม่จัน", "เชียงราย")
S1_DATE = dt.date(2023, 3, 13)  # printed as ๑๓ มีนาคม ๒๕๖๖


def s1_context(thai_digits: bool = True, **options: object) -> AnalysisContext:
    """Return the analysis report of seed S1's printed indicator scores (ITA 2565)."""
    framework = get_framework(2565)
    spec = ScoringSpec.from_framework(framework)
    result = score_official(spec, OfficialScores(indicators=S1_INDICATORS))
    knowledge = load_knowledge(2565, framework)
    return build_analysis(
        spec,
        framework,
        result,
        S1_AGENCY,
        knowledge,
        thai_digits=thai_digits,
        report_date=S1_DATE,
        **options,  # type: ignore[arg-type]
    )


def flat(text: str) -> str:
    """Return text comparable across DOCX, PDF and HTML extraction.

    Whitespace (line breaks, no-break spaces) is removed, and sara am is folded to sara aa:
    pdftotext drops the nikhahit of the decomposed ำ (STACK-NOTES §2), so "ดำเนินงาน" comes out
    as "ดาเนินงาน".
    """
    text = text.replace("\u0e33", "\u0e32").replace("\u0e4d", "")
    return re.sub(r"[\s\u200b]+", "", text)


def docx_text(data: bytes) -> str:
    """Return every paragraph of a DOCX (body, tables, footers), one per line."""
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines)


def pdf_text(data: bytes, tmp: Path) -> str:
    """Return the text pdftotext extracts from a PDF, in reading order (``-raw``).

    Without ``-raw``, pdftotext splits lines of bold Thai at the marks above and below.
    """
    path = tmp / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def pdf_fonts(data: bytes, tmp: Path) -> str:
    """Return the output of pdffonts for a PDF."""
    path = tmp / "fonts.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
