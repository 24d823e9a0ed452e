"""Pages of the year's measures: plan, proposals, measures, progress, snapshots, reminders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ita.agencies.access import Access, Need, get_agency_for_user
from ita.assessments.services import framework_for_year
from ita.catalog.schema import Framework
from ita.measures import services
from ita.measures.documents import FORMATS, KINDS
from ita.measures.forms import (
    IssueForm,
    MappingForm,
    MeasureForm,
    ProgressForm,
    StepFormSet,
    steps_of,
)
from ita.measures.models import Evidence, Measure, Plan, PlanIssue, SnapshotKind


def _today() -> dt.date:
    return timezone.localdate()


def _plan(user: Any, agency_id: int, year: int, need: Need = Need.VIEW) -> tuple[Access, Plan]:
    access = get_agency_for_user(user, agency_id, need)
    plan = (
        Plan.objects.filter(agency=access.agency, fiscal_year=year)
        .select_related("assessment")
        .first()
    )
    if plan is None:
        raise Http404("no plan for this year")
    return access, plan


def _framework(plan: Plan) -> Framework:
    if plan.assessment is not None:
        return plan.assessment.framework.schema
    try:
        return framework_for_year(plan.fiscal_year).schema
    except LookupError:
        raise Http404("no framework for this year") from None


def _measure(plan: Plan, measure_id: int) -> Measure:
    measure = Measure.objects.filter(plan=plan, pk=measure_id).first()
    if measure is None:
        raise Http404("no such measure")
    return measure


def _context(access: Access, plan: Plan | None, **extra: Any) -> dict[str, Any]:
    year = plan.fiscal_year if plan is not None else None
    return {"access": access, "agency": access.agency, "plan": plan, "year": year, **extra}


@login_required
def plan(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    access = get_agency_for_user(request.user, agency_id)
    current = (
        Plan.objects.filter(agency=access.agency, fiscal_year=year)
        .select_related("assessment")
        .first()
    )
    if request.method == "POST":
        access = get_agency_for_user(request.user, agency_id, Need.EDIT)
        current = services.get_or_create_plan(access.agency, year, request.user)
        return redirect("proposals", agency_id=agency_id, year=year)
    if current is None:
        return render(
            request,
            "measures/start.html",
            _context(
                access, None, year=year, source=services.default_assessment(access.agency, year)
            ),
        )
    today = _today()
    measures = list(current.measures.prefetch_related("steps", "units", "progress"))
    issues = {i.number: i for i in current.issues.all()}
    fw = _framework(current)
    titles = {i.number: i.title_th for i in fw.issues}
    grouped = []
    for number in sorted({m.issue_number for m in measures} | set(issues)):
        grouped.append(
            {
                "number": number,
                "title": issues[number].title if number in issues else titles.get(number, ""),
                "issue": issues.get(number),
                "measures": [m for m in measures if m.issue_number == number],
            }
        )
    overdue = services.overdue_steps(current, today)
    has_previous = Plan.objects.filter(agency=access.agency, fiscal_year=year - 1).exists()
    return render(
        request,
        "measures/plan.html",
        _context(
            access,
            current,
            year=year,
            groups=grouped,
            overdue=overdue,
            overdue_ids={s.pk for s in overdue},
            snapshots=current.snapshots.all(),
            kinds=SnapshotKind.choices,
            has_previous=has_previous,
            thai_digits=access.agency.thai_digits,
            document_kinds=[(key, kind.label) for key, kind in KINDS.items()],
            document_formats=list(FORMATS),
        ),
    )


@login_required
def proposals(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    need = Need.EDIT if request.method == "POST" else Need.VIEW
    access, current = _plan(request.user, agency_id, year, need)
    proposal = services.proposal_for(current, thai_digits=access.agency.thai_digits)
    if request.method == "POST" and proposal is not None:
        choices = []
        for issue in proposal.issues:
            if request.POST.get(f"issue-{issue.number}"):
                taken = tuple(
                    i
                    for i in range(len(issue.suggested))
                    if request.POST.get(f"suggest-{issue.number}-{i}")
                )
                choices.append(services.Choice(issue.number, taken))
        if not choices:
            messages.error(request, _("Tick at least one issue to put into the plan."))
        else:
            created = services.accept(current, proposal, choices, request.user)
            messages.success(
                request,
                _("%(n)s measures were added; adjust them to the agency.") % {"n": len(created)},
            )
            return redirect("plan", agency_id=agency_id, year=year)
    return render(
        request,
        "measures/proposals.html",
        _context(
            access,
            current,
            year=year,
            proposal=proposal,
            in_plan={i.number for i in current.issues.all()},
        ),
    )


def _measure_page(
    request: HttpRequest, access: Access, current: Plan, measure: Measure | None
) -> HttpResponse:
    fw = _framework(current)
    instance = measure or Measure(
        plan=current, issue_number=int(request.GET.get("issue") or fw.issues[0].number)
    )
    before = services.measure_state(measure) if measure else None
    data = request.POST if request.method == "POST" else None
    form = MeasureForm(data, instance=instance, framework=fw, units=access.agency.units.all())
    initial = [{"text": s.text, "due": s.due} for s in measure.steps.all()] if measure else []
    steps = StepFormSet(data, initial=initial, prefix="steps")
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        saved = form.save(commit=False)
        saved.plan = current
        if measure is None:
            saved.position = current.measures.filter(issue_number=saved.issue_number).count()
        services.save_measure(
            saved, request.user, form.cleaned_data["units"], steps_of(steps), before
        )
        messages.success(request, _("Measure saved."))
        return redirect("plan", agency_id=access.agency.pk, year=current.fiscal_year)
    return render(
        request,
        "measures/measure.html",
        _context(access, current, form=form, steps=steps, measure=measure),
    )


@login_required
def measure_new(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    access, current = _plan(request.user, agency_id, year, Need.EDIT)
    return _measure_page(request, access, current, None)


@login_required
def measure_edit(request: HttpRequest, agency_id: int, year: int, measure_id: int) -> HttpResponse:
    need = Need.EDIT if request.method == "POST" else Need.VIEW
    access, current = _plan(request.user, agency_id, year, need)
    return _measure_page(request, access, current, _measure(current, measure_id))


@login_required
def measure_delete(
    request: HttpRequest, agency_id: int, year: int, measure_id: int
) -> HttpResponse:
    access, current = _plan(request.user, agency_id, year, Need.EDIT)
    measure = _measure(current, measure_id)
    if request.method == "POST":
        services.delete_measure(measure, request.user)
        messages.success(request, _("Measure deleted."))
        return redirect("plan", agency_id=agency_id, year=year)
    return render(request, "measures/delete.html", _context(access, current, measure=measure))


@login_required
def progress(request: HttpRequest, agency_id: int, year: int, measure_id: int) -> HttpResponse:
    need = Need.EDIT if request.method == "POST" else Need.VIEW
    access, current = _plan(request.user, agency_id, year, need)
    measure = _measure(current, measure_id)
    form = ProgressForm(
        request.POST or None, request.FILES or None, measure=measure, initial={"on": _today()}
    )
    if request.method == "POST" and form.is_valid():
        services.add_progress(
            measure,
            form.save(commit=False),
            request.user,
            form.cleaned_data["evidence_urls"],
            form.cleaned_data["evidence_files"],
        )
        messages.success(request, _("Progress recorded."))
        return redirect("plan", agency_id=agency_id, year=year)
    history = measure.progress.prefetch_related("evidence").select_related("step", "created_by")
    return render(
        request,
        "measures/progress.html",
        _context(access, current, measure=measure, form=form, history=history),
    )


@login_required
def issue(request: HttpRequest, agency_id: int, year: int, number: int) -> HttpResponse:
    access, current = _plan(request.user, agency_id, year, Need.EDIT)
    fw = _framework(current)
    title = next((i.title_th for i in fw.issues if i.number == number), None)
    if title is None:
        raise Http404("no such issue")
    existing = current.issues.filter(number=number).first()
    form = IssueForm(
        request.POST or None,
        initial={"limitations": "\n".join(existing.limitations) if existing else ""},
    )
    if request.method == "POST" and form.is_valid():
        from ita.audit.models import record

        row, _created = PlanIssue.objects.get_or_create(
            plan=current, number=number, defaults={"title": title}
        )
        before = row.limitations
        row.limitations = form.lines()
        row.save(update_fields=["limitations"])
        record(
            request.user,
            access.agency,
            "issue.updated",
            obj=row,
            changes={"limitations": [before, row.limitations]},
        )
        messages.success(request, _("Saved."))
        return redirect("plan", agency_id=agency_id, year=year)
    return render(
        request,
        "measures/issue.html",
        _context(access, current, form=form, number=number, title=title),
    )


@login_required
def mapping(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    need = Need.ADMIN if request.method == "POST" else Need.VIEW
    access = get_agency_for_user(request.user, agency_id, need)
    try:
        fw = framework_for_year(year).schema
    except LookupError:
        raise Http404("no framework for this year") from None
    form = MappingForm(
        request.POST or None, framework=fw, mapping=services.mapping_for(access.agency, fw)
    )
    if request.method == "POST" and form.is_valid():
        changed = services.save_mapping(access.agency, fw, form.mapping(), request.user)
        messages.success(request, _("Mapping saved.") if changed else _("Nothing changed."))
        return redirect("issue-mapping", agency_id=agency_id, year=year)
    return render(
        request, "measures/mapping.html", _context(access, None, form=form, year=year, fw=fw)
    )


@login_required
@require_POST
def copy_forward(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    _access, current = _plan(request.user, agency_id, year, Need.EDIT)
    count = services.copy_forward(current, request.user)
    if count:
        messages.success(request, _("%(n)s measures copied from last year.") % {"n": count})
    else:
        messages.info(request, _("Last year has no plan to copy."))
    return redirect("plan", agency_id=agency_id, year=year)


@login_required
def snapshot(request: HttpRequest, agency_id: int, year: int, kind: str) -> HttpResponse:
    access, current = _plan(request.user, agency_id, year, Need.EDIT)
    labels = dict(SnapshotKind.choices)
    if kind not in labels:
        raise Http404("no such report")
    if request.method == "POST":
        services.take_snapshot(current, kind, request.user)
        messages.success(
            request, _("The %(kind)s was frozen as it stands today.") % {"kind": labels[kind]}
        )
        return redirect("plan", agency_id=agency_id, year=year)
    return render(
        request, "measures/snapshot.html", _context(access, current, kind=kind, label=labels[kind])
    )


@login_required
def remind(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    access, current = _plan(request.user, agency_id, year, Need.EDIT)
    overdue = services.overdue_steps(current, _today())
    if request.method == "POST":
        sent = services.send_reminders(current, _today(), request.user)
        if sent:
            messages.success(request, _("Reminders sent to %(to)s.") % {"to": ", ".join(sent)})
        else:
            messages.info(request, _("Nothing is overdue; no e-mail was sent."))
        return redirect("plan", agency_id=agency_id, year=year)
    return render(request, "measures/remind.html", _context(access, current, overdue=overdue))


@login_required
def evidence_file(
    request: HttpRequest, agency_id: int, year: int, evidence_id: int
) -> FileResponse:
    _access, current = _plan(request.user, agency_id, year)
    evidence = Evidence.objects.filter(pk=evidence_id, progress__measure__plan=current).first()
    if evidence is None or not evidence.file:
        raise Http404("no such file")
    name = (evidence.file.name or "evidence").rsplit("/", 1)[-1]
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=name)


@login_required
def document(request: HttpRequest, agency_id: int, year: int, kind: str, fmt: str) -> HttpResponse:
    """Download the measures document or the results report, live or as frozen in a snapshot."""
    from ita.measures.documents import render_stored

    _access, current = _plan(request.user, agency_id, year)
    if kind not in KINDS or fmt not in FORMATS:
        raise Http404("no such document")
    snapshot_id = request.GET.get("snapshot")
    data = None
    if snapshot_id:
        frozen = current.snapshots.filter(pk=snapshot_id if snapshot_id.isdecimal() else 0).first()
        if frozen is None:
            raise Http404("no such snapshot")
        data = frozen.data
    # Formal documents use Thai digits unless asked otherwise (DOMAIN.md §7).
    thai_digits = request.GET.get("digits") != "arabic"
    try:
        body = render_stored(current, kind, fmt, thai_digits, data)
    except LookupError:
        raise Http404("no framework for this year") from None
    response = HttpResponse(body, content_type=FORMATS[fmt])
    if fmt != "html":
        response["Content-Disposition"] = f'attachment; filename="ita-{year}-{kind}.{fmt}"'
    return response
