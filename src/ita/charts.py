"""Charts as SVG (web, PDF) or PNG (DOCX), drawn with matplotlib in the bundled Sarabun font.

Uses matplotlib's object API (no pyplot), so charts can be drawn from several threads.
Text is drawn as paths in SVG, so a chart looks the same without the font installed.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ita.fonts import FONT_FAMILY, register_fonts
from ita.thai import digits

INK = "#1d2433"
MUTED = "#5b6475"
GOOD = "#1d4e89"
WEAK = "#c2700a"
TOOL_GOOD = "#0f2f57"
TOOL_WEAK = "#8a4b00"
GRID = "#d9dee8"


def _figure(width: float, height: float) -> Figure:
    register_fonts()
    fig = Figure(figsize=(width, height), dpi=100)
    fig.patch.set_alpha(0)
    return fig


def _render(fig: Figure, fmt: str) -> bytes:
    out = io.BytesIO()
    canvas = FigureCanvasSVG(fig) if fmt == "svg" else FigureCanvasAgg(fig)
    canvas.print_figure(out, format=fmt, bbox_inches="tight", dpi=150 if fmt == "png" else 100)
    return out.getvalue()


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    is_group: bool = False  # a tool's own score, drawn darker above its indicators


def bar_chart(
    bars: Sequence[Bar],
    pass_mark: float,
    *,
    pass_label: str,
    thai_digits: bool = False,
    fmt: str = "svg",
) -> bytes:
    """Return a horizontal bar chart of scores (0–100) with a line at the pass mark."""
    fig = _figure(6.2, 0.42 * len(bars) + 0.8)
    ax = fig.add_subplot()
    rows = list(range(len(bars)))[::-1]
    for y, bar in zip(rows, bars, strict=True):
        if bar.value is None:
            ax.text(1, y, "–", va="center", color=MUTED, fontfamily=FONT_FAMILY)
            continue
        weak = bar.value < pass_mark
        color = (TOOL_WEAK if weak else TOOL_GOOD) if bar.is_group else (WEAK if weak else GOOD)
        ax.barh(y, bar.value, color=color, height=0.72 if bar.is_group else 0.6)
        ax.text(
            bar.value + 0.8, y, digits(f"{bar.value:.2f}", thai_digits),
            va="center", fontsize=11, color=INK, fontfamily=FONT_FAMILY,
            fontweight="bold" if bar.is_group else "normal",
        )  # fmt: skip
    ax.axvline(pass_mark, color="#9b1c1c", linewidth=1.4, linestyle="--")
    ax.text(
        pass_mark, len(bars) - 0.35, f"{pass_label} {digits(f'{pass_mark:.0f}', thai_digits)}",
        color="#9b1c1c", fontsize=11, ha="center", va="bottom", fontfamily=FONT_FAMILY,
    )  # fmt: skip
    ax.set_yticks(rows)
    ax.set_yticklabels([b.label for b in bars], fontfamily=FONT_FAMILY, fontsize=12)
    for tick, bar in zip(ax.get_yticklabels(), bars, strict=True):
        if bar.is_group:
            tick.set_fontweight("bold")
    _score_axis(ax, thai_digits)
    ax.set_xlim(0, 112)
    ax.set_ylim(-0.7, len(bars) - 0.2)  # not-domain: margins above and below the bars
    return _render(fig, fmt)


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[int, float | None]]  # (fiscal year, score)
    emphasis: bool = False


def line_chart(
    series: Sequence[Series],
    pass_mark: float,
    *,
    pass_label: str,
    thai_digits: bool = False,
    fmt: str = "svg",
) -> bytes:
    """Return scores over fiscal years, one line per series, with the pass mark."""
    fig = _figure(8.0, 3.4)
    ax = fig.add_subplot()
    years = sorted({year for s in series for year, v in s.points if v is not None})
    palette = [GOOD, "#2f8f6f", WEAK, "#6b3fa0"]
    for index, s in enumerate(series):
        known = [(y, v) for y, v in s.points if v is not None]
        if not known:
            continue
        xs, ys = zip(*known, strict=True)
        color = INK if s.emphasis else palette[index % len(palette)]
        ax.plot(
            xs, ys, marker="o", color=color, linewidth=2.6 if s.emphasis else 1.6,
            label=s.label, zorder=3 if s.emphasis else 2,
        )  # fmt: skip
        if s.emphasis:
            for x, y in known:
                ax.annotate(
                    digits(f"{y:.2f}", thai_digits), (x, y), textcoords="offset points",
                    xytext=(0, 7), ha="center", fontsize=9, fontfamily=FONT_FAMILY,
                )  # fmt: skip
    ax.axhline(pass_mark, color="#9b1c1c", linewidth=1.2, linestyle="--", label=pass_label)
    ax.set_xticks(years)
    ax.set_xticklabels([digits(str(y), thai_digits) for y in years], fontfamily=FONT_FAMILY)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: digits(f"{v:.0f}", thai_digits)))
    for tick in ax.get_yticklabels():
        tick.set_fontfamily(FONT_FAMILY)
    low = min([v for s in series for _y, v in s.points if v is not None] + [pass_mark])
    ax.set_ylim(max(0.0, low - 8), 102)
    if len(years) == 1:
        ax.set_xlim(years[0] - 1, years[0] + 1)
    ax.grid(axis="y", color=GRID, linewidth=0.8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(prop={"family": FONT_FAMILY, "size": 9}, loc="lower left", ncols=3, frameon=False)
    return _render(fig, fmt)


def _score_axis(ax: Axes, thai_digits: bool) -> None:
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: digits(f"{v:.0f}", thai_digits)))
    for tick in ax.get_xticklabels():
        tick.set_fontfamily(FONT_FAMILY)
        tick.set_fontsize(11)
    ax.grid(axis="x", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
