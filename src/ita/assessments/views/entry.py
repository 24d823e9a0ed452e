"""Putting official results in: start a year, forms per tool, upload, template, history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ita.agencies.access import Need, get_agency_for_user
from ita.assessments import tables
from ita.assessments.forms import IndicatorResultsForm, PublishedResultForm, ToolResultsForm
from ita.assessments.models import Source
from ita.assessments.services import (
    ResultsError,
    framework_for_year,
    save_results,
    start_assessment,
)
from ita.assessments.views import get_assessment_for_user
from ita.scoring.inputs import RowError, TableError

PARTS = ("indicators", "published")  # besides one part per tool of the year
HISTORY_PAGE = 25


@login_required
@require_POST
def start(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    access = get_agency_for_user(request.user, agency_id, Need.EDIT)
    try:
        framework_for_year(year)
    except LookupError:
        raise Http404("no framework for this year") from None
    start_assessment(access.agency, year, request.user)
    messages.success(
        request, _("The assessment of fiscal year %(year)s is ready for results.") % {"year": year}
    )
    return redirect("results", agency_id=agency_id, year=year, part="indicators")


def _saved(request: HttpRequest, snapshot: object) -> None:
    if snapshot is None:
        messages.info(request, _("Nothing changed."))
    else:
        messages.success(request, _("Saved. Scores were computed again."))


@login_required
def results(request: HttpRequest, agency_id: int, year: int, part: str) -> HttpResponse:
    """Enter results: one tool's items, the ten indicators, or the published total and level."""
    need = Need.EDIT if request.method == "POST" else Need.VIEW
    access, assessment = get_assessment_for_user(request.user, agency_id, year, need)
    fw = assessment.framework.schema
    tools = {t.code: t for t in fw.tools}
    if part not in tools and part not in PARTS:
        raise Http404("no such part")
    data = request.POST if request.method == "POST" else None
    form: ToolResultsForm | IndicatorResultsForm | PublishedResultForm
    if part in tools:
        form = ToolResultsForm(data, tool=tools[part], assessment=assessment)
    elif part == "indicators":
        form = IndicatorResultsForm(data, framework=fw, assessment=assessment)
    else:
        form = PublishedResultForm(data, framework=fw, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        try:
            if isinstance(form, ToolResultsForm):
                snapshot = save_results(assessment, request.user, items=form.entries(), what=part)
            elif isinstance(form, IndicatorResultsForm):
                snapshot = save_results(
                    assessment, request.user, indicators=form.scores(), what=part
                )
            else:
                published = (form.cleaned_data.get("total"), form.cleaned_data.get("level") or "")
                snapshot = save_results(assessment, request.user, published=published, what=part)
        except ResultsError as exc:
            form.add_error(None, str(exc))
        else:
            _saved(request, snapshot)
            return redirect("dashboard", agency_id=agency_id, year=year)
    parts = [(t.code, t.name_th) for t in fw.tools] + [
        ("indicators", _("Indicator scores only")),
        ("published", _("Published total and level")),
    ]
    return render(
        request,
        "assessments/results.html",
        {
            "access": access,
            "agency": assessment.agency,
            "assessment": assessment,
            "fw": fw,
            "part": part,
            "parts": parts,
            "tool": tools.get(part),
            "form": form,
        },
    )


@login_required
def upload(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    """Upload results as CSV or XLSX: every row checked, nothing saved unless all are valid."""
    need = Need.EDIT if request.method == "POST" else Need.VIEW
    access, assessment = get_assessment_for_user(request.user, agency_id, year, need)
    errors: list[str] = []
    if request.method == "POST":
        upload_file = request.FILES.get("file")
        if upload_file is None:
            errors.append(_("Choose a .csv or .xlsx file."))
        elif upload_file.size is not None and upload_file.size > tables.MAX_UPLOAD_BYTES:
            errors.append(_("The file is larger than 5 MB."))
        else:
            try:
                rows = tables.read_upload(upload_file.name or "", upload_file.read())
                parsed = tables.parse_results(rows, assessment.framework.spec)
                snapshot = save_results(
                    assessment,
                    request.user,
                    source=Source.UPLOAD,
                    indicators=parsed.indicators,
                    items=parsed.items,
                    what=upload_file.name or "upload",
                )
            except TableError as exc:
                errors = [_row_message(e) for e in exc.errors]
            except ResultsError as exc:
                errors = [str(exc)]
            else:
                _saved(request, snapshot)
                return redirect("dashboard", agency_id=agency_id, year=year)
    return render(
        request,
        "assessments/upload.html",
        {
            "access": access,
            "agency": assessment.agency,
            "assessment": assessment,
            "errors": errors,
            "max_rows": tables.MAX_ROWS,
        },
    )


def _row_message(error: RowError) -> str:
    if error.line is None:
        return error.th
    message: str = _("Row %(line)s: %(problem)s") % {"line": error.line, "problem": error.th}
    return message


@login_required
def template(request: HttpRequest, agency_id: int, year: int, fmt: str) -> HttpResponse:
    """Download the results table of the year, prefilled with what is stored."""
    _access, assessment = get_assessment_for_user(request.user, agency_id, year)
    fw = assessment.framework.schema
    if fmt == "xlsx":
        body = tables.template_xlsx(fw, assessment)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "csv":
        body = tables.template_csv(fw, assessment)
        content_type = "text/csv; charset=utf-8"
    else:
        raise Http404("no such format")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="ita-{year}-results.{fmt}"'
    return response


@login_required
def history(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    access, assessment = get_assessment_for_user(request.user, agency_id, year)
    page = Paginator(assessment.snapshots.select_related("created_by"), HISTORY_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "assessments/history.html",
        {"access": access, "agency": assessment.agency, "assessment": assessment, "page": page},
    )
