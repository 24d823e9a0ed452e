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


def render_pdf(ctx: Document, *, chart: Literal["svg", "png"] = "svg") -> bytes:
    """Return the document as PDF bytes.

    The chart is SVG (vector) by default. WeasyPrint parses SVG paths in pure Python, and the
    chart's glyph outlines make up about a third of the render time of an analysis report;
    ``chart="png"`` (150 dpi) trades the vector for that time (bench/README.md).
    """
    import weasyprint  # imported here: it takes most of a second to load

    html = render_html(ctx, fonts="file", line_hints=True, chart=chart)
    document = weasyprint.HTML(string=html, base_url=str(FONT_DIR))
    pdf: bytes = document.write_pdf()
    return pdf
