"""The measures/results input file: YAML mapping one to one onto :class:`ita.reports.context.Plan`.

Until the measures feature stores plans in the database, ``ita report measures`` and ``ita
report results`` read a plan from a file documented in docs/reports.md (example:
docs/examples/plan-2568.yaml). One file serves both documents: the results fields (outputs,
outcomes, recommendations, evidence) are simply not shown in the measures document.

The file is checked in two steps, each fault reported with its line and path: the shape
(:class:`PlanFile`), then against the framework of the assessment year analysed (issue numbers
and item codes must exist there; issue titles and question wording are taken from it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from ita.catalog.loader import Problem, line_of
from ita.catalog.schema import Framework, Loc
from ita.reports.context import (
    AgencyInfo,
    Evidence,
    Finding,
    IssuePlan,
    ItemScore,
    Measure,
    Output,
    Period,
    Plan,
)
from ita.reports.yamlfile import DataFileError, read_text, read_yaml, validate
from ita.scoring.spec import normalize_code
from ita.thai import BE_OFFSET, MONTHS_TH, QUARTERS, parse_number, to_arabic_digits

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-\d{1,2})?$")
_BE_FROM = 2400  # a year at or above this is Buddhist era (CE years of interest are ~2000)


def _number(value: Any) -> Any:
    """Accept numbers written as text with Thai or Arabic digits (``"๗๔.๖๒"``)."""
    if isinstance(value, str):
        try:
            return parse_number(value)
        except ValueError:
            return value
    return value


Percent = Annotated[float, BeforeValidator(_number), Field(ge=0, le=100, allow_inf_nan=False)]
Text = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AgencyIn(_Strict):
    name: Text
    district: str | None = None
    province: str | None = None


def _month(value: Any) -> dt.date:
    """Return the first day of a month from ``2567-10`` (BE), ``2024-10`` (CE) or a date."""
    if isinstance(value, dt.date):
        return value.replace(day=1)
    match = _MONTH.match(to_arabic_digits(str(value)).strip())
    if not match:
        raise ValueError(f"a month is written YYYY-MM (e.g. 2567-10), not {value!r}")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= len(MONTHS_TH):
        raise ValueError(f"month {month} is not 1–12")
    return dt.date(year - BE_OFFSET if year >= _BE_FROM else year, month, 1)


def _quarters(value: Any) -> tuple[int, int]:
    span: list[Any]
    if isinstance(value, int) and not isinstance(value, bool):
        span = [value]
    elif isinstance(value, list):
        span = value
    elif isinstance(value, str):
        span = [p for p in re.split(r"\s*[-–]\s*", to_arabic_digits(value).strip()) if p]
    else:
        raise ValueError(f"quarters are 2, [1, 4] or '1-4', not {value!r}")
    try:
        numbers = [int(p) for p in span]
    except (TypeError, ValueError):
        raise ValueError(f"quarters are 2, [1, 4] or '1-4', not {value!r}") from None
    if not 1 <= len(numbers) <= 2:
        raise ValueError("give one quarter or a first and a last quarter")
    first, last = numbers[0], numbers[-1]
    if not 1 <= first <= last <= QUARTERS:
        raise ValueError(f"quarters must run forward within 1–{QUARTERS}: {first}–{last}")
    return first, last


class PeriodIn(_Strict):
    """``{quarters: [1, 4]}``, ``{from: 2567-10, to: 2568-09}`` or ``{text: ทุกเดือน}``."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    quarters: Annotated[tuple[int, int], BeforeValidator(_quarters)] | None = None
    start: Annotated[dt.date, BeforeValidator(_month)] | None = Field(None, alias="from")
    end: Annotated[dt.date, BeforeValidator(_month)] | None = Field(None, alias="to")
    text: str | None = None

    @model_validator(mode="after")
    def _something_given(self) -> PeriodIn:
        if self.quarters is None and self.start is None and not self.text:
            raise ValueError("a period needs quarters, from (and to) or text")
        if self.end is not None and self.start is None:
            raise ValueError("'to' needs a 'from'")
        if self.start and self.end and self.end < self.start:
            raise ValueError("'to' comes before 'from'")
        return self

    def to_period(self) -> Period:
        months = None
        if self.start is not None:
            months = (self.start, self.end or self.start)
        return Period(quarters=self.quarters, months=months, text=self.text)


def _text_or_mapping(key: str) -> Any:
    def coerce(value: Any) -> Any:
        return {key: value} if isinstance(value, str) else value

    return BeforeValidator(coerce)


class OutputIn(_Strict):
    text: Text
    quantity: Annotated[float, BeforeValidator(_number), Field(ge=0)] | None = None
    unit: str | None = None
    target: str | None = None


class EvidenceIn(_Strict):
    url: Annotated[str, Field(pattern=r"^https?://\S+$")]
    label: str | None = None


class MeasureIn(_Strict):
    title: str | None = None
    steps: list[Text] = []
    period: Annotated[PeriodIn, _text_or_mapping("text")] | None = None
    responsible: list[Text] = []
    follow_up: str | None = None
    outputs: list[Annotated[OutputIn, _text_or_mapping("text")]] = []
    outcomes: list[Text] = []
    recommendations: list[Text] = []
    evidence: list[Annotated[EvidenceIn, _text_or_mapping("url")]] = []


class ItemIn(_Strict):
    code: Text
    score: Percent | None = None
    text: str | None = None  # the question's wording; default: the framework's


class FindingIn(_Strict):
    text: Text
    percent: Percent | None = None
    group: str | None = None  # who: default from the tool of the issue's items


class IssueIn(_Strict):
    number: Annotated[int, Field(ge=1)]
    items: list[ItemIn] = []
    findings: list[Annotated[FindingIn, _text_or_mapping("text")]] = []
    measures: Annotated[list[MeasureIn], Field(min_length=1)]
    limitations: list[Text] = []


class PlanFile(_Strict):
    """The whole input file."""

    schema_version: Literal[1]
    agency: AgencyIn
    fiscal_year: Annotated[int, Field(ge=2500, le=2700)]  # of the measures, Buddhist era
    assessment_year: Annotated[int, Field(ge=2500, le=2700)]  # the ITA year analysed
    date: dt.date | None = None
    prepared_by: str | None = None
    month_style: Literal["abbreviated", "full"] = "abbreviated"
    intro: Annotated[list[Text], BeforeValidator(lambda v: [v] if isinstance(v, str) else v)] = []
    issues: Annotated[list[IssueIn], Field(min_length=1)]

    @field_validator("issues")
    @classmethod
    def _issues_once(cls, issues: list[IssueIn]) -> list[IssueIn]:
        numbers = [i.number for i in issues]
        repeated = sorted({n for n in numbers if numbers.count(n) > 1})
        if repeated:
            raise ValueError(f"issue(s) {', '.join(map(str, repeated))} written more than once")
        return issues


def check_against(plan: PlanFile, framework: Framework) -> list[tuple[Loc, str]]:
    """Return every fault of a plan that the framework of its assessment year reveals."""
    problems: list[tuple[Loc, str]] = []
    issues = {i.number: i for i in framework.issues}
    items = {item.code for _, _, item in framework.iter_items()}
    year = framework.fiscal_year
    for xi, issue in enumerate(plan.issues):
        if issue.number not in issues:
            known = ", ".join(str(n) for n in issues) or "none"
            problems.append(
                (("issues", xi, "number"), f"issue {issue.number} is not in the {year} "
                 f"framework (issues: {known})")
            )  # fmt: skip
        for ii, item in enumerate(issue.items):
            if normalize_code(item.code) not in items:
                problems.append(
                    (("issues", xi, "items", ii, "code"),
                     f"item {item.code!r} is not in the {year} framework")
                )  # fmt: skip
    return problems


def to_plan(plan: PlanFile, framework: Framework) -> Plan:
    """Return the :class:`Plan` of a checked file, with titles and wording from the framework."""
    issues = {i.number: i for i in framework.issues}
    wording = {item.code: item.text_th for _, _, item in framework.iter_items()}
    out = []
    for issue in plan.issues:
        out.append(
            IssuePlan(
                number=issue.number,
                title=issues[issue.number].title_th,
                items=tuple(
                    ItemScore(
                        normalize_code(i.code),
                        i.text or wording.get(normalize_code(i.code)),
                        i.score,
                    )
                    for i in issue.items
                ),
                findings=tuple(Finding(f.text, f.percent, f.group) for f in issue.findings),
                measures=tuple(_measure(m) for m in issue.measures),
                limitations=tuple(issue.limitations),
            )
        )
    agency = plan.agency
    return Plan(
        agency=AgencyInfo(agency.name, agency.district, agency.province),
        fiscal_year=plan.fiscal_year,
        assessment_year=plan.assessment_year,
        issues=tuple(out),
        intro=tuple(plan.intro),
        date=plan.date,
        prepared_by=plan.prepared_by,
        month_style=plan.month_style,
    )


def _measure(m: MeasureIn) -> Measure:
    return Measure(
        title=m.title,
        steps=tuple(m.steps),
        period=m.period.to_period() if m.period else None,
        responsible=tuple(m.responsible),
        follow_up=m.follow_up,
        outputs=tuple(Output(o.text, o.quantity, o.unit, o.target) for o in m.outputs),
        outcomes=tuple(m.outcomes),
        recommendations=tuple(m.recommendations),
        evidence=tuple(Evidence(e.url, e.label) for e in m.evidence),
    )


def read_plan_file(path: Path) -> tuple[PlanFile, Any]:
    """Read and validate the shape of a plan file; return it with its YAML node tree."""
    data, node = read_yaml(read_text(path), path)
    return validate(PlanFile, data, node, path), node


def load_plan(path: Path, framework_of: Callable[[int], Framework]) -> Plan:
    """Return the plan in a file, checked against the framework of its assessment year.

    ``framework_of`` is a function from a fiscal year to its :class:`Framework` (it may raise
    ``LookupError`` for an unknown year, reported as a fault of ``assessment_year``).
    """
    plan, node = read_plan_file(path)
    try:
        framework = framework_of(plan.assessment_year)
    except LookupError as exc:
        loc: Loc = ("assessment_year",)
        raise DataFileError(path, [Problem(loc, str(exc.args[0]), line_of(node, loc))]) from None
    faults = check_against(plan, framework)
    if faults:
        raise DataFileError(path, [Problem(loc, msg, line_of(node, loc)) for loc, msg in faults])
    return to_plan(plan, framework)
