"""The DOCX opens in LibreOffice and converts to PDF without losing Thai.

Slow (LibreOffice starts in 2–5 s): one conversion of the analysis report and one of the
measures document, each with a private profile and a writable HOME, as STACK-NOTES §3 says
(a shared profile silently drops outputs of concurrent conversions). Skipped where LibreOffice
is not installed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ita.catalog.loader import get_framework
from ita.reports.context import build_measures
from ita.reports.docx import render_docx
from ita.reports.plans import load_plan
from ita.scoring.spec import ScoringSpec
from tests.reports_support import PLAN_EXAMPLE, flat, pdf_fonts, pdf_text, s1_context

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="slow and needs LibreOffice (soffice) to convert DOCX to PDF"
)


def convert(data: bytes, tmp_path: Path) -> bytes:
    """Return the PDF LibreOffice makes of a DOCX."""
    source = tmp_path / "doc.docx"
    source.write_bytes(data)
    home = tmp_path / "home"
    home.mkdir()
    profile = (tmp_path / "lo_profile").as_uri()
    subprocess.run(
        [str(SOFFICE), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        timeout=180,
        check=True,
    )  # fmt: skip
    return (tmp_path / "doc.pdf").read_bytes()


def test_libreoffice_converts_the_analysis_report_with_its_thai(tmp_path: Path) -> None:
    pdf = convert(render_docx(s1_context()), tmp_path)
    text = flat(pdf_text(pdf, tmp_path))
    for fact in ["รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส", "องค์การบริหารส่วนตำบลศรีคำ",
                 "๘๗.๘๖", "การเปิดเผยข้อมูล", "การป้องกันการทุจริต", "๗๕.๑๕", "การใช้งบประมาณ",
                 "ตัวชี้วัดที่ ๘ การปรับปรุงการทำงาน ได้คะแนน ๗๘.๐๙"]:  # fmt: skip
        assert flat(fact) in text, fact
    assert "\ufffd" not in text
    fonts = pdf_fonts(pdf, tmp_path)
    assert "emb" in fonts
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all(row[-5] == "yes" for row in rows), fonts


def test_libreoffice_converts_the_landscape_measures_document(tmp_path: Path) -> None:
    plan = load_plan(PLAN_EXAMPLE, get_framework)
    ctx = build_measures(plan, ScoringSpec.from_framework(get_framework(2566)), "detailed")
    pdf = convert(render_docx(ctx), tmp_path)
    text = flat(pdf_text(pdf, tmp_path))
    assert flat("มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน") in text
    assert flat("คะแนน ๗๔.๖๒") in text
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "doc.pdf")], capture_output=True, text=True, check=True
    ).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size"))
    width, height = (float(v) for v in size.split(":")[1].split("pts")[0].split(" x "))
    assert width > height  # landscape survived (the body does not end with a table)
