"""A campaign's results (viewers and supervisors) and its anonymous export (editors)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ita.agencies.access import Need
from ita.assessments.models import Assessment
from ita.assessments.services import score
from ita.scoring.engine import ScoreResult
from ita.surveys import exports
from ita.surveys.models import Campaign
from ita.surveys.results import campaign_results
from ita.surveys.views import get_campaign_for_user


def official_result(campaign: Campaign) -> ScoreResult | None:
    """Return the official result of the campaign's agency and year, when one is recorded."""
    assessment = (
        Assessment.objects.filter(agency=campaign.agency, fiscal_year=campaign.fiscal_year)
        .select_related("framework")
        .first()
    )
    if assessment is None:
        return None
    result = score(assessment)
    return result if any(v is not None for v in result.indicators.values()) else None


@login_required
def results(request: HttpRequest, agency_id: int, year: int, tool: str) -> HttpResponse:
    access, survey = get_campaign_for_user(request.user, agency_id, year, tool)
    data = campaign_results(survey, official_result(survey))
    return render(
        request,
        "surveys/results.html",
        {
            "access": access,
            "agency": survey.agency,
            "campaign": survey,
            "r": data,
            "tool": survey.tool_spec,
            "thai_digits": survey.agency.thai_digits,
        },
    )


@login_required
def export(request: HttpRequest, agency_id: int, year: int, tool: str, fmt: str) -> HttpResponse:
    _access, survey = get_campaign_for_user(request.user, agency_id, year, tool, Need.EDIT)
    if fmt not in {"csv", "xlsx"}:
        raise Http404("no such format")
    campaign_results(survey)  # releases what can be released
    try:
        data = exports.table(survey)
    except exports.TooFewResponses:
        messages.error(
            request,
            _("Too few responses to export: at least %(n)s are needed, so that no one stands out.")
            % {"n": survey.min_group_size},
        )
        return redirect("survey-results", agency_id=agency_id, year=year, tool=tool)
    name = f"{survey.tool}-{survey.fiscal_year}-responses.{fmt}"
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(data), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.to_xlsx(data, f"{survey.tool} {survey.fiscal_year}"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
