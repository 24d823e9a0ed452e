"""The bar chart of indicator scores against the pass mark (matplotlib, bundled Sarabun).

SVG (glyphs drawn as paths, so no font is needed where it is shown) for the web page; PNG
(RGB, 150 dpi) for the DOCX and the PDF. The figure is drawn with matplotlib's object API (no
pyplot state), and each thread keeps its own figures, so charts can be drawn from several
threads of the web application.
"""

from __future__ import annotations

import io
import threading
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
LABEL_GAP = 1.0  # between a value label and the bar's end or the pass-mark line, in points


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


class _Drawing:
    """A chart of ``n`` bars, built once per thread and redrawn with each chart's data.

    Building a matplotlib figure (axes, ticks, legend) costs about as much as drawing it; a
    batch of reports draws thousands of charts of the same shape, so each thread keeps one
    figure per number of bars and only changes what depends on the data. Every artist that
    depends on the data is set anew in :meth:`show`, so a chart comes out the same whatever
    was drawn before it (tests compare the bytes with a freshly built figure's).

    The PNG goes further: what a year's charts share (labels, axes, grid, legend) is drawn
    once into a background bitmap, and each chart draws only its bars and what touches them
    (the pass-mark line and its label, the left and bottom spines, the values) over a copy of
    it, in the order a full drawing would (a test compares it with one).
    """

    def __init__(self, n: int) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.patches import Patch
        from matplotlib.ticker import FixedLocator, FuncFormatter

        self.thai = False
        fig = Figure(figsize=(WIDTH_IN, BASE_IN + ROW_IN * n), dpi=PNG_DPI)
        self.canvas: Any = FigureCanvasAgg(fig)  # measures text for the layout, draws the PNG
        ax = fig.add_subplot()
        self.fig, self.ax = fig, ax
        self.rows = list(range(n))[::-1]  # the first indicator on top
        self.bars = list(ax.barh(self.rows, [0.0] * n, height=0.62))
        self.values = [ax.text(0, row, "", va="center", fontsize=8) for row in self.rows]
        self.line = ax.axvline(0, color=COLOURS["line"], linestyle="--", linewidth=1.1)
        self.pass_text = ax.text(
            0, n - 0.35, "", color=COLOURS["line"], ha="center", va="bottom", fontsize=8,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},  # the line stops under it
        )  # fmt: skip
        ax.set_xlim(0, 100)
        ax.set_ylim(-0.6, n - 0.1)  # not-domain: bar rows
        ax.xaxis.set_major_locator(FixedLocator(list(X_TICKS)))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: digits(f"{v:.0f}", self.thai)))
        ax.tick_params(axis="y", length=0)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        handles = [Patch(color=COLOURS["reached"]), Patch(color=COLOURS["below"])]
        self.legend = fig.legend(handles, ["", ""], loc="lower left", ncols=2, frameon=False,
                                 fontsize=8, bbox_to_anchor=(0.0, 0.0))  # fmt: skip
        ax.set_axisbelow(True)
        # Drawn on the background, in a full drawing's order: bars (z-order 1), the pass-mark
        # line (2), the spines it and the bars touch (2.5), then the labels (3).
        spines = [ax.spines["left"], ax.spines["bottom"]]
        self.over = sorted(
            [*self.bars, self.line, *spines, self.pass_text, *self.values],
            key=lambda artist: artist.get_zorder(),
        )
        self.shared: tuple[object, ...] | None = None
        self.background: Any = None

    def show(self, chart: ChartData) -> None:
        """Set every data-dependent artist from ``chart``."""
        shared = (chart.labels, chart.thai_digits, chart.legend, chart.pass_mark, chart.pass_label)
        if shared != self.shared:
            self.shared, self.background = shared, None
            self.thai = chart.thai_digits
            self.line.set_xdata([chart.pass_mark, chart.pass_mark])
            self.pass_text.set_x(chart.pass_mark)
            self.pass_text.set_text(chart.pass_label)
            self.ax.set_yticks(self.rows, labels=list(chart.labels))
            for text, label in zip(self.legend.get_texts(), chart.legend, strict=True):
                text.set_text(label)
            _fit(self.fig, self.ax)
        for bar, text, score, below, label in zip(
            self.bars, self.values, chart.scores, chart.below, chart.value_labels, strict=True
        ):
            bar.set_width(score)
            bar.set_facecolor(COLOURS["below"] if below else COLOURS["reached"])
            # Inside the bar when it is long enough, at its end, or just left of the pass-mark
            # line when the end is so close past the line that the label would cross it.
            inside = score >= LABEL_INSIDE_FROM
            text.set_text(label)
            text.set_horizontalalignment("right" if inside else "left")
            text.set_color("white" if inside else COLOURS["text"])
            x = score - LABEL_GAP if inside else score + LABEL_GAP
            if inside and score > chart.pass_mark:
                left = x - self._width(text)
                if left - LABEL_GAP < chart.pass_mark:
                    x = chart.pass_mark - 2 * LABEL_GAP
            text.set_x(x)

    def _width(self, text: Any) -> float:
        """Return a text's width in the x axis' units (points of score)."""
        extent = text.get_window_extent(self.canvas.get_renderer())
        low, high = self.ax.get_xlim()
        return float(extent.width * (high - low) / self.ax.bbox.width)

    def svg(self) -> bytes:
        out = io.BytesIO()
        self.fig.savefig(out, format="svg", metadata={"Date": None})
        self.background = None  # saving as SVG changes the figure's dpi for a while
        return out.getvalue()

    def draw(self) -> None:
        """Draw the chart on the canvas: the shared background, then the chart's own artists."""
        if self.background is None:
            for artist in self.over:
                artist.set_visible(False)
            self.canvas.draw()
            for artist in self.over:
                artist.set_visible(True)
            self.background = self.canvas.copy_from_bbox(self.fig.bbox)
        else:
            self.canvas.restore_region(self.background)
        for artist in self.over:
            self.ax.draw_artist(artist)

    def png(self) -> bytes:
        """Return the chart as an RGB PNG (the figure is opaque: no alpha channel to carry)."""
        import numpy as np
        from PIL import Image

        self.draw()
        rgb = np.asarray(self.canvas.buffer_rgba())[:, :, :3]
        out = io.BytesIO()
        Image.fromarray(rgb).save(
            out, format="png", dpi=(PNG_DPI, PNG_DPI), compress_level=PNG_COMPRESSION
        )
        return out.getvalue()


_drawings = threading.local()


def render_chart(chart: ChartData, fmt: Literal["svg", "png"], *, reuse: bool = True) -> bytes:
    """Return the chart as SVG or PNG bytes.

    ``reuse=False`` builds a new figure instead of the thread's kept one (for tests).
    """
    import matplotlib

    register_fonts()
    rc: Any = _rc()
    with matplotlib.rc_context(rc):
        n = len(chart.scores)
        kept: dict[int, _Drawing] = _drawings.__dict__.setdefault("by_size", {})
        drawing = kept.get(n) if reuse else None
        if drawing is None:
            drawing = _Drawing(n)
            if reuse:
                kept[n] = drawing
        drawing.show(chart)
        return drawing.svg() if fmt == "svg" else drawing.png()
