"""DOCX, PDF and HTML say the same thing, with Thai that never falls back to another font."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from ita.catalog.loader import get_framework
from ita.reports.charts import render_chart
from ita.reports.context import ChartData, build_measures, build_results
from ita.reports.docx import FONT, render_docx
from ita.reports.html import render_html
from ita.reports.pdf import render_pdf
from ita.reports.plans import load_plan
from ita.scoring.spec import ScoringSpec
from tests.reports_support import PLAN_EXAMPLE, docx_text, flat, pdf_fonts, pdf_text, s1_context

# What seed S1's analysis must state, in each digit mode.
S1_FACTS = {
    True: ["๘๗.๘๖", "ระดับ A", "๑๐๐.๐๐", "๗๕.๑๕", "การเปิดเผยข้อมูล", "การป้องกันการทุจริต",
           "การใช้งบประมาณ", "๑๓ มีนาคม ๒๕๖๖", "พ.ศ. ๒๕๖๕", "ศรีคำ"],
    False: ["87.86", "ระดับ A", "100.00", "75.15", "การเปิดเผยข้อมูล", "การป้องกันการทุจริต",
            "การใช้งบประมาณ", "13 มีนาคม 2566", "พ.ศ. 2565", "ศรีคำ"],
}  # fmt: skip
# The headings of the indicators discussed as weaknesses (2–8, not 1, 9, 10).
WEAK_TITLES = {
    True: [f"ตัวชี้วัดที่ {d}" for d in "๒๓๔๕๖๗๘"],
    False: [f"ตัวชี้วัดที่ {d}" for d in "2345678"],
}


@pytest.fixture(scope="module", params=[True, False], ids=["thai-digits", "arabic-digits"])
def thai(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


@pytest.fixture(scope="module")
def s1_docx(thai: bool) -> bytes:
    return render_docx(s1_context(thai_digits=thai))


@pytest.fixture(scope="module")
def s1_pdf(thai: bool) -> bytes:
    return render_pdf(s1_context(thai_digits=thai))


WEAK_TITLE = re.compile(r"^ตัวชี้วัดที่\s?(\S+)\s[^\n]*ได้คะแนน\s?[0-9๐-๙.]+$", re.M)


def weak_titles_found(text: str) -> list[str]:
    """Return the weak-indicator headings: lines like ``ตัวชี้วัดที่ ๒ การใช้งบประมาณ ได้คะแนน ๗๕.๑๕``."""
    text = text.replace("\u00a0", " ").replace("\f", "\n")  # a title may open a page
    return [f"ตัวชี้วัดที่ {n}" for n in WEAK_TITLE.findall(text)]


def test_the_docx_states_seed_001s_figures(s1_docx: bytes, thai: bool) -> None:
    text = docx_text(s1_docx)
    missing = [fact for fact in S1_FACTS[thai] if flat(fact) not in flat(text)]
    assert missing == []
    assert weak_titles_found(text) == WEAK_TITLES[thai]


def test_the_pdf_states_seed_001s_figures(s1_pdf: bytes, thai: bool, tmp_path: Path) -> None:
    text = pdf_text(s1_pdf, tmp_path)
    missing = [fact for fact in S1_FACTS[thai] if flat(fact) not in flat(text)]
    assert missing == []
    assert weak_titles_found(text) == WEAK_TITLES[thai]


def test_the_pdf_embeds_the_bundled_thai_font(s1_pdf: bytes, tmp_path: Path) -> None:
    fonts = pdf_fonts(s1_pdf, tmp_path)
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows, fonts
    assert all("ITA-Sarabun" in row[0] for row in rows), fonts
    assert all(row[-5] == "yes" for row in rows), fonts  # the "emb" column


def test_the_pdf_has_a_table_of_contents_with_page_numbers(s1_pdf: bytes, tmp_path: Path) -> None:
    text = pdf_text(s1_pdf, tmp_path)
    contents = text.split("สารบัญ", 1)[1].split("\f", 1)[0]
    assert re.search(r"กรอบการประเมิน ITA.*?\.\s*[0-9๐-๙]+", contents.replace("\n", " "))


def test_every_docx_font_slot_names_th_sarabun_new(s1_docx: bytes) -> None:
    document = docx.Document(io.BytesIO(s1_docx))
    styles = document.styles.element
    default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = default.find(qn("w:rFonts"))
    assert dict(fonts.attrib) == {qn(f"w:{s}"): FONT for s in ("ascii", "hAnsi", "eastAsia", "cs")}
    assert default.find(qn("w:szCs")).get(qn("w:val")) == "32"  # 16 pt
    assert default.find(qn("w:lang")).get(qn("w:bidi")) == "th-TH"
    for style in styles.findall(qn("w:style")):
        rfonts = style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        if rfonts is not None:
            assert not [a for a in rfonts.attrib if "Theme" in a or "theme" in a], style.get(
                qn("w:styleId")
            )
    used = {p.style.name for p in document.paragraphs if p.style is not None}
    for name in used:
        rpr = document.styles[name].element.find(qn("w:rPr"))
        assert rpr is not None and rpr.find(qn("w:rFonts")).get(qn("w:cs")) == FONT, name


def test_docx_bold_runs_are_bold_in_thai_too(s1_docx: bytes) -> None:
    document = docx.Document(io.BytesIO(s1_docx))
    for run in (r for p in document.paragraphs for r in p.runs):
        rpr = run._r.rPr
        if rpr is not None and rpr.find(qn("w:b")) is not None:
            assert rpr.find(qn("w:bCs")) is not None
            tags = [child.tag for child in rpr]
            assert tags.index(qn("w:b")) < tags.index(qn("w:bCs"))


def test_docx_tables_repeat_their_header_and_set_widths_on_grid_and_cells(s1_docx: bytes) -> None:
    document = docx.Document(io.BytesIO(s1_docx))
    for table in document.tables:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert all(w > 0 for w in grid)
        for tr in table._tbl.tr_lst:
            for tc in tr.tc_lst:
                assert tc.tcPr is not None and tc.tcPr.find(qn("w:tcW")) is not None


def test_no_docx_section_ends_with_a_table(s1_docx: bytes) -> None:
    body = docx.Document(io.BytesIO(s1_docx)).element.body
    children = [el for el in body if el.tag != qn("w:sectPr")]
    assert children[-1].tag == qn("w:p")
    for i, el in enumerate(children):
        if el.tag == qn("w:p") and el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            assert children[i - 1].tag != qn("w:tbl") or i == 0


def test_the_docx_numbers_its_pages_in_thai_digits_when_asked(s1_docx: bytes, thai: bool) -> None:
    document = docx.Document(io.BytesIO(s1_docx))
    body = document.sections[-1]
    footer_xml = body.footer._element.xml
    assert "PAGE" in footer_xml
    numbering = body._sectPr.find(qn("w:pgNumType"))
    assert (numbering is not None and numbering.get(qn("w:fmt")) == "thaiNumbers") == thai


def test_the_docx_carries_the_chart_as_a_png(s1_docx: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(s1_docx)) as archive:
        images = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert len(images) == 1
        assert archive.read(images[0])[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_a_kept_chart_figure_draws_each_chart_as_a_new_figure_would(fmt: str) -> None:
    first = s1_context(thai_digits=True).chart
    n = len(first.scores)
    other = dataclasses.replace(
        first,
        labels=tuple(f"{label} และอีกหลายคำ" for label in first.labels),
        scores=tuple(5.0 + 9 * i for i in range(n)),
        below=tuple(i % 2 == 0 for i in range(n)),
        pass_mark=50.0,
        pass_label="pass 50",
        value_labels=tuple(str(i) for i in range(n)),
        thai_digits=False,
        legend=("reached", "below"),
    )
    # The same year's labels and pass mark, other scores: only the bars and values change.
    same_year = dataclasses.replace(
        first, scores=tuple(reversed(first.scores)), below=tuple(reversed(first.below))
    )
    charts = (first, same_year, other)
    fresh = {c: render_chart(c, fmt, reuse=False) for c in charts}  # type: ignore[arg-type]
    assert len(set(fresh.values())) == len(charts)
    for chart in (first, same_year, other, first, same_year, same_year, other):
        assert render_chart(chart, fmt) == fresh[chart]  # type: ignore[arg-type]


@contextlib.contextmanager
def new_drawing(chart: ChartData) -> Iterator[Any]:
    """Yield a newly built chart figure showing ``chart``, under the charts' matplotlib settings."""
    import matplotlib

    from ita.reports import charts

    with matplotlib.rc_context(charts._rc()):  # type: ignore[arg-type]
        drawing = charts._Drawing(len(chart.scores))
        drawing.show(chart)
        yield drawing


def test_a_chart_drawn_over_its_shared_background_equals_a_full_drawing() -> None:
    import numpy as np
    from PIL import Image

    first = s1_context().chart
    later = dataclasses.replace(
        first,
        scores=tuple(10.0 + 9 * i for i in range(len(first.scores))),
        below=tuple(i % 2 == 0 for i in range(len(first.scores))),
    )
    for chart in (first, later):
        drawn = Image.open(io.BytesIO(render_chart(chart, "png"))).convert("RGB")
        with new_drawing(chart) as full:
            full.canvas.draw()
            pixels = np.asarray(full.canvas.buffer_rgba())[:, :, :3]
        assert np.array_equal(np.asarray(drawn), pixels)


def test_no_value_label_crosses_the_pass_mark_line() -> None:
    from ita.reports import charts

    first = s1_context(thai_digits=True).chart
    scores = (91.9, 88.09, 85.3, 100.0, 50.0, 84.9, 86.0, 10.0, 99.0, 92.96)[: len(first.scores)]
    chart = dataclasses.replace(
        first,
        scores=scores,
        below=tuple(s < first.pass_mark for s in scores),
        value_labels=tuple(f"{s:.2f}" for s in scores),
    )
    with new_drawing(chart) as drawing:
        renderer = drawing.canvas.get_renderer()
        line_px = drawing.ax.transData.transform((chart.pass_mark, 0))[0]
        for text, score in zip(drawing.values, scores, strict=True):
            extent = text.get_window_extent(renderer)
            assert not extent.x0 <= line_px <= extent.x1, (score, extent, line_px)
            bar_end_px = drawing.ax.transData.transform((score, 0))[0]
            if score >= charts.LABEL_INSIDE_FROM:
                assert extent.x1 < bar_end_px  # inside its bar


def test_the_pdf_carries_the_chart_as_an_opaque_png(s1_pdf: bytes) -> None:
    # An RGB image: WeasyPrint embeds it without splitting off an alpha mask.
    assert b"/Subtype /Image" in s1_pdf and b"/SMask" not in s1_pdf


def test_the_html_page_is_self_contained() -> None:
    html = render_html(s1_context())
    assert re.findall(r"""(?:src|href)=["'](?!data:|#)""", html) == []
    assert "@font-face" in html
    assert 'font-family: "ITA Sarabun"' in html
    assert "data:image/svg+xml;base64," in html
    assert flat("๘๗.๘๖") in flat(html)


def test_the_pdf_and_the_web_page_come_from_the_same_html() -> None:
    ctx = s1_context()
    web = render_html(ctx)
    for_pdf = render_html(ctx, fonts="file", line_hints=True)

    def visible(html: str) -> str:
        text = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
        text = re.sub(r"<[^>]+>", "", text)
        return flat(text)

    assert visible(web) == visible(for_pdf)


@pytest.fixture(scope="module")
def plan_docs() -> dict[str, object]:
    plan = load_plan(PLAN_EXAMPLE, get_framework)
    spec = ScoringSpec.from_framework(get_framework(plan.assessment_year))
    return {
        "detailed": build_measures(plan, spec, "detailed"),
        "simple": build_measures(plan, spec, "simple"),
        "results-6": build_results(plan, spec, 6),
        "results-7": build_results(plan, spec, 7),
    }


@pytest.mark.parametrize("name", ["detailed", "simple", "results-6", "results-7"])
def test_measures_and_results_docx_are_landscape_with_their_figures(
    plan_docs: dict[str, object], name: str
) -> None:
    data = render_docx(plan_docs[name])  # type: ignore[arg-type]
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert (section.page_width or 0) > (section.page_height or 0)
    text = flat(docx_text(data))
    assert flat("องค์การบริหารส่วนตำบลตัวอย่าง") in text
    assert flat("ปีงบประมาณ พ.ศ. ๒๕๖๗") in text
    if name == "detailed":
        assert flat("E๑ หน่วยงานปฏิบัติหรือให้บริการแก่ท่าน") in text
        assert flat("คะแนน ๗๔.๖๒") in text
        assert flat("ไตรมาส ๑-๔") in text


def test_evidence_links_are_hyperlinks_in_docx_and_html(plan_docs: dict[str, object]) -> None:
    ctx = plan_docs["results-7"]
    data = render_docx(ctx)  # type: ignore[arg-type]
    document = docx.Document(io.BytesIO(data))
    targets = {r.target_ref for r in document.part.rels.values() if r.is_external}
    assert "https://www.example.go.th/ita/2567/service-steps" in targets
    html = render_html(ctx)  # type: ignore[arg-type]
    assert '<a href="https://www.example.go.th/ita/2567/service-steps">' in html


def test_the_detailed_measures_pdf_shows_questions_and_scores(
    plan_docs: dict[str, object], tmp_path: Path
) -> None:
    text = flat(pdf_text(render_pdf(plan_docs["detailed"]), tmp_path))  # type: ignore[arg-type]
    for fact in ["E๑๐", "คะแนน ๖๖.๐๐", "ร้อยละ ๓๔.๐๔", "ต.ค. ๖๖ - ก.ย. ๖๗", "ทุกเดือน", "-ไม่มี-"]:
        assert flat(fact) in text


def libthai_breaks() -> object:
    """Return a function giving libthai's break positions in a word (None without libthai)."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("thai")
    if name is None:
        return None
    lib = ctypes.CDLL(name)
    lib.th_brk_new.restype = ctypes.c_void_p
    lib.th_brk_new.argtypes = [ctypes.c_char_p]
    lib.th_brk_wc_find_breaks.argtypes = [
        ctypes.c_void_p, ctypes.c_wchar_p, ctypes.POINTER(ctypes.c_int), ctypes.c_size_t
    ]  # fmt: skip
    breaker = lib.th_brk_new(None)

    def breaks(word: str) -> list[int]:
        positions = (ctypes.c_int * len(word))()
        count = lib.th_brk_wc_find_breaks(breaker, word, positions, len(word))
        return [positions[i] for i in range(count)]

    return breaks


def test_the_pdf_keeps_together_only_words_libthai_would_split() -> None:
    from ita.reports.narrative import KEEP_TOGETHER

    breaks = libthai_breaks()
    if breaks is None:
        pytest.skip("libthai (WeasyPrint's Thai line breaking) is not installed")
    unsplit = [w for w in KEEP_TOGETHER if not breaks(w)]  # type: ignore[operator]
    assert unsplit == []
