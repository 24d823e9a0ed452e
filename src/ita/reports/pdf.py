"""PDF of a document: WeasyPrint from the very HTML of :mod:`ita.reports.html`.

The bundled Sarabun files are embedded (subset) under our own family name, so the PDF never
depends on the fonts of the machine — on Debian the system maps "TH Sarabun New" to a scaled
Laksaman, which WeasyPrint would draw squashed (STACK-NOTES §2). Never made by converting the
DOCX.
"""

from __future__ import annotations

from typing import Literal

from ita.fonts import FONT_DIR
from ita.reports.html import Document, render_html


def render_pdf(ctx: Document, *, chart: Literal["svg", "png"] = "png") -> bytes:
    """Return the document as PDF bytes.

    The chart is a 150-dpi PNG by default, 15 cm wide on the page. ``chart="svg"`` embeds it as
    a vector instead, at about 0.4 s more: WeasyPrint parses SVG paths in pure Python, and the
    chart's labels are glyph outlines (WeasyPrint's own SVG text would misplace Thai tone
    marks), about a third of an analysis report's render time (bench/README.md).
    """
    import weasyprint  # imported here: it takes most of a second to load

    html = render_html(ctx, fonts="file", line_hints=True, chart=chart)
    document = weasyprint.HTML(string=html, base_url=str(FONT_DIR))
    pdf: bytes = document.write_pdf()
    return pdf
