"""Supervision pages: a set of agencies in one fiscal year; bulk import for system administrators.

Every page resolves its set through :func:`ita.supervision.scope.get_scope_for_user` (404 for a
set the user does not supervise); links into an agency go to the agency's own pages, where the
agencies' access layer decides again. Nothing here changes an agency's data except the bulk
import and the rescoring, both for system administrators only and run as background jobs.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ita.assessments.services import framework_for_year
from ita.catalog.models import Framework
from ita.jobs import services as jobs
from ita.scoring.inputs import TableError
from ita.supervision import bulkimport, exports, services
from ita.supervision.jobs import IMPORT, REPORTS, RESCORE
from ita.supervision.scope import Filters, Scope, get_scope_for_user, scopes_for_user
from ita.supervision.yeartable import YearTable, year_table

NOTES_SHOWN = 10  # not-domain: remarks about matched agencies shown after an upload
TABS = (
    ("supervision-overview", "overview"),
    ("supervision-ranking", "ranking"),
    ("supervision-heatmap", "heatmap"),
    ("supervision-missing", "missing"),
)


def _years() -> list[int]:
    return sorted(set(Framework.objects.values_list("fiscal_year", flat=True)), reverse=True)


def _framework(year: int) -> Framework:
    try:
        return framework_for_year(year)
    except LookupError:
        raise Http404("no framework for this year") from None


def _page(request: HttpRequest, scope_key: str, year: int, tab: str) -> dict[str, Any]:
    """Resolve the set, its filters and the year's framework: what every page shares."""
    scope = get_scope_for_user(request.user, scope_key)
    framework = _framework(year)
    filters = Filters.from_query(request.GET)
    previous = Framework.objects.filter(fiscal_year=year - 1).order_by("agency_group").first()
    return {
        "scope": scope,
        "year": year,
        "years": _years(),
        "framework": framework,
        "spec": framework.spec,
        "previous_spec": previous.spec if previous else None,
        "filters": filters,
        "filter_query": urlencode(filters.query()),
        "agencies": scope.narrowed(filters),
        "choices": services.filter_choices(scope.agencies, filters.province),
        "tab": tab,
        "tabs": TABS,
        "oit_available": services.oit_evidence_model() is not None,
        "oit_items": services.oit_item_count(framework.spec),
        "is_system": request.user.is_superuser,
    }


def _agency_links() -> dict[str, str]:
    """Return the address prefix of agencies' pages, to which a row adds ``<id>/[<year>/]``.

    (A hundred rows need not reverse two URLs each; a test checks the links.)
    """
    return {"agency_url": reverse("agency", kwargs={"agency_id": 0}).removesuffix("0/")}


def _tables(context: dict[str, Any]) -> tuple[YearTable, YearTable | None]:
    """Return the year tables of the page's year and of the year before (when it has one)."""
    year, previous_spec = context["year"], context["previous_spec"]
    previous = year_table(year - 1, previous_spec) if previous_spec is not None else None
    return year_table(year, context["spec"]), previous


def _query(request: HttpRequest, *drop: str) -> str:
    """Return the request's GET parameters without ``drop`` (for pager and sort links)."""
    kept = [(k, v) for k, v in request.GET.items() if k not in drop and v]
    return urlencode(kept)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    scopes = scopes_for_user(request.user)
    if not scopes and not request.user.is_superuser:
        raise Http404("you supervise no agencies")
    years = _years()
    if len(scopes) == 1 and years:
        return redirect("supervision-overview", scope=scopes[0].key, year=years[0])
    rows: list[tuple[Scope, int]] = [(s, s.agencies.count()) for s in scopes]
    return render(
        request,
        "supervision/index.html",
        {"rows": rows, "year": years[0] if years else None, "is_system": request.user.is_superuser},
    )


@login_required
@require_safe
def overview(request: HttpRequest, scope: str, year: int) -> HttpResponse:
    context = _page(request, scope, year, "overview")
    spec = context["spec"]
    figures = services.overview(
        context["agencies"],
        year,
        spec,
        context["previous_spec"],
        *_tables(context),
    )
    bands = services.heat_bands(spec)
    context.update(
        figures=figures,
        indicator_heat=[(n, name, v, services.heat(v, bands)) for n, name, v in figures.indicators],
        tool_heat=[(code, v, services.heat(v, bands)) for code, v in figures.tools],
    )
    return render(request, "supervision/overview.html", context)


@login_required
@require_safe
def ranking(request: HttpRequest, scope: str, year: int) -> HttpResponse:
    context = _page(request, scope, year, "ranking")
    sort = request.GET.get("sort", "rank")
    search = request.GET.get("q", "").strip()[:100]
    page, rows = services.ranking_page(
        context["agencies"],
        year,
        context["spec"],
        *_tables(context),
        sort=sort if sort in services.SORTS else "rank",
        search=search,
        page=request.GET.get("page"),
    )
    context.update(
        page=page,
        rows=rows,
        sort=sort,
        search=search,
        sorts=services.SORTS,
        pager_query=_query(request, "page"),
        sort_query=_query(request, "page", "sort"),
        **_agency_links(),
    )
    return render(request, "supervision/ranking.html", context)


@login_required
@require_safe
def heatmap(request: HttpRequest, scope: str, year: int) -> HttpResponse:
    context = _page(request, scope, year, "heatmap")
    spec = context["spec"]
    by = request.GET.get("by", "agency")
    by = by if by in services.GROUPINGS else "agency"
    bands = services.heat_bands(spec)
    rows: list[dict[str, Any]] = []
    page = None
    if by == "agency":
        page, ranked = services.ranking_page(
            context["agencies"], year, spec, *_tables(context), page=request.GET.get("page")
        )
        for row in ranked:
            values = (*row.indicators, row.total)
            rows.append(
                {
                    "label": row.name,
                    "agency_id": row.agency_id if row.has_assessment else None,
                    "count": None,
                    "cells": [(v, services.heat(v, bands)) for v in values],
                    "filters": "",
                }
            )
    else:
        groups = services.heat_groups(
            year_table(year, spec), context["agencies"].values_list("pk", flat=True), by, spec
        )
        page = Paginator(groups, services.PAGE_SIZE).get_page(request.GET.get("page"))
        for group in page.object_list:
            query = urlencode({**context["filters"].query(), **group.filters})
            rows.append(
                {
                    "label": group.label,
                    "agency_id": None,
                    "count": group.count,
                    "cells": [(v, services.heat(v, bands)) for v in group.values],
                    "filters": query,
                }
            )
    context.update(
        by=by,
        groupings=services.GROUPINGS,
        rows=rows,
        page=page,
        pager_query=_query(request, "page"),
        legend=[(band, services.heat(band, bands)) for band in bands],
    )
    return render(request, "supervision/heatmap.html", context)


@login_required
@require_safe
def missing(request: HttpRequest, scope: str, year: int) -> HttpResponse:
    context = _page(request, scope, year, "missing")
    which = request.GET.get("missing", "any")
    which = which if which in services.MISSING else "any"
    table = year_table(year, context["spec"])
    page, rows = services.missing_page(
        context["agencies"], year, which, request.GET.get("page"), table
    )
    context.update(
        which=which,
        choices_missing=services.MISSING,
        page=page,
        rows=rows,
        pager_query=_query(request, "page"),
    )
    return render(request, "supervision/missing.html", context)


@login_required
@require_safe
def export(request: HttpRequest, scope: str, year: int, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404("no such format")
    context = _page(request, scope, year, "ranking")
    spec = context["spec"]
    rows = exports.export_rows(context["agencies"], year, spec, *_tables(context))
    oit_items = context["oit_items"] if context["oit_available"] else None
    data = (
        exports.to_csv(rows, spec, oit_items)
        if fmt == "csv"
        else exports.to_xlsx(rows, spec, oit_items)
    )
    response = HttpResponse(data, content_type=exports.FORMATS[fmt])
    name = f"ita-{year}-{'all' if scope == 'all' else 'group-' + scope}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def reports(request: HttpRequest, scope: str, year: int) -> HttpResponse:
    """Start the batch of analysis reports (a ZIP of DOCX) for the set, filtered as shown."""
    chosen = get_scope_for_user(request.user, scope)
    _framework(year)
    filters = Filters.from_query(request.POST)
    job = jobs.start(
        REPORTS, user=request.user, scope=chosen.key, fiscal_year=year, filters=filters.query()
    )
    return redirect("job", job_id=job.pk)


def _system_only(request: HttpRequest) -> None:
    if not request.user.is_superuser:
        raise PermissionDenied("only a system administrator imports or rescores results")


@login_required
def bulk_import(request: HttpRequest) -> HttpResponse:
    """Upload official results of many agencies: every fault listed, nothing saved unless valid."""
    _system_only(request)
    errors: list[Any] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors = [_("Choose a CSV or XLSX file.")]
        elif upload.size is not None and upload.size > bulkimport.MAX_BYTES:
            errors = [_("The file is larger than 20 MB.")]
        else:
            data = upload.read()
            filename = PurePath(upload.name or "results.csv").name
            try:
                plan = bulkimport.validate(filename, data)
            except TableError as exc:
                errors = list(exc.errors)
            else:
                path = default_storage.save(
                    f"supervision/imports/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}",
                    ContentFile(data),
                )
                job = jobs.start(IMPORT, user=request.user, path=path, filename=filename)
                messages.info(
                    request,
                    _(
                        "The file is valid: %(rows)s rows, %(new)s new agencies, %(matched)s "
                        "agencies already here. Saving runs in the background."
                    )
                    % {
                        "rows": len(plan.rows),
                        "new": plan.new_agencies,
                        "matched": plan.matched_agencies,
                    },
                )
                for note in plan.notes[:NOTES_SHOWN]:
                    messages.warning(request, note)
                return redirect("job", job_id=job.pk)
    years = _years()
    return render(
        request,
        "supervision/import.html",
        {"errors": errors, "year": years[0] if years else None},
    )


@login_required
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    _system_only(request)
    years = _years()
    if fmt not in exports.FORMATS or not years:
        raise Http404("no such template")
    framework = _framework(
        int(request.GET.get("year", years[0]))
        if str(request.GET.get("year", "")).isdecimal()
        else years[0]
    )
    data = (
        bulkimport.template_csv(framework) if fmt == "csv" else bulkimport.template_xlsx(framework)
    )
    response = HttpResponse(data, content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="ita-{framework.fiscal_year}-bulk-import.{fmt}"'
    )
    return response


@login_required
@require_POST
def rescore_year(request: HttpRequest, year: int) -> HttpResponse:
    """Score every assessment of the year again (after its framework file changed)."""
    _system_only(request)
    _framework(year)
    job = jobs.start(RESCORE, user=request.user, fiscal_year=year)
    return redirect("job", job_id=job.pk)
