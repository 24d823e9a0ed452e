"""Pages of a year's OIT evidence: checklist, item, link checks, files, ITAS sheet, public page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ita.agencies.access import Access, Need, get_agency_for_user
from ita.assessments.models import Assessment
from ita.assessments.views import get_assessment_for_user
from ita.jobs.models import Job
from ita.middleware import HtmxHttpRequest
from ita.oit import exports, services
from ita.oit.forms import EvidenceForm
from ita.oit.models import EvidenceFile, ItemEvidence, LinkCheck, PublicPage

HISTORY = 10  # not-domain: checks shown per link on the item page


def _context(access: Access, assessment: Assessment, **extra: Any) -> dict[str, Any]:
    return {
        "access": access,
        "agency": access.agency,
        "assessment": assessment,
        "year": assessment.fiscal_year,
        "thai_digits": access.agency.thai_digits,
        **extra,
    }


@login_required
def checklist(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    access, assessment = get_assessment_for_user(request.user, agency_id, year)
    current = services.build_checklist(access.agency, year, assessment)
    page = PublicPage.objects.filter(agency=access.agency, fiscal_year=year).first()
    context = _context(
        access,
        assessment,
        checklist=current,
        public_page=page,
        running=services.running_check(access.agency),
    )
    return render(request, "oit/checklist.html", context)


@login_required
def item(request: HttpRequest, agency_id: int, year: int, code: str) -> HttpResponse:
    need = Need.EDIT if request.method == "POST" else Need.VIEW
    access, assessment = get_assessment_for_user(request.user, agency_id, year, need)
    found = services.find_item(assessment.framework.schema, code)
    if found is None:
        raise Http404("no such OIT item")
    indicator, oit_item = found
    evidence = (
        ItemEvidence.objects.filter(agency=access.agency, fiscal_year=year, code=code)
        .select_related("unit", "updated_by")
        .first()
    )
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        agency=access.agency,
        initial=EvidenceForm.initial_for(evidence),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.save_item(
            access.agency,
            year,
            code,
            request.user,
            status=data["status"],
            unit=data["unit"],
            urls=data["urls"],
            explanation=data["explanation"],
            notes=data["notes"],
            files=data["uploads"],
        )
        messages.success(request, _("Saved."))
        url = reverse("oit", kwargs={"agency_id": agency_id, "year": year})
        return redirect(f"{url}#item-{code}")
    links = list(evidence.links.all()) if evidence else []
    history = [(link, list(link.checks.all()[:HISTORY])) for link in links]
    sub = next((s for s in indicator.sub_indicators if s.code == oit_item.sub_indicator), None)
    context = _context(
        access,
        assessment,
        item=oit_item,
        indicator=indicator,
        sub_indicator=sub,
        evidence=evidence,
        state=services.state_of(evidence, links),
        history=history,
        files=list(evidence.files.all()) if evidence else [],
        form=form,
    )
    return render(request, "oit/item.html", context)


@login_required
@require_POST
def check(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    """Start a background check of the year's links and show its progress."""
    access, _assessment = get_assessment_for_user(request.user, agency_id, year, Need.EDIT)
    if not services.links_of(access.agency, year):
        messages.info(request, _("There are no links to check yet."))
        return redirect("oit", agency_id=agency_id, year=year)
    job = services.start_check(access.agency, year, request.user)
    return redirect("oit-run", agency_id=agency_id, year=year, job_id=job.pk)


@login_required
def run(request: HtmxHttpRequest, agency_id: int, year: int, job_id: int) -> HttpResponse:
    """Show a link check's progress (polled with htmx) and, when done, what it found."""
    access, assessment = get_assessment_for_user(request.user, agency_id, year)
    job = Job.objects.filter(pk=job_id, agency=access.agency, kind=services.CHECK_JOB).first()
    if job is None or job.params.get("fiscal_year") != year:
        raise Http404("no such link check")
    checks = (
        list(
            LinkCheck.objects.filter(job=job)
            .select_related("link__evidence")
            .order_by("link__evidence__pk", "link__position", "link__pk")
        )
        if job.finished
        else []
    )
    context = _context(
        access,
        assessment,
        job=job,
        checks=checks,
        broken=[c for c in checks if c.broken],
        newly_broken=[c for c in checks if c.newly_broken],
        fixed=[c for c in checks if c.fixed],
    )
    template = "oit/_run.html" if request.htmx else "oit/run.html"
    return render(request, template, context)


def _evidence_file(access: Access, year: int, file_id: int) -> EvidenceFile:
    found = (
        EvidenceFile.objects.filter(
            pk=file_id, evidence__agency=access.agency, evidence__fiscal_year=year
        )
        .select_related("evidence")
        .first()
    )
    if found is None or not found.file:
        raise Http404("no such file")
    return found


@login_required
def evidence_file(request: HttpRequest, agency_id: int, year: int, file_id: int) -> FileResponse:
    """Download a file kept with an item: the agency's people only, never the public."""
    access = get_agency_for_user(request.user, agency_id)
    found = _evidence_file(access, year, file_id)
    name = (found.file.name or "evidence").rsplit("/", 1)[-1]
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=name)


@login_required
@require_POST
def delete_file(request: HttpRequest, agency_id: int, year: int, file_id: int) -> HttpResponse:
    access = get_agency_for_user(request.user, agency_id, Need.EDIT)
    found = _evidence_file(access, year, file_id)
    code = found.evidence.code
    services.delete_file(found, request.user)
    messages.success(request, _("File removed."))
    return redirect("oit-item", agency_id=agency_id, year=year, code=code)


@login_required
def itas_sheet(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    """Download the XLSX sheet laid out for copying into ITAS."""
    access, assessment = get_assessment_for_user(request.user, agency_id, year)
    current = services.build_checklist(access.agency, year, assessment, with_readiness=False)
    response = HttpResponse(exports.itas_workbook(current), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="oit-{year}-itas.xlsx"'
    return response


@login_required
@require_POST
def publish(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    """Publish or withdraw the year's public page of OIT links."""
    access, _assessment = get_assessment_for_user(request.user, agency_id, year, Need.EDIT)
    published = request.POST.get("publish") == "1"
    services.set_published(access.agency, year, request.user, published)
    if published:
        messages.success(request, _("The public page is published."))
    else:
        messages.success(request, _("The public page is withdrawn."))
    return redirect("oit", agency_id=agency_id, year=year)


def public(request: HttpRequest, token: str) -> HttpResponse:
    """The agency's published list of OIT items and links: no login, published fields only."""
    page = PublicPage.objects.filter(token=token, published=True).select_related("agency").first()
    if page is None:
        raise Http404("no such page")
    try:
        current = services.build_checklist(page.agency, page.fiscal_year, with_readiness=False)
    except LookupError:
        raise Http404("no framework for this year") from None
    return render(request, "oit/public.html", exports.public_context(current))
