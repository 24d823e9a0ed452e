"""DOCX of a document (python-docx), for users to edit in Word or LibreOffice.

Thai in Word files goes wrong in quiet ways (STACK-NOTES §3); this module does, every time:

* name one font, TH Sarabun New at 16 pt, in every slot (``ascii``, ``hAnsi``, ``eastAsia``,
  ``cs``) with ``szCs``/``bCs`` and ``lang bidi="th-TH"`` — on the document defaults (theme
  fonts stripped, or Thai falls back to Cordia New), on every style we use, and on bold runs;
* keep ``w:rPr`` children in schema order;
* give tables their column widths on the grid *and* on every cell, repeat header rows
  (``w:tblHeader``), and never end a section or the body with a table;
* put wide tables in landscape sections; number pages in the footer (Thai digits through the
  section's ``thaiNumbers`` page format, which Word honours; LibreOffice shows Arabic digits).

The table of contents is a list of ``PAGEREF`` fields to bookmarks on the headings:
LibreOffice computes them when it lays out the file, and Word is asked to update fields when
the file is opened (``w:updateFields``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from typing import Any, cast

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, Twips
from docx.styles.style import ParagraphStyle, StyleFactory
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from ita.reports.charts import render_chart
from ita.reports.context import (
    AnalysisContext,
    Cell,
    Heading,
    Line,
    MeasuresContext,
    ResultsContext,
    Table,
)

FONT = "TH Sarabun New"
LANG = "th-TH"
BODY_PT, TABLE_PT, TITLE_PT, COVER_PT = 16, 14, 18, 20  # not-domain: font sizes in points
PAGE_W, PAGE_H = Cm(21), Cm(29.7)  # A4
PORTRAIT_MARGINS = (Cm(2.5), Cm(2), Cm(2), Cm(3))  # top, right, bottom, left (Thai official)
LANDSCAPE_MARGINS = (Cm(2), Cm(1.8), Cm(1.8), Cm(2))
INDENT = Cm(1.25)
CHART_WIDTH = Cm(15)
HEADER_FILL = "E8EEF4"
LINK_COLOUR = "1A4F8B"
TWIPS_PER_EMU = 1 / 635

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}
_RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
    "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
    "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz",
    "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
    "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)  # fmt: skip


# --- run properties -----------------------------------------------------------------------


_RPR_RANK = {qn(tag): rank for rank, tag in enumerate(_RPR_ORDER)}


def _child(rpr: Any, tag: str) -> Any:
    """Return the ``tag`` child of an ``w:rPr``, created in schema order if missing."""
    qualified = qn(tag)
    found = rpr.find(qualified)
    if found is not None:
        return found
    element = OxmlElement(tag)
    rank = _RPR_RANK[qualified]
    for sibling in rpr:
        if _RPR_RANK.get(sibling.tag, -1) > rank:
            sibling.addprevious(element)
            return element
    rpr.append(element)
    return element


def _thai_font(rpr: Any, size: float | None = None, bold: bool | None = None) -> None:
    """Name the one font in every slot, with complex-script size, bold and Thai language."""
    fonts = _child(rpr, "w:rFonts")
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]  # theme attributes would win over the names
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    if bold is not None:
        for tag in ("w:b", "w:bCs"):
            _child(rpr, tag).set(qn("w:val"), "1" if bold else "0")
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            _child(rpr, tag).set(qn("w:val"), str(round(size * 2)))
    lang = _child(rpr, "w:lang")
    lang.set(qn("w:val"), LANG)
    lang.set(qn("w:bidi"), LANG)


def _bold(run: Any) -> None:
    rpr = run._r.get_or_add_rPr()
    for tag in ("w:b", "w:bCs"):
        _child(rpr, tag)


# --- document set-up ----------------------------------------------------------------------


class _Writer:
    """A python-docx document with our styles, and the helpers that fill it."""

    def __init__(self, thai_digits: bool) -> None:
        self.doc: Document = new_document()
        self.thai = thai_digits
        self.bookmark_id = 0
        self._styles()
        settings = self.doc.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)

    def _styles(self) -> None:
        styles = self.doc.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _thai_font(rpr, BODY_PT)
        spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")

        # Every style of the template that names (theme) fonts names ours instead, so no
        # paragraph a user gives a built-in style (Title, Heading 3 …) falls back to Cordia New.
        for element in styles.element.findall(qn("w:style")):
            rpr = element.find(qn("w:rPr"))
            if rpr is not None and rpr.find(qn("w:rFonts")) is not None:
                _thai_font(rpr)
        normal = styles["Normal"]
        _thai_font(normal.element.get_or_add_rPr(), BODY_PT)
        for name, size in (("Heading 1", BODY_PT), ("Heading 2", BODY_PT)):
            style = styles[name]
            rpr = style.element.get_or_add_rPr()
            colour = rpr.find(qn("w:color"))
            if colour is not None:
                rpr.remove(colour)
            _thai_font(rpr, size, bold=True)
            fmt = style.paragraph_format
            fmt.space_before, fmt.space_after = Pt(10), Pt(4)  # not-domain: points
            fmt.keep_with_next = True
            fmt.left_indent = Cm(0)

        def add(name: str, size: float, bold: bool = False, align: str = "left") -> Any:
            # The element-level call: styles.add_style() first scans every style by name.
            style = cast(
                ParagraphStyle,
                StyleFactory(
                    styles.element.add_style_of_type(name, WD_STYLE_TYPE.PARAGRAPH, builtin=False)
                ),
            )
            style.base_style = normal
            _thai_font(style.element.get_or_add_rPr(), size, bold)
            style.paragraph_format.alignment = _ALIGN[align]
            return style

        body = add("ITA Body", BODY_PT)
        body.paragraph_format.first_line_indent = INDENT
        body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.THAI_JUSTIFY
        body.paragraph_format.space_after = Pt(4)
        add("ITA Cover", COVER_PT, bold=True, align="center")
        add("ITA Title", TITLE_PT, bold=True, align="center").paragraph_format.space_after = Pt(8)
        add("ITA Strong", BODY_PT, bold=True).paragraph_format.keep_with_next = True
        item = add("ITA List", BODY_PT)
        item.paragraph_format.left_indent = INDENT * 2
        item.paragraph_format.first_line_indent = -INDENT
        item.paragraph_format.space_after = Pt(2)
        add("ITA Table", TABLE_PT)
        add("ITA Table Head", TABLE_PT, bold=True, align="center")
        add("ITA Caption", TABLE_PT, align="center").paragraph_format.space_after = Pt(8)
        add("ITA Signature", BODY_PT, align="center").paragraph_format.left_indent = Cm(8)
        for level in (1, 2):
            toc = add(f"ITA TOC {level}", BODY_PT)
            toc.paragraph_format.left_indent = INDENT * (level - 1)
            toc.paragraph_format.tab_stops.add_tab_stop(
                Cm(16) - INDENT * 0, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
            )
        self.style = {s.name: s for s in styles if s.type == WD_STYLE_TYPE.PARAGRAPH}

    # --- pages --------------------------------------------------------------------------

    def page(self, section: Any, landscape: bool) -> None:
        """Set a section's paper, orientation and margins."""
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (
            (PAGE_H, PAGE_W) if landscape else (PAGE_W, PAGE_H)
        )
        margins = LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS
        section.top_margin, section.right_margin, section.bottom_margin, section.left_margin = (
            margins
        )

    def text_width(self, section: Any) -> int:
        """Return the width between a section's margins, in twips."""
        return int(
            (section.page_width - section.left_margin - section.right_margin) * TWIPS_PER_EMU
        )

    def page_numbers(self, section: Any) -> None:
        """Give a section its own footer with the page number, in the document's digits."""
        footer = section.footer
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        _style(p, self.style["ITA Caption"])
        p.paragraph_format.space_after = Pt(0)
        self.field(p, "PAGE", "1")
        if self.thai:
            numbering = OxmlElement("w:pgNumType")
            numbering.set(qn("w:fmt"), "thaiNumbers")
            section._sectPr.find(qn("w:pgMar")).addnext(numbering)

    def new_section(self, landscape: bool) -> Any:
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self.page(section, landscape)
        return section

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # --- text ---------------------------------------------------------------------------

    def para(self, text: str = "", style: str = "ITA Body", bold: bool = False) -> Paragraph:
        p = self.doc.add_paragraph()
        _style(p, self.style[style])
        if text:
            run = p.add_run(text)
            if bold:
                _bold(run)
        return p

    def heading(self, heading: Heading) -> Paragraph:
        p = self.doc.add_paragraph()
        _style(p, self.style[f"Heading {heading.level}"])
        p.add_run(heading.label)
        self.bookmark(p, heading.key)
        return p

    def title(self, lines: Sequence[str], style: str = "ITA Title") -> None:
        for line in lines:
            self.para(line, style)

    def labelled(self, label: str, text: str) -> None:
        p = self.para()
        _bold(p.add_run(label))
        p.add_run(f" {text}")

    def field(self, p: Paragraph, instruction: str, cached: str) -> None:
        """Append a field (``PAGE``, ``PAGEREF …``) with a cached result to a paragraph."""

        def char(kind: str) -> None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            p.add_run()._r.append(element)

        char("begin")
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = f" {instruction} "
        p.add_run()._r.append(instr)
        char("separate")
        p.add_run(cached)
        char("end")

    def bookmark(self, p: Paragraph, key: str) -> None:
        self.bookmark_id += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self.bookmark_id))
        start.set(qn("w:name"), _bookmark_name(key))
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self.bookmark_id))
        p._p.insert(1 if p._p.pPr is not None else 0, start)
        p._p.append(end)

    def contents(self, headings: Iterable[Heading]) -> None:
        for h in headings:
            p = self.para(f"{h.label}\t", f"ITA TOC {h.level}")
            self.field(p, f"PAGEREF {_bookmark_name(h.key)} \\h", "–")

    def hyperlink(self, p: Paragraph, text: str, url: str) -> None:
        r_id = p.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), r_id)
        run = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        _child(rpr, "w:color").set(qn("w:val"), LINK_COLOUR)
        _child(rpr, "w:u").set(qn("w:val"), "single")
        run.append(rpr)
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = text
        run.append(t)
        link.append(run)
        p._p.append(link)

    # --- tables -------------------------------------------------------------------------

    def table(self, table: Table, width: int) -> None:
        """Add a table, then the paragraph that keeps the body from ending with it."""
        n_cols = len(table.columns)
        n_head = len(table.header)
        all_rows = [*table.header, *table.rows]
        t = self.doc.add_table(rows=len(all_rows), cols=n_cols)
        t.style = self.doc.styles["Table Grid"]
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        widths = _widths(table, width)
        for column, w in zip(t.columns, widths, strict=True):
            column.width = Twips(w)  # w:gridCol: LibreOffice lays out by the grid
        rows = t.rows
        grid: list[list[_Cell]] = []
        for r, row in enumerate(rows):
            cells = row.cells  # fetched once per row (python-docx is slow per cell access)
            for c, cell in enumerate(cells):
                cell.width = Twips(widths[c])  # w:tcW: Word lays out by the cells
            grid.append(list(cells))
            if r < n_head:
                tr_pr = row._tr.get_or_add_trPr()
                tr_pr.append(OxmlElement("w:tblHeader"))
        taken: set[tuple[int, int]] = set()
        for r, row_cells in enumerate(all_rows):
            c = 0
            for cell in row_cells:
                while (r, c) in taken:
                    c += 1
                target = grid[r][c]
                if cell.colspan > 1 or cell.rowspan > 1:
                    corner = grid[r + cell.rowspan - 1][c + cell.colspan - 1]
                    target = target.merge(corner)
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        taken.add((r + dr, c + dc))
                head = r < n_head
                total = table.total_row and r == len(all_rows) - 1
                self.cell(target, cell, head, bold=total)
                if head:
                    _shade(target, HEADER_FILL)
                c += cell.colspan
        self.para(style="ITA Table")

    def cell(self, target: _Cell, cell: Cell, head: bool, bold: bool) -> None:
        style = self.style["ITA Table Head" if head else "ITA Table"]
        paragraphs = target.paragraphs
        for extra in paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
        p = paragraphs[0]
        lines: Sequence[Line] = cell.lines or (Line(""),)
        for i, line in enumerate(lines):
            if i:
                p = target.add_paragraph()
            _style(p, style)
            if not head:
                p.alignment = _ALIGN[cell.align]
            if line.href:
                self.hyperlink(p, line.text, line.href)
                continue
            run = p.add_run(line.text)
            if bold or line.style == "bold":
                _bold(run)
            if line.style == "underline":
                run.underline = True

    def picture(self, data: bytes, caption: str) -> None:
        self.doc.add_picture(io.BytesIO(data), width=CHART_WIDTH)
        self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.para(caption, "ITA Caption")

    def save(self) -> bytes:
        body = self.doc.element.body
        last = [el for el in body if el.tag != qn("w:sectPr")][-1]
        if last.tag == qn("w:tbl"):
            self.para()  # a body ending with a table turns LibreOffice's pages portrait
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _style(p: Paragraph, style: Any) -> None:
    """Give a paragraph a style by id (python-docx's ``p.style =`` scans every style)."""
    p._p.style = style.style_id


def _bookmark_name(key: str) -> str:
    return "_Ref_" + re.sub(r"[^A-Za-z0-9_]", "_", key)[:30]  # not-domain: bookmark name length


def _widths(table: Table, width: int) -> list[int]:
    total = sum(c.width for c in table.columns)
    return [int(width * c.width / total) for c in table.columns]


def _shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


# --- documents ----------------------------------------------------------------------------


def render_docx(ctx: AnalysisContext | MeasuresContext | ResultsContext) -> bytes:
    """Return the document as DOCX bytes."""
    if isinstance(ctx, AnalysisContext):
        return _analysis(ctx)
    if isinstance(ctx, MeasuresContext):
        return _plan_document(ctx)
    return _plan_document(ctx)


def _analysis(ctx: AnalysisContext) -> bytes:
    w = _Writer(ctx.thai_digits)
    front = w.doc.sections[0]
    w.page(front, landscape=False)

    cover = w.para(style="ITA Cover")
    cover.paragraph_format.space_before = Cm(7)
    cover.add_run(ctx.title_lines[0])
    w.title(ctx.title_lines[1:], "ITA Cover")
    gap = w.para(style="ITA Cover")
    gap.paragraph_format.space_before = Cm(5)
    gap.add_run(ctx.cover_lines[0])
    w.title(ctx.cover_lines[1:], "ITA Cover")
    w.page_break()

    w.para(ctx.preface_heading.label, "ITA Title")
    for p in ctx.preface:
        w.para(p.text)
    w.para()
    for line in ctx.signature_lines:
        w.para(line, "ITA Signature")
    w.page_break()

    w.para(ctx.toc_heading.label, "ITA Title")
    toc_head = w.para(ctx.toc_page_label, "ITA Strong")
    toc_head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    w.contents(ctx.headings())

    body = w.new_section(landscape=False)
    w.page_numbers(body)
    width = w.text_width(body)

    w.heading(ctx.framework_heading)
    w.para(ctx.framework_intro.text)
    w.table(ctx.framework_table, width)
    w.heading(ctx.levels_heading)
    w.para(ctx.levels_intro.text)
    w.table(ctx.levels_table, width)
    w.heading(ctx.results_heading)
    for p in ctx.results_notes:
        w.para(p.text)
    w.table(ctx.ranking_table, width)
    w.table(ctx.tools_table, width)
    w.picture(render_chart(ctx.chart, "png"), ctx.chart.caption)
    w.heading(ctx.summary_heading)
    for p in ctx.summary:
        w.para(p.text)
    w.heading(ctx.weakness_heading)
    w.para(ctx.weakness_intro.text)
    for tool in ctx.weaknesses:
        w.heading(tool.heading)
        if tool.note is not None:
            w.para(tool.note.text)
        for ind in tool.indicators:
            w.para(ind.title, "ITA Strong")
            w.para(ind.measures.text)
            w.labelled(ind.improve_label, ind.improve.text)
    w.heading(ctx.recommendations_heading)
    for p in ctx.recommendations:
        w.para(p.text)
    w.heading(ctx.guidelines_heading)
    w.para(ctx.guidelines_intro.text)
    for p in ctx.guidelines:
        w.para(p.text, "ITA List")

    if ctx.appendix is not None:
        appendix = ctx.appendix
        section = w.new_section(landscape=appendix.table.wide)
        head = w.para(style="ITA Title")
        head.add_run(" ".join(appendix.title_lines))
        w.bookmark(head, appendix.heading.key)
        for p in appendix.intro:
            w.para(p.text)
        w.table(appendix.table, w.text_width(section))
    return w.save()


def _plan_document(ctx: MeasuresContext | ResultsContext) -> bytes:
    w = _Writer(ctx.thai_digits)
    section = w.doc.sections[0]
    w.page(section, landscape=True)
    w.page_numbers(section)
    w.title(ctx.title_lines)
    for p in ctx.intro:
        w.para(p.text)
    if isinstance(ctx, ResultsContext):
        for line in ctx.issue_lines:
            w.para(line, "ITA List")
        w.para(ctx.elements_intro.text)
        for line in ctx.elements:
            w.para(line, "ITA List")
        w.para(ctx.table_intro)
    w.table(ctx.table, w.text_width(section))
    for line in ctx.signature_lines:
        w.para(line, "ITA Signature")
    return w.save()
