"""The year's measures: proposals into a plan, edits, progress, snapshots, reminders.

Every change happens in one transaction together with its audit event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction

from ita.agencies.models import Agency, Membership, ResponsibleUnit, Role
from ita.assessments.models import Assessment
from ita.assessments.services import score
from ita.audit.models import record
from ita.catalog.schema import Framework
from ita.measures import knowledge
from ita.measures.models import (
    Evidence,
    IssueMapping,
    Measure,
    Plan,
    PlanIssue,
    PlanSnapshot,
    Progress,
    Status,
    Step,
)
from ita.measures.proposals import Proposal, propose
from ita.thai import format_date


def mapping_for(agency: Agency, fw: Framework) -> dict[int, list[str]]:
    """Return the agency's issue → questions mapping for a framework year (or the default)."""
    mapping = {issue.number: list(issue.items) for issue in fw.issues}
    for own in IssueMapping.objects.filter(agency=agency, fiscal_year=fw.fiscal_year):
        mapping[own.number] = list(own.items)
    return mapping


def save_mapping(
    agency: Agency, fw: Framework, mapping: Mapping[int, Sequence[str]], user: Any
) -> dict[str, Any]:
    """Store the agency's own mapping where it differs from the framework's; log the change."""
    default = {issue.number: list(issue.items) for issue in fw.issues}
    before = mapping_for(agency, fw)
    changes = {
        str(n): [before.get(n, []), list(codes)]
        for n, codes in mapping.items()
        if before.get(n, []) != list(codes)
    }
    if not changes:
        return {}
    with transaction.atomic():
        for number, codes in mapping.items():
            if list(codes) == default.get(number):
                IssueMapping.objects.filter(
                    agency=agency, fiscal_year=fw.fiscal_year, number=number
                ).delete()
            else:
                IssueMapping.objects.update_or_create(
                    agency=agency,
                    fiscal_year=fw.fiscal_year,
                    number=number,
                    defaults={"items": list(codes)},
                )
        record(user, agency, "mapping.changed", summary=f"ITA {fw.fiscal_year}", changes=changes)
    return changes


def default_assessment(agency: Agency, year: int) -> Assessment | None:
    """Return the results a plan for ``year`` answers: that year's, else the latest before
    (only years with results recorded)."""
    return (
        Assessment.objects.filter(agency=agency, fiscal_year__lte=year, snapshots__isnull=False)
        .distinct()
        .order_by("-fiscal_year")
        .first()
    )


def get_or_create_plan(agency: Agency, year: int, user: Any) -> Plan:
    with transaction.atomic():
        plan, created = Plan.objects.get_or_create(
            agency=agency,
            fiscal_year=year,
            defaults={"assessment": default_assessment(agency, year)},
        )
        if created:
            record(user, agency, "plan.created", obj=plan, summary=f"มาตรการปี {year}")
    return plan


def proposal_for(plan: Plan, thai_digits: bool = True) -> Proposal | None:
    """Return the proposals drawn from the plan's assessment (None without results)."""
    assessment = plan.assessment
    if assessment is None:
        return None
    fw = assessment.framework.schema
    previous = (
        Assessment.objects.filter(agency=plan.agency, fiscal_year=assessment.fiscal_year - 1)
        .select_related("framework")
        .first()
    )
    return propose(
        fw,
        assessment.framework.spec,
        score(assessment),
        findings=knowledge.findings(),
        knowledge=knowledge.measures(),
        mapping=mapping_for(plan.agency, fw),
        previous=score(previous) if previous else None,
        thai_digits=thai_digits,
    )


@dataclass(frozen=True)
class Choice:
    """An issue accepted from the proposals, with the indexes of the suggestions taken."""

    issue: int
    suggestions: tuple[int, ...]


def accept(plan: Plan, proposal: Proposal, choices: Iterable[Choice], user: Any) -> list[Measure]:
    """Put accepted issues and suggested measures into the plan, in one transaction."""
    by_number = {issue.number: issue for issue in proposal.issues}
    created: list[Measure] = []
    with transaction.atomic():
        for choice in choices:
            issue = by_number.get(choice.issue)
            if issue is None:
                continue
            items = [
                {
                    "code": i.code,
                    "text": i.text,
                    "score": round(i.score, 2),
                    "finding": i.finding,
                    "finding_percent": None
                    if i.finding_percent is None
                    else round(i.finding_percent, 2),
                    "audience": i.audience,
                    "opinion": i.opinion,
                }
                for i in issue.items
            ]
            PlanIssue.objects.update_or_create(
                plan=plan, number=issue.number, defaults={"title": issue.title, "items": items}
            )
            start = plan.measures.filter(issue_number=issue.number).count()
            for offset, index in enumerate(choice.suggestions):
                if not 0 <= index < len(issue.suggested):
                    continue
                advice = issue.suggested[index]
                measure = Measure.objects.create(
                    plan=plan,
                    issue_number=issue.number,
                    position=start + offset,
                    title=advice.title_th,
                    quarter_first=advice.period_quarters[0],
                    quarter_last=advice.period_quarters[1],
                    target_output=advice.output_th,
                    target_indicator=advice.indicator_th,
                    follow_up=advice.follow_up_th,
                )
                Step.objects.bulk_create(
                    Step(measure=measure, position=n, text=text)
                    for n, text in enumerate(advice.steps)
                )
                created.append(measure)
        record(
            user,
            plan.agency,
            "plan.proposals_accepted",
            obj=plan,
            summary=f"มาตรการปี {plan.fiscal_year}: {len(created)} มาตรการ",
            changes={"measures": [None, [m.title for m in created]]},
        )
    return created


def copy_forward(plan: Plan, user: Any) -> int:
    """Copy last year's issues, measures and steps into ``plan`` (due dates a year later)."""
    previous = Plan.objects.filter(agency=plan.agency, fiscal_year=plan.fiscal_year - 1).first()
    if previous is None:
        return 0
    count = 0
    with transaction.atomic():
        for issue in previous.issues.all():
            PlanIssue.objects.get_or_create(
                plan=plan,
                number=issue.number,
                defaults={"title": issue.title, "limitations": issue.limitations},
            )
        for old in previous.measures.prefetch_related("steps", "units"):
            new = Measure.objects.create(
                plan=plan,
                issue_number=old.issue_number,
                position=old.position,
                title=old.title,
                quarter_first=old.quarter_first,
                quarter_last=old.quarter_last,
                month_start=_next_year(old.month_start),
                month_end=_next_year(old.month_end),
                period_text=old.period_text,
                target_output=old.target_output,
                target_indicator=old.target_indicator,
                budget=old.budget,
                follow_up=old.follow_up,
            )
            new.units.set(old.units.all())
            Step.objects.bulk_create(
                Step(measure=new, position=s.position, text=s.text, due=_next_year(s.due))
                for s in old.steps.all()
            )
            count += 1
        record(
            user,
            plan.agency,
            "plan.copied_forward",
            obj=plan,
            summary=f"คัดลอกจากปี {previous.fiscal_year}: {count} มาตรการ",
        )
    return count


def _next_year(day: dt.date | None) -> dt.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def measure_state(measure: Measure) -> dict[str, Any]:
    """Return what the audit log compares for a measure."""
    return {
        "title": measure.title,
        "issue": measure.issue_number,
        "period": measure.period_label(),
        "units": sorted(u.name for u in measure.units.all()),
        "output": measure.target_output,
        "indicator": measure.target_indicator,
        "budget": None if measure.budget is None else f"{measure.budget:.2f}",
        "follow_up": measure.follow_up,
        "steps": [[s.text, s.due.isoformat() if s.due else None] for s in measure.steps.all()],
    }


def save_measure(
    measure: Measure,
    user: Any,
    units: Iterable[ResponsibleUnit],
    steps: Sequence[tuple[str, dt.date | None]],
    before: dict[str, Any] | None,
) -> None:
    """Save an edited measure and its ordered steps; log what changed."""
    with transaction.atomic():
        measure.save()
        measure.units.set(list(units))
        kept = list(measure.steps.all())
        for position, (text, due) in enumerate(steps):
            if position < len(kept):
                step = kept[position]
                step.text, step.due, step.position = text, due, position
                step.save(update_fields=["text", "due", "position"])
            else:
                Step.objects.create(measure=measure, position=position, text=text, due=due)
        for extra in kept[len(steps) :]:
            extra.delete()
        after = measure_state(measure)
        changes = {k: [before.get(k) if before else None, v] for k, v in after.items()}
        changes = {k: v for k, v in changes.items() if v[0] != v[1]}
        if changes:
            record(
                user,
                measure.plan.agency,
                "measure.created" if before is None else "measure.updated",
                obj=measure,
                summary=measure.title[:200],
                changes=changes,
            )


def delete_measure(measure: Measure, user: Any) -> None:
    with transaction.atomic():
        record(
            user,
            measure.plan.agency,
            "measure.deleted",
            obj=measure,
            summary=measure.title[:200],
            changes={"measure": [measure_state(measure), None]},
        )
        measure.delete()


def add_progress(
    measure: Measure,
    progress: Progress,
    user: Any,
    urls: Sequence[str],
    files: Sequence[UploadedFile[Any]],
) -> Progress:
    """Record a progress update with its evidence; a step reported done is marked done."""
    with transaction.atomic():
        progress.measure = measure
        progress.created_by = user if getattr(user, "is_authenticated", False) else None
        progress.save()
        for url in urls:
            Evidence.objects.create(progress=progress, url=url)
        for upload in files:
            Evidence.objects.create(progress=progress, title=upload.name or "", file=upload)
        if progress.step is not None and progress.status == Status.DONE:
            Step.objects.filter(pk=progress.step.pk).update(done_on=progress.on)
        record(
            user,
            measure.plan.agency,
            "progress.added",
            obj=progress,
            summary=f"{measure.title[:120]}: {progress.get_status_display()} {progress.percent}%",
            changes={
                "status": [None, progress.status],
                "percent": [None, progress.percent],
                "evidence": [None, list(urls) + [f.name or "" for f in files]],
            },
        )
    return progress


def overdue_steps(plan: Plan, today: dt.date) -> list[Step]:
    """Return the plan's steps past their due date and not done, earliest first."""
    return list(
        Step.objects.filter(measure__plan=plan, due__lt=today, done_on__isnull=True)
        .select_related("measure")
        .order_by("due", "pk")
    )


def plan_data(plan: Plan) -> dict[str, Any]:
    """Return the whole plan with its progress and evidence as plain data (for snapshots)."""
    measures = []
    for m in plan.measures.prefetch_related("steps", "units", "progress__evidence"):
        measures.append(
            {
                "id": m.pk,
                "issue": m.issue_number,
                "title": m.title,
                "period": m.period_label(),
                "quarters": [m.quarter_first, m.quarter_last or m.quarter_first]
                if m.quarter_first
                else None,
                "months": [m.month_start.isoformat(), (m.month_end or m.month_start).isoformat()]
                if m.month_start
                else None,
                "period_text": m.period_text,
                "units": [u.name for u in m.units.all()],
                "output": m.target_output,
                "indicator": m.target_indicator,
                "budget": None if m.budget is None else f"{m.budget:.2f}",
                "follow_up": m.follow_up,
                "steps": [
                    {
                        "text": s.text,
                        "due": s.due.isoformat() if s.due else None,
                        "done_on": s.done_on.isoformat() if s.done_on else None,
                    }
                    for s in m.steps.all()
                ],
                "progress": [
                    {
                        "on": p.on.isoformat(),
                        "status": p.status,
                        "percent": p.percent,
                        "output": p.output,
                        "outcome": p.outcome,
                        "problems": p.problems,
                        "recommendations": p.recommendations,
                        "evidence": [e.url or e.file.name for e in p.evidence.all()],
                    }
                    for p in m.progress.all()
                ],
            }
        )
    return {
        "fiscal_year": plan.fiscal_year,
        "assessment_year": plan.assessment.fiscal_year if plan.assessment else None,
        "intro": plan.intro,
        "issues": [
            {"number": i.number, "title": i.title, "items": i.items, "limitations": i.limitations}
            for i in plan.issues.all()
        ],
        "measures": measures,
    }


def take_snapshot(plan: Plan, kind: str, user: Any) -> PlanSnapshot:
    """Freeze the plan and its progress as reported now (six-month or annual report)."""
    with transaction.atomic():
        snapshot = PlanSnapshot.objects.create(
            plan=plan,
            kind=kind,
            taken_by=user if getattr(user, "is_authenticated", False) else None,
            data=plan_data(plan),
        )
        record(
            user,
            plan.agency,
            "plan.snapshot",
            obj=snapshot,
            summary=f"{snapshot.get_kind_display()} ปี {plan.fiscal_year}",
        )
    return snapshot


def send_reminders(plan: Plan, today: dt.date, user: Any = None) -> list[str]:
    """E-mail each responsible unit (or, without one, the agency's editors) its overdue steps.

    Returns the addresses written to.
    """
    by_address: dict[str, list[Step]] = {}
    fallback = sorted(
        {
            m.user.email
            for m in Membership.objects.filter(
                agency=plan.agency, role__in=[Role.ADMIN, Role.EDITOR]
            ).select_related("user")
            if m.user.email
        }
    )
    for step in overdue_steps(plan, today):
        addresses = [u.email for u in step.measure.units.all() if u.email] or fallback
        for address in addresses:
            by_address.setdefault(address, []).append(step)
    for address, steps in sorted(by_address.items()):
        lines = [
            f"- {s.measure.title}: {s.text} (กำหนด {format_date(s.due)})" for s in steps if s.due
        ]
        send_mail(
            subject=f"ITA Workbench: ขั้นตอนที่เลยกำหนด {len(steps)} รายการ — {plan.agency.name_th}",
            message="ขั้นตอนตามมาตรการที่ยังไม่แล้วเสร็จและเลยกำหนดแล้ว:\n\n" + "\n".join(lines),
            from_email=None,
            recipient_list=[address],
        )
    if by_address:
        record(
            user,
            plan.agency,
            "plan.reminders_sent",
            obj=plan,
            summary=", ".join(sorted(by_address)),
        )
    return sorted(by_address)
