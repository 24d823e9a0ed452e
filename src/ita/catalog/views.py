"""The framework browser: fiscal years, tools, indicators, items, levels and issues."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ita.catalog.models import Framework
from ita.catalog.schema import Marked, confidence_summary
from ita.middleware import HtmxHttpRequest

CONFIDENCE_LABELS = {
    "confirmed": gettext_lazy("confirmed"),
    "secondary": gettext_lazy("secondary source"),
    "unverified-configurable": gettext_lazy("unverified, replaceable default"),
    "unverified": gettext_lazy("unverified"),
}
FIELD_LABELS = {
    "text_th": gettext_lazy("wording"),
    "scale": gettext_lazy("answer scale"),
    "polarity": gettext_lazy("polarity"),
    "weight": gettext_lazy("weight"),
    "sub_indicator": gettext_lazy("sub-indicator"),
    "items": gettext_lazy("items"),
    "subquestions": gettext_lazy("sub-questions"),
    "remark_th": gettext_lazy("remark"),
    "produced_by": gettext_lazy("document"),
    "group_th": gettext_lazy("group"),
    "period_th": gettext_lazy("period"),
    "aliases": gettext_lazy("other spellings"),
    "respondents_th": gettext_lazy("respondents"),
    "calendar": gettext_lazy("calendar"),
    "label_th": gettext_lazy("label"),
    "value": gettext_lazy("value"),
    "total_min": gettext_lazy("threshold"),
    "each_tool_min": gettext_lazy("threshold per tool"),
    "name": gettext_lazy("name"),
    "name_th": gettext_lazy("name"),
    "rules": gettext_lazy("rules"),
    "scheme": gettext_lazy("scheme"),
    "options": gettext_lazy("options"),
    "unfavourable": gettext_lazy("unfavourable answers"),
    "finding_rule": gettext_lazy("finding rule"),
    "elements": gettext_lazy("required elements"),
    "start": gettext_lazy("start"),
    "end": gettext_lazy("end"),
}


def marks(obj: Marked) -> list[dict[str, Any]]:
    """Return the uncertain fields of an object grouped by mark, for the confidence badges."""
    by_mark: dict[str, list[str]] = {}
    for field, mark in obj.confidence.items():
        if mark != "confirmed":
            by_mark.setdefault(mark, []).append(str(FIELD_LABELS.get(field, field)))
    return [
        {"mark": mark, "fields": ", ".join(fields), "label": CONFIDENCE_LABELS[mark]}
        for mark, fields in by_mark.items()
    ]


def _framework(year: int) -> Framework:
    fw = Framework.objects.filter(fiscal_year=year).order_by("agency_group").first()
    if fw is None:
        raise Http404(_("No framework for fiscal year %(year)s.") % {"year": year})
    return fw


def index(request: HttpRequest) -> HttpResponse:
    frameworks = []
    for fw in Framework.objects.order_by("-fiscal_year", "agency_group"):
        schema = fw.schema
        uncertain = confidence_summary(schema)
        uncertain.pop("confirmed", None)
        frameworks.append(
            {
                "year": fw.fiscal_year,
                "schema": schema,
                "tools": [(t, sum(len(i.items) for i in t.indicators)) for t in schema.tools],
                "uncertain": sum(uncertain.values()),
            }
        )
    return render(request, "catalog/index.html", {"frameworks": frameworks})


def framework(request: HtmxHttpRequest, year: int, section: str = "overview") -> HttpResponse:
    fw = _framework(year)
    schema = fw.schema
    tools = {t.code: t for t in schema.tools}
    sections = ["overview", *tools, "issues"]
    if section not in sections:
        raise Http404(_("No such section."))
    context: dict[str, Any] = {
        "fw": schema,
        "year": year,
        "section": section,
        "sections": [(s, _section_label(s)) for s in sections],
        "marks": marks,
    }
    if section == "overview":
        context["scales"] = [(s, marks(s)) for s in schema.scales]
        context["levels"] = [(r, marks(r)) for r in schema.levels.rules]
        context["level_marks"] = marks(schema.levels)
        context["scoring_marks"] = marks(schema.scoring)
        context["tools"] = [
            (t, marks(t), [(i, marks(i)) for i in t.indicators]) for t in schema.tools
        ]
        context["calendar"] = [(c, marks(c)) for c in schema.calendar]
        template = "catalog/_overview.html"
    elif section == "issues":
        titles = {item.code: item.text_th for _t, _i, item in schema.iter_items()}
        context["issues"] = [
            (issue, marks(issue), [(code, titles.get(code)) for code in issue.items])
            for issue in schema.issues
        ]
        template = "catalog/_issues.html"
    else:
        tool = tools[section]
        context["tool"] = tool
        context["tool_marks"] = marks(tool)
        context["indicators"] = [
            (ind, marks(ind), [(item, marks(item)) for item in ind.items])
            for ind in tool.indicators
        ]
        template = "catalog/_tool.html"
        context["items_table"] = (
            "catalog/_oit_items.html" if tool.kind == "disclosure" else "catalog/_questions.html"
        )
    context["panel"] = template
    if request.htmx:
        return render(request, "catalog/_body.html", context)
    return render(request, "catalog/framework.html", context)


def _section_label(section: str) -> str:
    if section == "overview":
        return _("Overview")
    if section == "issues":
        return _("Issues")
    return section
