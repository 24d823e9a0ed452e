"""The analysis report of an assessment, built from stored results and the agency's edits."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ita.assessments.models import Assessment
from ita.assessments.services import score
from ita.documents.models import ReportDraft
from ita.measures.documents import report_plan
from ita.measures.models import Plan
from ita.measures.services import plan_data
from ita.reports.context import AgencyInfo, AnalysisContext, build_analysis, build_measures
from ita.reports.knowledge import load_knowledge


def draft_of(assessment: Assessment) -> ReportDraft:
    """Return the assessment's draft (unsaved and empty when the agency has edited nothing)."""
    return ReportDraft.objects.filter(assessment=assessment).first() or ReportDraft(
        assessment=assessment
    )


def analysis_context(
    assessment: Assessment,
    draft: ReportDraft,
    thai_digits: bool = True,
    *,
    with_edits: bool = True,
) -> AnalysisContext:
    """Return the analysis report; ``with_edits=False`` gives the text as drafted.

    Raises ``ValueError`` (with a Thai/English message) when the results cannot make a report.
    """
    fw = assessment.framework.schema
    spec = assessment.framework.spec
    agency = assessment.agency
    appendix = None
    if draft.appendix_plan_year:
        plan = Plan.objects.filter(agency=agency, fiscal_year=draft.appendix_plan_year).first()
        if plan is not None and plan.measures.exists():
            titles = {i.number: i.title_th for i in fw.issues}
            appendix = build_measures(
                report_plan(agency, plan_data(plan), titles), spec, "simple", thai_digits
            )
    notes = {tool: tuple(lines) for tool, lines in draft.assessor_notes.items() if lines}
    return build_analysis(
        spec,
        fw,
        score(assessment),
        AgencyInfo(agency.name_th, agency.district or None, agency.province or None),
        load_knowledge(assessment.fiscal_year, fw),
        overrides=draft.overrides if with_edits else None,
        thai_digits=thai_digits,
        report_date=draft.report_date or _today(),
        weak_indicators=draft.weak_indicators,
        guidelines=draft.guidelines,
        assessor_notes=notes or None,
        appendix=appendix,
    )


def _today() -> dt.date:
    return timezone.localdate()
