"""HTML of a document: Django templates rendered standalone (no settings, no database).

The page is self-contained: the stylesheet is inlined, the chart is an SVG data URI and, by
default, the bundled Sarabun font is embedded too, so the file can be published as it is. The
PDF renderer uses this very HTML with the fonts pointed at the bundled files instead
(``fonts="file"``) and line-breaking hints added, so the web page and the PDF never differ
in content.
"""

from __future__ import annotations

import base64
import functools
import re
from pathlib import Path
from typing import Any, Literal

from django.template import Context, Engine, Library
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from ita.fonts import Fonts, font_faces
from ita.reports import narrative as say
from ita.reports.charts import render_chart
from ita.reports.context import AgencyInfo, AnalysisContext, MeasuresContext, ResultsContext

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates"
Document = AnalysisContext | MeasuresContext | ResultsContext


# The template library of the documents: ``{% load reports %}``.
register = Library()


@register.filter(needs_autoescape=True)
def keep(text: object, words: re.Pattern[str] | None, autoescape: bool = True) -> SafeString:
    """Escape ``text`` and keep each of ``words`` on one line (no break inside it).

    A no-wrap span must stay breakable at its edges (zero-width spaces), or WeasyPrint keeps
    it glued to the Thai text around it and a narrow table cell overflows.
    """
    escaped = str(conditional_escape(str(text)))
    if words is not None:
        escaped = words.sub(lambda m: f'\u200b<span class="nw">{m.group(0)}</span>\u200b', escaped)
    return mark_safe(escaped)  # noqa: S308 - escaped above; only our own span is added


@functools.cache
def engine() -> Engine:
    """Return the template engine of the documents (cached templates, autoescaping on)."""
    return Engine(
        dirs=[str(TEMPLATE_DIR)], autoescape=True, libraries={"reports": "ita.reports.html"}
    )


def proper_nouns(agency: AgencyInfo) -> list[str]:
    """Return the names in an agency's title that line breaking must not split (ศรีคำ …)."""
    name = agency.name.strip()
    for kind in sorted(say.AGENCY_KINDS, key=len, reverse=True):
        if name.startswith(kind):
            name = name.removeprefix(kind)
            break
    place = [
        p.removeprefix(prefix).strip()
        for p, prefix in ((agency.district, say.DISTRICT), (agency.province, say.PROVINCE))
        if p
    ]
    return [n for n in (name, *place) if n]


@functools.lru_cache(maxsize=64)
def _words_pattern(extra: tuple[str, ...]) -> re.Pattern[str]:
    words = sorted({*say.KEEP_TOGETHER, *extra}, key=len, reverse=True)
    # A word tied to its number (ร้อยละ ๔.๒๖): libthai breaks Thai text, Thai digits included,
    # by its dictionary and ignores the no-break space, so the pair is kept together too.
    tied = "|".join(re.escape(w) for w in say.TIED_WORDS)
    number = f"(?:{tied}){say.NBSP}[0-9๐-๙][0-9๐-๙.,]*(?:-[0-9๐-๙]+)?"
    return re.compile("|".join([number, *(re.escape(str(conditional_escape(w))) for w in words)]))


@functools.cache
def _css() -> str:
    return (TEMPLATE_DIR / "reports" / "report.css").read_text(encoding="utf-8")


def _data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _agency(ctx: Document) -> AgencyInfo:
    return ctx.agency if isinstance(ctx, AnalysisContext) else ctx.plan.agency


def render_html(
    ctx: Document,
    *,
    fonts: Fonts = "embed",
    line_hints: bool = False,
    chart: Literal["svg", "png"] = "svg",
) -> str:
    """Return the document as one self-contained HTML page.

    ``line_hints`` keeps words that WeasyPrint's Thai line breaking would split (and the
    agency's proper names) on one line — for the PDF. Browsers break Thai with a better
    dictionary, and the hints (zero-width spaces around a no-wrap span) would get in the way
    of searching the page, so the web page goes without them. ``chart`` is the format of the
    embedded chart (SVG: vector, and what the web page uses).
    """
    values: dict[str, Any] = {
        "ctx": ctx,
        "css": _css(),
        "font_faces": font_faces(fonts),
        "page_style": "thai" if ctx.thai_digits else "decimal",
        "nw": _words_pattern(tuple(proper_nouns(_agency(ctx)))) if line_hints else None,
    }
    if isinstance(ctx, AnalysisContext):
        template = "reports/analysis.html"
        values["title"] = " ".join(ctx.title_lines)
        mime = "image/svg+xml" if chart == "svg" else "image/png"
        values["chart_uri"] = _data_uri(mime, render_chart(ctx.chart, chart))
    elif isinstance(ctx, MeasuresContext):
        template = "reports/measures.html"
        values["title"] = " ".join(ctx.title_lines)
    else:
        template = "reports/results.html"
        values["title"] = " ".join(ctx.title_lines)
    return engine().get_template(template).render(Context(values))
