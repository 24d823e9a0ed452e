"""The bar chart of indicator scores against the pass mark (matplotlib, bundled Sarabun).

SVG (glyphs drawn as paths, so no font is needed where it is shown) for HTML and PDF; PNG for
DOCX. The figure is drawn with matplotlib's object API (no pyplot state), so charts can be
drawn from several threads of the web application.
"""

from __future__ import annotations

import io
from typing import Any, Literal

from ita.fonts import FONT_FAMILY, register_fonts
from ita.reports.context import ChartData
from ita.thai import digits

# Sizes in inches: the chart's width, each bar's row, the fixed part of the height, the room
# kept for the legend, the x-axis labels, the pass-mark label, a gap, and the right margin
# (half the last tick label, "100", sticks out).
WIDTH_IN = 6.3
ROW_IN = 0.3  # not-domain: inches
BASE_IN = 1.0
LEGEND_IN = 0.25
AXIS_IN = 0.3  # not-domain: inches
TOP_IN = 0.25
PAD_IN = 0.05
RIGHT_IN = 0.2  # not-domain: inches
PNG_DPI = 150  # 15 cm wide in the DOCX: 886 pixels
PNG_COMPRESSION = 1  # fast: the DOCX is zipped anyway
COLOURS = {"reached": "#2f6f9f", "below": "#d9822b", "line": "#b3261e", "text": "#222222"}
X_TICKS = range(0, 101, 20)  # not-domain: axis ticks every 20 points
LABEL_INSIDE_FROM = 15.0  # a bar this long holds its value label


def _rc() -> dict[str, Any]:
    return {
        "font.family": FONT_FAMILY,
        "font.size": 9,
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "ita-workbench",  # stable ids: the same data gives the same file
    }


def _fit(fig: Any, ax: Any) -> None:
    """Leave room for the longest label on the left and the legend below.

    Measures only the tick labels (``tight_layout`` would draw the whole figure once more,
    which is most of the time a chart takes).
    """
    renderer = fig.canvas.get_renderer()
    width_px = fig.get_figwidth() * fig.dpi
    height_px = fig.get_figheight() * fig.dpi
    label_px = max(t.get_window_extent(renderer).width for t in ax.get_yticklabels())
    pad_px = PAD_IN * fig.dpi
    bottom_in = LEGEND_IN + AXIS_IN
    fig.subplots_adjust(
        left=(label_px + 2 * pad_px) / width_px,
        right=1 - RIGHT_IN * fig.dpi / width_px,
        top=1 - TOP_IN * fig.dpi / height_px,
        bottom=bottom_in * fig.dpi / height_px,
    )


def render_chart(chart: ChartData, fmt: Literal["svg", "png"]) -> bytes:
    """Return the chart as SVG or PNG bytes."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.ticker import FixedLocator, FuncFormatter

    register_fonts()
    rc: Any = _rc()
    with matplotlib.rc_context(rc):
        n = len(chart.scores)
        fig = Figure(figsize=(WIDTH_IN, BASE_IN + ROW_IN * n))
        FigureCanvasAgg(fig)  # measures text for the layout; savefig picks the format's own
        ax = fig.add_subplot()
        rows = list(range(n))[::-1]  # the first indicator on top
        colours = [COLOURS["below"] if b else COLOURS["reached"] for b in chart.below]
        ax.barh(rows, chart.scores, color=colours, height=0.62)
        for row, score, label in zip(rows, chart.scores, chart.value_labels, strict=True):
            # Inside the bar when it is long enough, so labels never cross the pass-mark line.
            inside = score >= LABEL_INSIDE_FROM
            ax.text(
                score - 1 if inside else score + 1,
                row,
                label,
                va="center",
                ha="right" if inside else "left",
                color="white" if inside else COLOURS["text"],
                fontsize=8,
            )
        ax.axvline(chart.pass_mark, color=COLOURS["line"], linestyle="--", linewidth=1.1)
        ax.text(
            chart.pass_mark,
            n - 0.35,
            chart.pass_label,
            color=COLOURS["line"],
            ha="center",
            va="bottom",
            fontsize=8,
        )
        ax.set_yticks(rows, labels=list(chart.labels))
        ax.set_xlim(0, 100)
        ax.set_ylim(-0.6, n - 0.1)  # not-domain: bar rows
        ax.xaxis.set_major_locator(FixedLocator(list(X_TICKS)))
        thai = chart.thai_digits
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: digits(f"{v:.0f}", thai)))
        ax.tick_params(axis="y", length=0)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        handles = [Patch(color=COLOURS["reached"]), Patch(color=COLOURS["below"])]
        fig.legend(handles, list(chart.legend), loc="lower left", ncols=2, frameon=False,
                   fontsize=8, bbox_to_anchor=(0.0, 0.0))  # fmt: skip
        ax.set_axisbelow(True)
        _fit(fig, ax)
        out = io.BytesIO()
        if fmt == "svg":
            fig.savefig(out, format="svg", metadata={"Date": None})
        else:
            fig.savefig(
                out, format="png", dpi=PNG_DPI, metadata={"Software": None},
                pil_kwargs={"compress_level": PNG_COMPRESSION},
            )  # fmt: skip
        return out.getvalue()
