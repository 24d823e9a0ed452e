"""The dashboard of one agency and year: result, charts, weak items, trend and what-if."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ita import charts
from ita.assessments.forms import parse_score
from ita.assessments.models import Assessment
from ita.assessments.services import score
from ita.assessments.views import get_assessment_for_user
from ita.catalog.schema import Framework, Item
from ita.scoring.engine import SCORE_MAX, ScoreResult
from ita.scoring.spec import ScoringSpec
from ita.scoring.whatif import Plan, levers, next_level, path_to_level, simulate

WEAK_ITEMS = 8
TOP_LEVERS = 5


@dataclass(frozen=True)
class IndicatorRow:
    number: int
    name: str
    tool: str
    weight: float
    score: float | None
    previous: float | None

    @property
    def change(self) -> float | None:
        if self.score is None or self.previous is None:
            return None
        return self.score - self.previous


@dataclass(frozen=True)
class WeakItem:
    item: Item
    tool: str
    respondents: str | None
    score: float
    finding: float | None
    remark: str = ""


def _previous(assessment: Assessment) -> Assessment | None:
    return (
        Assessment.objects.filter(agency=assessment.agency, fiscal_year__lt=assessment.fiscal_year)
        .order_by("-fiscal_year")
        .first()
    )


def _indicator_rows(
    spec: ScoringSpec, result: ScoreResult, previous: dict[str, Any]
) -> list[IndicatorRow]:
    before = previous.get("indicators", {}) if previous else {}
    return [
        IndicatorRow(
            ind.number,
            ind.name_th,
            ind.tool,
            ind.weight,
            result.indicators.get(ind.number),
            before.get(str(ind.number)),
        )
        for ind in spec.indicators
    ]


def _weak_items(
    fw: Framework, result: ScoreResult, kind: str, remarks: dict[str, str]
) -> list[WeakItem]:
    """Return the lowest-scoring questions (perception) or the OIT items below full marks."""
    rows = []
    for tool, _ind, item in fw.iter_items():
        value = result.items.get(item.code)
        if tool.kind == kind and value is not None:
            rows.append(
                WeakItem(
                    item,
                    tool.code,
                    tool.respondents_th,
                    value,
                    result.findings.get(item.code),
                    remarks.get(item.code, ""),
                )
            )
    rows.sort(key=lambda r: (r.score, r.item.code))
    if kind == "disclosure":
        return [r for r in rows if r.score < SCORE_MAX]
    return rows[:WEAK_ITEMS]


def _plan(spec: ScoringSpec, result: ScoreResult) -> tuple[Plan | None, Any]:
    target = next_level(spec, result.level)
    if target is None:
        return None, None
    return path_to_level(spec, result, target), target


@login_required
def dashboard(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    access, assessment = get_assessment_for_user(request.user, agency_id, year)
    fw = assessment.framework.schema
    spec = assessment.framework.spec
    result = score(assessment)
    previous = _previous(assessment)
    plan, target = _plan(spec, result)
    remarks = {row.code: row.remark for row in assessment.item_scores.all() if row.remark}
    history = list(
        Assessment.objects.filter(agency=assessment.agency)
        .order_by("fiscal_year")
        .values_list("fiscal_year", "total", "level")
    )
    context = {
        "access": access,
        "agency": assessment.agency,
        "assessment": assessment,
        "fw": fw,
        "result": result,
        "tools": [(t, result.tools.get(t.code)) for t in spec.tools],
        "indicators": _indicator_rows(spec, result, previous.result if previous else {}),
        "previous": previous,
        "weak_items": _weak_items(fw, result, "perception", remarks),
        "oit_missing": _weak_items(fw, result, "disclosure", remarks),
        "levers": [lv for lv in levers(spec, result) if lv.headroom > 0][:TOP_LEVERS],
        "target": target,
        "plan": plan,
        "history": history,
        "has_results": any(v is not None for v in result.indicators.values()),
        "thai_digits": assessment.agency.thai_digits,
        "spec": spec,
    }
    return render(request, "assessments/dashboard.html", context)


@login_required
@require_POST
def whatif(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    """Score the year again with the scores the user typed (an htmx fragment)."""
    _access, assessment = get_assessment_for_user(request.user, agency_id, year)
    spec = assessment.framework.spec
    base = score(assessment)
    errors: list[str] = []
    indicators: dict[int, float] = {}
    items: dict[str, float] = {}
    for key in request.POST:
        value = request.POST.get(key, "")
        if not value.strip() or not (key.startswith("indicator-") or key.startswith("item-")):
            continue
        try:
            number = float(parse_score(value))
        except ValueError as exc:
            errors.append(f"{key.split('-', 1)[1]}: {exc}")
            continue
        name = key.split("-", 1)[1]
        if key.startswith("indicator-") and name.isdecimal() and spec.has_indicator(int(name)):
            if base.indicators.get(int(name)) != number:
                indicators[int(name)] = number
        elif key.startswith("item-") and spec.has_item(name) and base.items.get(name) != number:
            items[name] = number
    simulated = simulate(spec, base, indicators, items) if not errors else None
    context = {
        "base": base,
        "simulated": simulated,
        "errors": errors,
        "changed": len(indicators) + len(items),
        "thai_digits": assessment.agency.thai_digits,
    }
    return render(request, "assessments/_whatif_result.html", context)


CHART_NAMES = ("results", "trend")


@login_required
def chart(request: HttpRequest, agency_id: int, year: int, name: str) -> HttpResponse:
    _access, assessment = get_assessment_for_user(request.user, agency_id, year)
    if name not in CHART_NAMES:
        raise Http404("no such chart")
    digits = assessment.agency.thai_digits
    version = assessment.updated_at.timestamp()
    key = f"chart:{name}:{assessment.pk}:{version}:{get_language()}:{digits}"
    svg = cache.get(key)
    if svg is None:
        svg = (
            _results_chart(assessment, digits)
            if name == "results"
            else _trend_chart(assessment, digits)
        )
        cache.set(key, svg, 60 * 60)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


def _results_chart(assessment: Assessment, thai_digits: bool) -> bytes:
    spec = assessment.framework.spec
    result = score(assessment)
    bars: list[charts.Bar] = []
    for tool in spec.tools:
        bars.append(
            charts.Bar(
                f"{tool.code} ({tool.weight:g}%)", result.tools.get(tool.code), is_group=True
            )
        )
        for number in tool.indicators:
            ind = spec.indicator(number)
            bars.append(charts.Bar(f"{number}. {ind.name_th}", result.indicators.get(number)))
    return charts.bar_chart(
        bars, spec.pass_mark, pass_label=_("pass mark"), thai_digits=thai_digits
    )


def _trend_chart(assessment: Assessment, thai_digits: bool) -> bytes:
    rows = list(Assessment.objects.filter(agency=assessment.agency).order_by("fiscal_year"))
    spec = assessment.framework.spec
    series = [
        charts.Series(
            _("total"), [(a.fiscal_year, _num(a.result.get("total"))) for a in rows], emphasis=True
        )
    ]
    for tool in spec.tools:
        series.append(
            charts.Series(
                tool.code,
                [(a.fiscal_year, _num(a.result.get("tools", {}).get(tool.code))) for a in rows],
            )
        )
    return charts.line_chart(
        series, spec.pass_mark, pass_label=_("pass mark"), thai_digits=thai_digits
    )


def _num(value: Any) -> float | None:
    return None if value is None else float(value)
