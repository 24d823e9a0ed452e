"""The measures document and the results report: a :class:`~ita.reports.context.Plan` in.

The measures document comes in seed S0's detailed form (one block per issue with the ITA
questions, findings, steps, period, units and limitations) or seed S1's simple table (one row
per measure); the results report in seed S2's six columns or the seven-column variant with
recommendations and evidence links. The column sets are a table (:data:`RESULTS_COLUMNS`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from ita.reports import narrative as say
from ita.reports.context import (
    Cell,
    Column,
    Drafts,
    Evidence,
    Finding,
    Heading,
    IssuePlan,
    ItemScore,
    Line,
    Measure,
    MeasuresContext,
    MeasuresForm,
    Output,
    Plan,
    ResultsColumns,
    ResultsContext,
    Table,
)
from ita.scoring.engine import round2
from ita.scoring.spec import ScoringSpec
from ita.thai import digits, format_date, format_score


class _PlanText:
    """Formatting shared by the measures and results tables."""

    def __init__(self, plan: Plan, thai: bool, respondents: Mapping[str, str]) -> None:
        self.plan = plan
        self.thai = thai
        self.respondents = respondents

    def d(self, text: object) -> str:
        return digits(text, self.thai)

    def numbered(self, texts: Sequence[str]) -> list[Line]:
        return [Line(say.numbered(self.d(i), self.d(t))) for i, t in enumerate(texts, start=1)]

    def dashed(self, texts: Iterable[str]) -> list[Line]:
        return [Line(say.dashed(self.d(t))) for t in texts]

    def issue_title(self, issue: IssuePlan, parenthesised: bool) -> str:
        number = self.d(issue.number)
        return say.issue_label(number, issue.title, parenthesised)

    def item(self, item: ItemScore) -> Line:
        score = (
            say.item_score(format_score(round2(item.score), self.thai))
            if item.score is not None
            else ""
        )
        return Line(self.d(" ".join(p for p in (item.code, item.text or "", score) if p)))

    def finding(self, issue: IssuePlan, finding: Finding) -> Line:
        group = finding.group or self._group_of(issue)
        percent = (
            say.percent(format_score(round2(finding.percent), self.thai))
            if finding.percent is not None
            else None
        )
        return Line(say.dashed(self.d(say.finding(group, percent, finding.text))))

    def _group_of(self, issue: IssuePlan) -> str | None:
        groups = {self.respondents.get(i.code[:1]) for i in issue.items} - {None}
        return groups.pop() if len(groups) == 1 else None

    def period(self, measure: Measure) -> str:
        if measure.period is None:
            return ""
        return measure.period.display(thai_digits=self.thai, month_style=self.plan.month_style)

    def periods(self, issue: IssuePlan) -> list[Line]:
        seen: list[str] = []
        for m in issue.measures:
            text = self.period(m)
            if text and text not in seen:
                seen.append(text)
        return [Line(t) for t in seen]

    def units(self, issue: IssuePlan) -> list[str]:
        seen: list[str] = []
        for m in issue.measures:
            seen.extend(u for u in m.responsible if u not in seen)
        return seen

    def per_measure(
        self,
        issue: IssuePlan,
        lines_of: Callable[[Measure], list[Line]],
        titled: bool = False,
    ) -> list[Line]:
        """Return each measure's lines, under its title when ``titled`` or the issue has several."""
        titled = titled or len(issue.measures) > 1
        out: list[Line] = []
        for m in issue.measures:
            lines = lines_of(m)
            if titled and m.title and lines:
                out.append(Line(self.d(m.title), "bold"))
            out.extend(lines)
        return out

    def output(self, output: Output) -> Line:
        quantity = None
        if output.quantity is not None:
            quantity = f"{output.quantity:g}"
        return Line(
            say.dashed(self.d(say.output(output.text, quantity, output.unit, output.target)))
        )

    def evidence(self, ev: Evidence) -> Line:
        return Line(self.d(ev.label) if ev.label else ev.url, href=ev.url)

    def signature(self) -> tuple[str, ...]:
        lines = [self.plan.agency.name]
        if self.plan.date is not None:
            lines.append(format_date(self.plan.date, thai_digits=self.thai))
        return tuple(lines)


def _respondents(spec: ScoringSpec) -> dict[str, str]:
    """Return who answers each perception tool, by the first letter of its item codes."""
    out = {}
    for tool in spec.perception_tools():
        if tool.respondents_th and tool.items:
            out[tool.items[0][:1]] = tool.respondents_th
    return out


def build_measures(
    plan: Plan,
    spec: ScoringSpec,
    form: MeasuresForm = "detailed",
    thai_digits: bool = True,
    overrides: Mapping[str, str] | None = None,
) -> MeasuresContext:
    """Return the measures document: S0's detailed form per issue, or S1's simple table.

    ``spec`` is the scoring spec of the assessment year analysed (it says who answers each
    tool, for the findings). ``overrides`` replaces the drafted introduction by key
    (``intro.1`` …).
    """
    pt = _PlanText(plan, thai_digits, _respondents(spec))
    d = pt.d
    draft = Drafts(overrides, d)
    agency = plan.agency.name
    year, analysed = d(plan.fiscal_year), d(plan.assessment_year)
    if form == "detailed":
        title = say.measures_title(agency, year)
        drafted = plan.intro or (say.measures_intro(agency, analysed, year),)
        table = _detailed_table(plan, pt)
    else:
        title = say.simple_measures_title(agency, year)
        drafted = plan.intro or (say.simple_measures_intro(agency, analysed, year),)
        table = _simple_table(plan, pt)
    intro = tuple(draft(f"intro.{i}", text) for i, text in enumerate(drafted, start=1))
    draft.check()
    return MeasuresContext(
        plan=plan,
        form=form,
        thai_digits=thai_digits,
        heading=Heading("measures", "", " ".join(title)),
        title_lines=title,
        intro=intro,
        table=table,
        signature_lines=pt.signature(),
    )


def _header(*texts: str) -> tuple[tuple[Cell, ...], ...]:
    return (tuple(Cell.of(t, align="center") for t in texts),)


def _detailed_table(plan: Plan, pt: _PlanText) -> Table:
    rows = []
    for issue in plan.issues:
        units = [Line(say.dashed(pt.d(u))) for u in pt.units(issue)]
        limits = pt.numbered(issue.limitations) if issue.limitations else [Line(say.NONE_MARK)]
        rows.append((
            Cell.of(pt.d(pt.issue_title(issue, parenthesised=True)), style="bold"),
            Cell(tuple(pt.item(i) for i in issue.items)),
            Cell(tuple(pt.finding(issue, f) for f in issue.findings)),
            Cell(tuple(pt.per_measure(issue, lambda m: pt.numbered(m.steps), titled=True))),
            Cell(tuple(pt.periods(issue)), align="center"),
            Cell((*units, Line(say.LIMITATIONS, "underline"), *limits)),
        ))  # fmt: skip
    header = (
        (Cell((Line(say.COL_ISSUE),), rowspan=2, align="center"),
         Cell((Line(say.COL_ANALYSIS_TO_PRACTICE),), colspan=2, align="center"),
         Cell((Line(say.COL_STEPS),), rowspan=2, align="center"),
         Cell((Line(say.COL_PERIOD),), rowspan=2, align="center"),
         Cell((Line(say.COL_UNITS),), rowspan=2, align="center")),
        (Cell.of(say.COL_ITA_QUESTIONS, align="center"), Cell.of(say.COL_FINDINGS, align="center")),
    )  # fmt: skip
    columns = tuple(Column(w) for w in DETAILED_WIDTHS)
    return Table("measures-detailed", columns, header, tuple(rows), wide=True)


def _simple_table(plan: Plan, pt: _PlanText) -> Table:
    rows = []
    number = 0
    for issue in plan.issues:
        for m in issue.measures:
            number += 1
            title = m.title or issue.title
            rows.append((
                Cell.of(say.numbered(pt.d(number), pt.d(title))),
                Cell(tuple(pt.numbered(m.steps))),
                Cell(tuple(Line(pt.d(u)) for u in m.responsible)),
                Cell.of(pt.period(m), align="center"),
                Cell.of(pt.d(m.follow_up or "")),
            ))  # fmt: skip
    columns = tuple(Column(w) for w in SIMPLE_WIDTHS)
    header = _header(say.COL_MEASURE, say.COL_STEPS_SHORT, say.COL_RESPONSIBLE,
                     say.COL_PERIOD_SIMPLE, say.COL_FOLLOW_UP)  # fmt: skip
    return Table("measures-simple", columns, header, tuple(rows), wide=True)


@dataclass(frozen=True)
class _ResultColumn:
    header: str
    element: str  # how the introduction names what the column holds
    cell: Callable[[_PlanText, IssuePlan], Cell]


def _activities(pt: _PlanText, issue: IssuePlan) -> Cell:
    lines = [Line(pt.d(pt.issue_title(issue, parenthesised=False)), "bold")]
    lines.extend(Line(say.dashed(pt.d(m.title))) for m in issue.measures if m.title)
    return Cell(tuple(lines))


def _steps(pt: _PlanText, issue: IssuePlan) -> Cell:
    return Cell(tuple(pt.per_measure(issue, lambda m: pt.numbered(m.steps))))


def _steps_and_period(pt: _PlanText, issue: IssuePlan) -> Cell:
    def lines(m: Measure) -> list[Line]:
        period = pt.period(m)
        return [*pt.numbered(m.steps), *([Line(say.period_line(period))] if period else [])]

    return Cell(tuple(pt.per_measure(issue, lines)))


def _period(pt: _PlanText, issue: IssuePlan) -> Cell:
    return Cell(tuple(pt.periods(issue)), align="center")


def _units(pt: _PlanText, issue: IssuePlan) -> Cell:
    return Cell(tuple(Line(pt.d(u)) for u in pt.units(issue)))


def _outputs(pt: _PlanText, issue: IssuePlan) -> Cell:
    return Cell(tuple(pt.per_measure(issue, lambda m: [pt.output(o) for o in m.outputs])))


def _outcomes(pt: _PlanText, issue: IssuePlan) -> Cell:
    return Cell(tuple(pt.per_measure(issue, lambda m: pt.numbered(m.outcomes))))


def _recommendations(pt: _PlanText, issue: IssuePlan) -> Cell:
    return Cell(tuple(pt.per_measure(issue, lambda m: pt.dashed(m.recommendations))))


def _evidence(pt: _PlanText, issue: IssuePlan) -> Cell:
    return Cell(tuple(pt.per_measure(issue, lambda m: [pt.evidence(e) for e in m.evidence])))


# The two column sets of the results report [unverified — configurable: DOMAIN.md §2(c), §9.14].
RESULTS_COLUMNS: dict[int, tuple[_ResultColumn, ...]] = {
    6: (  # not-domain: a column count
        _ResultColumn(say.COL_ACTIVITY, say.EL_ACTIVITY, _activities),
        _ResultColumn(say.COL_STEPS_RESULTS, say.EL_STEPS, _steps),
        _ResultColumn(say.COL_PERIOD_RESULTS, say.EL_PERIOD, _period),
        _ResultColumn(say.COL_UNITS_RESULTS, say.EL_UNITS, _units),
        _ResultColumn(say.COL_OUTPUT, say.EL_OUTPUT, _outputs),
        _ResultColumn(say.COL_OUTCOME, say.EL_OUTCOME, _outcomes),
    ),
    7: (
        _ResultColumn(say.COL_ACTIVITY, say.EL_ACTIVITY, _activities),
        _ResultColumn(say.COL_STEPS_AND_PERIOD, say.EL_STEPS_AND_PERIOD, _steps_and_period),
        _ResultColumn(say.COL_OUTPUT, say.EL_OUTPUT, _outputs),
        _ResultColumn(say.COL_RECOMMENDATIONS, say.EL_RECOMMENDATIONS, _recommendations),
        _ResultColumn(say.COL_UNITS_RESULTS, say.EL_UNITS, _units),
        _ResultColumn(say.COL_OUTCOME, say.EL_OUTCOME, _outcomes),
        _ResultColumn(say.COL_EVIDENCE, say.EL_EVIDENCE, _evidence),
    ),
}
# Shares of the table's width, column by column (each adds up to 1).
RESULTS_WIDTHS: dict[int, tuple[float, ...]] = {
    6: (0.2, 0.22, 0.1, 0.1, 0.19, 0.19),  # not-domain: a column count and widths
    7: (0.16, 0.19, 0.15, 0.13, 0.09, 0.14, 0.14),
}
DETAILED_WIDTHS = (0.13, 0.22, 0.2, 0.23, 0.1, 0.12)  # not-domain: column widths
SIMPLE_WIDTHS = (0.24, 0.31, 0.14, 0.13, 0.18)


def build_results(
    plan: Plan,
    spec: ScoringSpec,
    columns: ResultsColumns = 6,  # not-domain: column count
    thai_digits: bool = True,
    overrides: Mapping[str, str] | None = None,
) -> ResultsContext:
    """Return the results report (S2's six columns, or the seven-column variant with evidence)."""
    if columns not in RESULTS_COLUMNS:
        raise ValueError(f"the results report has 6 or 7 columns, not {columns}")
    pt = _PlanText(plan, thai_digits, _respondents(spec))
    d = pt.d
    draft = Drafts(overrides, d)
    agency = plan.agency.name
    year, analysed = d(plan.fiscal_year), d(plan.assessment_year)
    by = plan.prepared_by
    drafted = plan.intro or (say.results_intro(agency, by, analysed, year, d(len(plan.issues))),)
    intro = tuple(draft(f"intro.{i}", text) for i, text in enumerate(drafted, start=1))
    spec_columns = RESULTS_COLUMNS[columns]
    elements_intro = draft("intro.elements", say.results_elements_intro(agency, year))
    draft.check()
    table = Table(
        f"results-{columns}",
        tuple(Column(w) for w in RESULTS_WIDTHS[columns]),
        _header(*(c.header for c in spec_columns)),
        tuple(tuple(c.cell(pt, issue) for c in spec_columns) for issue in plan.issues),
        wide=True,
    )
    return ResultsContext(
        plan=plan,
        columns=columns,
        thai_digits=thai_digits,
        title_lines=say.results_title(year, agency, plan.agency.location()),
        intro=intro,
        issue_lines=tuple(d(pt.issue_title(i, parenthesised=False)) for i in plan.issues),
        elements_intro=elements_intro,
        elements=tuple(say.numbered(d(i), c.element) for i, c in enumerate(spec_columns, 1)),
        table_intro=say.TABLE_FOLLOWS,
        table=table,
        signature_lines=pt.signature(),
    )
