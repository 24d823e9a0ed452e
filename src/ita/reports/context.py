"""What a document says, as frozen dataclasses: the one input of every renderer.

A context holds the finished content of one document — headings, drafted paragraphs, tables
with their cells already formatted (Thai or Arabic digits, Buddhist-era dates), chart data —
and no layout. The DOCX, HTML and PDF renderers only arrange it on pages, so the three formats
never disagree on a word or a number.

Builders (defined in :mod:`ita.reports.analysis` and :mod:`ita.reports.measures`, importable
from here):

* :func:`build_analysis` — the analysis report, from a score result, the year's framework and
  its knowledge base; every number comes from the :class:`~ita.scoring.engine.ScoreResult` and
  the framework, and drafted paragraphs can be replaced by key (``overrides``), which is how the
  web application passes text a user edited.
* :func:`build_measures` and :func:`build_results` — the measures document (detailed or simple
  form) and the results report (6 or 7 columns), from a :class:`Plan`.

Nothing here reads files or the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from ita.reports import narrative as say
from ita.thai import digits, format_months, format_quarters

Align = Literal["left", "center", "right"]
Style = Literal["normal", "bold", "underline"]
MonthStyle = Literal["abbreviated", "full"]
MeasuresForm = Literal["detailed", "simple"]
ResultsColumns = Literal[6, 7]  # not-domain: column counts of the results report

# --- building blocks ------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of drafted text; ``key`` names it for editing (see ``overrides``)."""

    key: str
    text: str
    edited: bool = False


@dataclass(frozen=True)
class Line:
    """One line (paragraph) inside a table cell; ``href`` makes it a link."""

    text: str
    style: Style = "normal"
    href: str | None = None


@dataclass(frozen=True)
class Cell:
    lines: tuple[Line, ...]
    colspan: int = 1
    rowspan: int = 1
    align: Align = "left"

    @classmethod
    def of(cls, *texts: str, style: Style = "normal", align: Align = "left") -> Cell:
        return cls(tuple(Line(t, style) for t in texts), align=align)


@dataclass(frozen=True)
class Column:
    width: float  # share of the table's width; a table's shares add up to 1
    align: Align = "left"

    @property
    def css_width(self) -> str:
        return f"{self.width * 100:.2f}%"


@dataclass(frozen=True)
class Table:
    """A table: header rows (repeated on every page) and body rows of formatted cells."""

    key: str
    columns: tuple[Column, ...]
    header: tuple[tuple[Cell, ...], ...]
    rows: tuple[tuple[Cell, ...], ...]
    wide: bool = False  # needs a landscape page
    total_row: bool = False  # the last row is a total, set in bold


@dataclass(frozen=True)
class Heading:
    key: str  # anchor for the table of contents
    number: str  # "๔.๑" or "4.1"; empty for unnumbered headings
    text: str
    level: int = 1

    @property
    def label(self) -> str:
        return f"{self.number} {self.text}" if self.number else self.text


@dataclass(frozen=True)
class AgencyInfo:
    """The agency a document is about, as its documents name it."""

    name: str  # full name: องค์การบริหารส่วนตำบลศรีคำ
    district: str | None = None  # แม่จัน (อำเภอ is added)
    province: str | None = None  # เชียงราย (จังหวัด is added)

    def location(self) -> str:
        """Return ``อำเภอแม่จัน จังหวัดเชียงราย`` (empty when neither is known)."""
        parts = []
        if self.district:
            parts.append(say.with_prefix(self.district, say.DISTRICT))
        if self.province:
            parts.append(say.with_prefix(self.province, say.PROVINCE))
        return " ".join(parts)


# --- analysis report ------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartData:
    """Indicator scores against the pass mark, for the bar chart."""

    labels: tuple[str, ...]
    scores: tuple[float, ...]  # rounded to two decimals, as printed
    below: tuple[bool, ...]
    pass_mark: float
    pass_label: str
    value_labels: tuple[str, ...]
    thai_digits: bool
    caption: str
    legend: tuple[str, str]  # what the two bar colours mean: reached, below the pass mark


@dataclass(frozen=True)
class WeakIndicator:
    number: int
    title: str  # ตัวชี้วัดที่ ๒ การใช้งบประมาณ — คะแนน ๗๕.๑๕
    score: float
    measures: Paragraph
    improve_label: str
    improve: Paragraph


@dataclass(frozen=True)
class ToolWeakness:
    tool: str
    heading: Heading
    indicators: tuple[WeakIndicator, ...]
    note: Paragraph | None  # when the tool has no indicator to discuss


@dataclass(frozen=True)
class AnalysisFigures:
    """The figures the narrative states, for tests and for the web application."""

    total: float
    level: str
    passed: bool
    ranking: tuple[tuple[int, int], ...]  # (rank, indicator number), best first
    highest: tuple[int, ...]
    lowest: tuple[int, ...]
    below_pass: tuple[int, ...]
    discussed: tuple[int, ...]


@dataclass(frozen=True)
class AnalysisContext:
    fiscal_year: int
    thai_digits: bool
    agency: AgencyInfo
    figures: AnalysisFigures
    title_lines: tuple[str, ...]
    cover_lines: tuple[str, ...]
    preface_heading: Heading
    preface: tuple[Paragraph, ...]
    signature_lines: tuple[str, ...]
    toc_heading: Heading
    toc_page_label: str
    framework_heading: Heading
    framework_intro: Paragraph
    framework_table: Table
    levels_heading: Heading
    levels_intro: Paragraph
    levels_table: Table
    results_heading: Heading
    results_notes: tuple[Paragraph, ...]
    ranking_table: Table
    tools_table: Table
    chart: ChartData
    summary_heading: Heading
    summary: tuple[Paragraph, ...]
    weakness_heading: Heading
    weakness_intro: Paragraph
    weaknesses: tuple[ToolWeakness, ...]
    recommendations_heading: Heading
    recommendations: tuple[Paragraph, ...]
    guidelines_heading: Heading
    guidelines_intro: Paragraph
    guidelines: tuple[Paragraph, ...]
    appendix: MeasuresContext | None = None

    def headings(self) -> tuple[Heading, ...]:
        """Return the headings of the table of contents, in document order."""
        out = [
            self.framework_heading,
            self.levels_heading,
            self.results_heading,
            self.summary_heading,
            self.weakness_heading,
            *(w.heading for w in self.weaknesses),
            self.recommendations_heading,
            self.guidelines_heading,
        ]
        if self.appendix is not None:
            out.append(self.appendix.heading)
        return tuple(out)

    def paragraphs(self) -> tuple[Paragraph, ...]:
        """Return every editable paragraph, in document order (what ``overrides`` may name)."""
        weak = [p for w in self.weaknesses for i in w.indicators for p in (i.measures, i.improve)]
        notes = [w.note for w in self.weaknesses if w.note is not None]
        return (
            *self.preface,
            self.framework_intro,
            self.levels_intro,
            *self.results_notes,
            *self.summary,
            self.weakness_intro,
            *weak,
            *notes,
            *self.recommendations,
            self.guidelines_intro,
            *self.guidelines,
        )


class Drafts:
    """Drafted paragraphs by key, with the user's edits applied and every key accounted for."""

    def __init__(self, overrides: Mapping[str, str] | None, fmt: Callable[[str], str]) -> None:
        self.overrides = dict(overrides or {})
        self.fmt = fmt
        self.used: list[str] = []

    def __call__(self, key: str, text: str) -> Paragraph:
        if key in self.used:
            raise AssertionError(f"paragraph key {key!r} drafted twice")  # a bug, not input
        self.used.append(key)
        if key in self.overrides:
            return Paragraph(key, say.tie(self.fmt(self.overrides[key])), edited=True)
        return Paragraph(key, say.tie(self.fmt(text)))

    def check(self) -> None:
        unknown = sorted(set(self.overrides) - set(self.used))
        if unknown:
            raise ValueError(
                f"ไม่มีย่อหน้า {', '.join(unknown)} ในรายงานนี้ / unknown paragraph key(s) "
                f"{', '.join(unknown)}; known: {', '.join(self.used)}"
            )


# --- measures and results -------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """When a measure runs: fiscal quarters, a span of months, or words (``ทุกเดือน``)."""

    quarters: tuple[int, int] | None = None
    months: tuple[dt.date, dt.date] | None = None
    text: str | None = None

    def display(self, *, thai_digits: bool, month_style: MonthStyle = "abbreviated") -> str:
        parts = []
        if self.quarters is not None:
            parts.append(format_quarters(*self.quarters, thai_digits=thai_digits))
        if self.months is not None:
            parts.append(
                format_months(*self.months, thai_digits=thai_digits,
                              abbreviated=month_style == "abbreviated")
            )  # fmt: skip
        if self.text:
            parts.append(digits(self.text, thai_digits))
        return " ".join(parts)


@dataclass(frozen=True)
class ItemScore:
    """An ITA question behind an issue, with its official score."""

    code: str
    text: str | None
    score: float | None = None


@dataclass(frozen=True)
class Finding:
    """ข้อค้นพบ: who (group), what share (percent) and what they said (text)."""

    text: str
    percent: float | None = None
    group: str | None = None


@dataclass(frozen=True)
class Output:
    """ผลการดำเนินการ (Output): ``text`` with an optional count and target."""

    text: str
    quantity: float | None = None
    unit: str | None = None
    target: str | None = None


@dataclass(frozen=True)
class Evidence:
    url: str
    label: str | None = None


@dataclass(frozen=True)
class Measure:
    """มาตรการ/กิจกรรม: a measure with its ordered steps and, once run, its results."""

    title: str | None
    steps: tuple[str, ...] = ()
    period: Period | None = None
    responsible: tuple[str, ...] = ()
    follow_up: str | None = None
    outputs: tuple[Output, ...] = ()
    outcomes: tuple[str, ...] = ()
    recommendations: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class IssuePlan:
    """One issue (ประเด็น): the questions and findings behind it, its measures, its limits."""

    number: int
    title: str
    items: tuple[ItemScore, ...] = ()
    findings: tuple[Finding, ...] = ()
    measures: tuple[Measure, ...] = ()
    limitations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    """The measures of one fiscal year and, once run, their results (one input file)."""

    agency: AgencyInfo
    fiscal_year: int  # of the measures (Buddhist era)
    assessment_year: int  # the ITA year analysed (Buddhist era)
    issues: tuple[IssuePlan, ...]
    intro: tuple[str, ...] = ()  # replaces the drafted introduction when given
    date: dt.date | None = None
    prepared_by: str | None = None  # e.g. สำนักปลัด (the results report names who prepared it)
    month_style: MonthStyle = "abbreviated"


@dataclass(frozen=True)
class MeasuresContext:
    plan: Plan
    form: MeasuresForm
    thai_digits: bool
    heading: Heading  # the title, also the appendix entry of an analysis report
    title_lines: tuple[str, ...]
    intro: tuple[Paragraph, ...]
    table: Table
    signature_lines: tuple[str, ...]


@dataclass(frozen=True)
class ResultsContext:
    plan: Plan
    columns: ResultsColumns
    thai_digits: bool
    title_lines: tuple[str, ...]
    intro: tuple[Paragraph, ...]
    issue_lines: tuple[str, ...]
    elements_intro: Paragraph
    elements: tuple[str, ...]
    table_intro: str
    table: Table
    signature_lines: tuple[str, ...]


# The builders live in their own modules; they are part of this module's interface.
from ita.reports.analysis import build_analysis  # noqa: E402 - after the classes it uses
from ita.reports.measures import build_measures, build_results  # noqa: E402

__all__ = [
    "AgencyInfo",
    "AnalysisContext",
    "AnalysisFigures",
    "Cell",
    "ChartData",
    "Column",
    "Drafts",
    "Evidence",
    "Finding",
    "Heading",
    "IssuePlan",
    "ItemScore",
    "Line",
    "Measure",
    "MeasuresContext",
    "Output",
    "Paragraph",
    "Period",
    "Plan",
    "ResultsContext",
    "Table",
    "ToolWeakness",
    "WeakIndicator",
    "build_analysis",
    "build_measures",
    "build_results",
]
