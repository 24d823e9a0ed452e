"""Running a campaign: start it, its link and QR code, the poster, one-time codes and slips."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ita.agencies.access import Need, get_agency_for_user
from ita.assessments.services import framework_for_year
from ita.surveys import documents, services
from ita.surveys.forms import CampaignForm, CodesForm, SlipsForm
from ita.surveys.models import Campaign, CampaignLink
from ita.surveys.views import get_campaign_for_user
from ita.thai import format_date

DEFAULT_DAYS_OPEN = 30  # not-domain: a new campaign's suggested length
POSTER_CACHE_SECONDS = 60 * 60


def public_url(request: HttpRequest, link: CampaignLink) -> str:
    """Return the address printed on posters and encoded in the QR code."""
    return request.build_absolute_uri(reverse("survey-form", args=[link.slug]))


def _audiences(year: int) -> dict[str, str]:
    sampling = framework_for_year(year).schema.sampling
    return {r.tool: r.audience for r in sampling.rules} if sampling else {}


@login_required
def campaigns(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    """The year's surveys of an agency, and (for editors) starting one."""
    access = get_agency_for_user(request.user, agency_id)
    try:
        tools = services.perception_tools(year)
    except LookupError as exc:
        raise Http404("no framework for this year") from exc
    existing = list(Campaign.objects.filter(agency=access.agency, fiscal_year=year))
    names = {t.code: t.name_th for t in framework_for_year(year).spec.tools}
    free = [(t, f"{t} — {names[t]}") for t in tools if t not in {c.tool for c in existing}]
    audiences = _audiences(year)
    internal = {t for t, a in audiences.items() if a == "internal"}
    form = None
    if access.can_edit and free:
        today = timezone.localdate()
        initial = {"opens_on": today, "closes_on": today + dt.timedelta(days=DEFAULT_DAYS_OPEN)}
        form = CampaignForm(
            request.POST or None, initial=initial, tools=free, internal_tools=internal
        )
    if request.method == "POST":
        get_agency_for_user(request.user, agency_id, Need.EDIT)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            campaign = services.start_campaign(
                access.agency,
                year,
                data["tool"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                population=data["population"],
                requires_code=data["requires_code"],
                min_group_size=data["min_group_size"],
                user=request.user,
            )
            messages.success(request, _("Survey created. Share its link or print its poster."))
            return redirect("survey", agency_id=access.agency.pk, year=year, tool=campaign.tool)
    today = timezone.localdate()
    rows = [(c, c.state(today), c.responses.count()) for c in existing]
    return render(
        request,
        "surveys/campaigns.html",
        {
            "access": access,
            "agency": access.agency,
            "year": year,
            "rows": rows,
            "form": form,
            "audiences": audiences,
        },
    )


@login_required
def campaign(request: HttpRequest, agency_id: int, year: int, tool: str) -> HttpResponse:
    access, survey = get_campaign_for_user(request.user, agency_id, year, tool)
    link = services.active_link(survey)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "access": access,
        "agency": survey.agency,
        "campaign": survey,
        "year": year,
        "state": survey.state(today),
        "link": link,
        "url": public_url(request, link) if link else None,
        "received": survey.responses.count(),
        "codes": services.code_counts(survey) if survey.is_internal else None,
        "codes_form": CodesForm() if survey.requires_code and access.can_edit else None,
        "tallies": survey.tallies.all()[:60] if survey.allows_interviews else [],
        "minimum": survey.minimum_sample(),
        "rule": survey.sampling_rule,
        "revoked": survey.links.filter(active=False).count(),
    }
    return render(request, "surveys/campaign.html", context)


@login_required
def edit(request: HttpRequest, agency_id: int, year: int, tool: str) -> HttpResponse:
    access, survey = get_campaign_for_user(request.user, agency_id, year, tool, Need.EDIT)
    internal = {survey.tool} if survey.is_internal else set()
    form = CampaignForm(request.POST or None, instance=survey, internal_tools=internal)
    if request.method == "POST" and form.is_valid():
        changes = {
            name: [str(form.initial.get(name, "")), str(form.cleaned_data.get(name, ""))]
            for name in form.changed_data
        }
        form.save()
        services.update_campaign(survey, request.user, changes)
        messages.success(request, _("Settings saved."))
        return redirect("survey", agency_id=agency_id, year=year, tool=tool)
    return render(
        request,
        "surveys/edit.html",
        {"access": access, "agency": survey.agency, "campaign": survey, "form": form},
    )


@login_required
@require_POST
def link(request: HttpRequest, agency_id: int, year: int, tool: str) -> HttpResponse:
    _access, survey = get_campaign_for_user(request.user, agency_id, year, tool, Need.EDIT)
    action = request.POST.get("action")
    if action == "revoke":
        services.revoke_link(survey, request.user)
        messages.success(
            request, _("The link was withdrawn. It now answers that it is no longer in use.")
        )
    elif action == "replace":
        services.replace_link(survey, request.user)
        messages.success(
            request, _("A new link was made; the old one no longer works. Print the new poster.")
        )
    else:
        raise Http404("no such action")
    return redirect("survey", agency_id=agency_id, year=year, tool=tool)


def _active_url(request: HttpRequest, survey: Campaign) -> tuple[CampaignLink, str]:
    link = services.active_link(survey)
    if link is None:
        raise Http404("the survey has no link in use")
    return link, public_url(request, link)


@login_required
def qr(request: HttpRequest, agency_id: int, year: int, tool: str, fmt: str) -> HttpResponse:
    _access, survey = get_campaign_for_user(request.user, agency_id, year, tool)
    _link, url = _active_url(request, survey)
    if fmt == "svg":
        response = HttpResponse(documents.qr_svg(url), content_type="image/svg+xml")
    elif fmt == "png":
        response = HttpResponse(documents.qr_png(url), content_type="image/png")
    else:
        raise Http404("no such format")
    if "download" in request.GET:
        name = f"qr-{survey.tool}-{survey.fiscal_year}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-cache"
    return response


def _print_context(request: HttpRequest, survey: Campaign, url: str) -> dict[str, Any]:
    rule = survey.sampling_rule
    return {
        "campaign": survey,
        "agency": survey.agency,
        "tool_name": survey.tool_spec.name_th,
        "respondents": survey.tool_spec.respondents_th,
        "population": rule.population_th if rule else "",
        "url": url,
        "opens": format_date(survey.opens_on),
        "closes": format_date(survey.closes_on),
    }


@login_required
def poster(request: HttpRequest, agency_id: int, year: int, tool: str) -> HttpResponse:
    _access, survey = get_campaign_for_user(request.user, agency_id, year, tool)
    link, url = _active_url(request, survey)
    key = f"sv:poster:{link.slug}:{survey.opens_on}:{survey.closes_on}:{get_language()}:{url}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = documents.poster_pdf(_print_context(request, survey, url))
        cache.set(key, pdf, POSTER_CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"poster-{survey.tool}-{survey.fiscal_year}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
def codes(request: HttpRequest, agency_id: int, year: int, tool: str) -> HttpResponse:
    """Issue one-time codes; their text is shown once, on this page, and never stored."""
    access, survey = get_campaign_for_user(request.user, agency_id, year, tool, Need.EDIT)
    if not survey.is_internal:
        raise Http404("one-time codes are for staff surveys")
    form = CodesForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        if request.method == "POST":
            messages.error(request, _("Give a number of codes between 1 and 500."))
        return redirect("survey", agency_id=agency_id, year=year, tool=tool)
    issued = services.issue_codes(survey, form.cleaned_data["count"], request.user)
    _link, url = _active_url(request, survey)
    response = render(
        request,
        "surveys/codes.html",
        {
            "access": access,
            "agency": survey.agency,
            "campaign": survey,
            "codes": issued,
            "url": url,
            "slips": SlipsForm(initial={"codes": " ".join(issued)}),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def slips(request: HttpRequest, agency_id: int, year: int, tool: str) -> HttpResponse:
    """The slips PDF of codes the browser still holds (only unused codes of this survey)."""
    _access, survey = get_campaign_for_user(request.user, agency_id, year, tool, Need.EDIT)
    form = SlipsForm(request.POST)
    if not form.is_valid():
        raise Http404("no codes")
    genuine = services.genuine_codes(survey, form.code_list())
    if not genuine:
        raise Http404("none of these codes is an unused code of this survey")
    _link, url = _active_url(request, survey)
    pdf = documents.slips_pdf(_print_context(request, survey, url), genuine)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="codes-{survey.tool}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
