"""The analysis report of an assessment: edit the drafted text, then download it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ita.agencies.access import Need
from ita.assessments.views import get_assessment_for_user
from ita.audit.models import record
from ita.documents.forms import ReportSettingsForm
from ita.documents.models import ReportDraft
from ita.documents.services import analysis_context, draft_of
from ita.measures.documents import FORMATS
from ita.measures.models import Plan
from ita.reports.docx import render_docx
from ita.reports.html import render_html
from ita.reports.pdf import render_pdf


def _initial(draft: ReportDraft) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "report_date": draft.report_date,
        "weak_indicators": draft.weak_indicators or [],
        "guidelines": "\n".join(draft.guidelines or []),
        "appendix_plan_year": draft.appendix_plan_year,
    }
    for tool, notes in draft.assessor_notes.items():
        initial[f"notes-{tool}"] = "\n".join(notes)
    return initial


@login_required
def report(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    need = Need.EDIT if request.method == "POST" else Need.VIEW
    access, assessment = get_assessment_for_user(request.user, agency_id, year, need)
    fw = assessment.framework.schema
    draft = draft_of(assessment)
    plan_years = list(
        Plan.objects.filter(agency=access.agency)
        .order_by("fiscal_year")
        .values_list("fiscal_year", flat=True)
    )
    form = ReportSettingsForm(
        request.POST or None, initial=_initial(draft), framework=fw, plan_years=plan_years
    )
    error = None
    if request.method == "POST" and form.is_valid():
        before = dict(draft.overrides)
        draft.report_date = form.cleaned_data.get("report_date")
        draft.weak_indicators = form.cleaned_data.get("weak_indicators") or None
        draft.guidelines = form.guidelines_list()
        draft.assessor_notes = form.notes()
        draft.appendix_plan_year = form.cleaned_data.get("appendix_plan_year")
        try:
            drafted = {
                p.key: p.text
                for p in analysis_context(assessment, draft, with_edits=False).paragraphs()
            }
        except ValueError as exc:
            error = str(exc)
        else:
            edits = {}
            for key, text in drafted.items():
                posted = request.POST.get(f"p-{key}")
                if posted is not None and posted.strip() and posted.strip() != text.strip():
                    edits[key] = posted.strip()
            draft.overrides = edits
            draft.updated_by = request.user  # type: ignore[assignment]
            with transaction.atomic():
                draft.save()
                changed = sorted(
                    set(before) ^ set(edits) | {k for k in edits if before.get(k) != edits[k]}
                )
                record(
                    request.user, access.agency, "report.edited", obj=draft,
                    summary=f"รายงานการวิเคราะห์ ITA {year}", changes={"paragraphs": [None, changed]},
                )  # fmt: skip
            messages.success(request, _("The report was saved."))
            return redirect("analysis-report", agency_id=agency_id, year=year)
    paragraphs = []
    if error is None:
        try:
            ctx = analysis_context(assessment, draft)
            paragraphs = list(ctx.paragraphs())
        except ValueError as exc:
            error = str(exc)
    return render(
        request,
        "documents/report.html",
        {
            "access": access,
            "agency": access.agency,
            "assessment": assessment,
            "form": form,
            "paragraphs": paragraphs,
            "error": error,
            "formats": list(FORMATS),
        },
    )


@login_required
def download(request: HttpRequest, agency_id: int, year: int, fmt: str) -> HttpResponse:
    _access, assessment = get_assessment_for_user(request.user, agency_id, year)
    if fmt not in FORMATS:
        raise Http404("no such format")
    thai_digits = request.GET.get("digits") != "arabic"
    try:
        ctx = analysis_context(assessment, draft_of(assessment), thai_digits)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("analysis-report", agency_id=agency_id, year=year)
    if fmt == "docx":
        body = render_docx(ctx)
    elif fmt == "pdf":
        body = render_pdf(ctx)
    else:
        body = render_html(ctx).encode("utf-8")
    response = HttpResponse(body, content_type=FORMATS[fmt])
    if fmt != "html":
        response["Content-Disposition"] = f'attachment; filename="ita-{year}-analysis.{fmt}"'
    return response
