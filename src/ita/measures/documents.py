"""The measures document and the results report, from a plan (live or as frozen in a snapshot).

Turns the plan's plain data (``services.plan_data`` or a ``PlanSnapshot.data``) into the
report context of :mod:`ita.reports` and renders it as DOCX, PDF or HTML.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ita.agencies.models import Agency
from ita.assessments.services import framework_for_year
from ita.reports import context as rc
from ita.reports.docx import render_docx
from ita.reports.html import render_html
from ita.reports.pdf import render_pdf
from ita.scoring.spec import ScoringSpec


@dataclass(frozen=True)
class Kind:
    label: str
    builder: str  # "measures" or "results"
    option: Any  # the form of the measures document, or the results report's column count


KINDS = {
    "measures": Kind("มาตรการ (แบบละเอียด)", "measures", "detailed"),
    "measures-simple": Kind("มาตรการ (ตารางอย่างง่าย)", "measures", "simple"),
    "results": Kind("รายงานผลการดำเนินการ (6 คอลัมน์)", "results", 6),  # not-domain: columns
    "results-evidence": Kind("รายงานผลการดำเนินการ (7 คอลัมน์ พร้อมหลักฐาน)", "results", 7),
}
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}


def _period(measure: dict[str, Any]) -> rc.Period | None:
    quarters = measure.get("quarters")
    months = measure.get("months")
    text = measure.get("period_text") or None
    if not (quarters or months or text):
        return None
    return rc.Period(
        quarters=(quarters[0], quarters[1]) if quarters else None,
        months=(dt.date.fromisoformat(months[0]), dt.date.fromisoformat(months[1]))
        if months
        else None,
        text=text if not (quarters or months) else None,
    )


def _lines(texts: list[str]) -> tuple[str, ...]:
    return tuple(line.strip() for text in texts for line in text.splitlines() if line.strip())


def _measure(m: dict[str, Any]) -> rc.Measure:
    progress = list(reversed(m.get("progress", [])))  # oldest first
    return rc.Measure(
        title=m["title"],
        steps=tuple(s["text"] for s in m.get("steps", [])),
        period=_period(m),
        responsible=tuple(m.get("units", [])),
        follow_up=m.get("follow_up") or None,
        outputs=tuple(rc.Output(text) for text in _lines([p["output"] for p in progress])),
        outcomes=_lines([p["outcome"] for p in progress]),
        recommendations=_lines([p["recommendations"] for p in progress]),
        evidence=tuple(
            rc.Evidence(url)
            for p in progress
            for url in p.get("evidence", [])
            if isinstance(url, str) and url.startswith(("http://", "https://"))
        ),
    )


def report_plan(agency: Agency, data: dict[str, Any], titles: dict[int, str]) -> rc.Plan:
    """Return the report view of a plan's data; ``titles`` names issues without an entry."""
    issues = {i["number"]: i for i in data.get("issues", [])}
    numbers = sorted(set(issues) | {m["issue"] for m in data.get("measures", [])})
    plans = []
    for number in numbers:
        issue = issues.get(number, {})
        items = issue.get("items", [])
        plans.append(
            rc.IssuePlan(
                number=number,
                title=issue.get("title") or titles.get(number, ""),
                items=tuple(rc.ItemScore(i["code"], i.get("text"), i.get("score")) for i in items),
                findings=tuple(
                    rc.Finding(
                        text=i["opinion"],
                        percent=i["finding_percent"] if i.get("finding_percent") else None,
                        group=i.get("audience"),
                    )
                    for i in items
                    if i.get("opinion")
                ),
                measures=tuple(
                    _measure(m) for m in data.get("measures", []) if m["issue"] == number
                ),
                limitations=tuple(issue.get("limitations", [])),
            )
        )
    return rc.Plan(
        agency=rc.AgencyInfo(agency.name_th, agency.district or None, agency.province or None),
        fiscal_year=data["fiscal_year"],
        assessment_year=data.get("assessment_year") or data["fiscal_year"],
        issues=tuple(plans),
        intro=tuple(p for p in (data.get("intro") or "").split("\n\n") if p.strip()),
    )


def render(plan: rc.Plan, spec: ScoringSpec, kind: str, fmt: str, thai_digits: bool) -> bytes:
    """Render the measures document or the results report in one format."""
    chosen = KINDS[kind]
    ctx: rc.MeasuresContext | rc.ResultsContext
    if chosen.builder == "measures":
        ctx = rc.build_measures(plan, spec, form=chosen.option, thai_digits=thai_digits)
    else:
        ctx = rc.build_results(plan, spec, columns=chosen.option, thai_digits=thai_digits)
    if fmt == "docx":
        return render_docx(ctx)
    if fmt == "pdf":
        return render_pdf(ctx)
    return render_html(ctx).encode("utf-8")


def render_stored(
    plan: Any, kind: str, fmt: str, thai_digits: bool, data: dict[str, Any] | None = None
) -> bytes:
    """Render a stored plan (its live data, or ``data`` frozen in a snapshot).

    The framework is that of the assessment the plan answers, else of the plan's own year;
    raises ``LookupError`` when neither year has one.
    """
    from ita.measures.services import plan_data

    if plan.assessment is not None:
        framework = plan.assessment.framework
    else:
        framework = framework_for_year(plan.fiscal_year)
    titles = {i.number: i.title_th for i in framework.schema.issues}
    view = report_plan(plan.agency, data if data is not None else plan_data(plan), titles)
    return render(view, framework.spec, kind, fmt, thai_digits=thai_digits)
