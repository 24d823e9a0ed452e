"""Saving an imported document: what it would change, and the save itself in one transaction.

A :class:`Draft` is what the person confirmed on the preview: the scores of one fiscal year
and/or the measures of one plan. :func:`pending` says what a save would replace or add to;
:func:`save_draft` saves everything through the services of the assessments and measures
apps (which write their own audit events), adds an ``import.saved`` event, and saves nothing
at all when any part is refused — every refusal is collected and raised together.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ita.agencies.models import Agency, ResponsibleUnit
from ita.assessments.models import Assessment, Source
from ita.assessments.services import (
    ItemEntry,
    ResultsError,
    framework_for_year,
    save_results,
    start_assessment,
)
from ita.audit.models import record
from ita.catalog.schema import Framework
from ita.importers.document import AUDIENCES
from ita.imports.periods import read_period
from ita.measures import services as measures
from ita.measures.models import Measure, PlanIssue, Progress
from ita.thai import to_arabic_digits

_PERCENT = re.compile(r"^.*?(?:\d+(?:\.\d+)?\s*%|ร้อยละ\s*\d+(?:\.\d+)?)\s*")


@dataclass(frozen=True)
class ScoresDraft:
    """The official scores to save as the assessment of ``fiscal_year``."""

    fiscal_year: int
    indicators: Mapping[int, Decimal]
    items: Mapping[str, ItemEntry]
    total: Decimal | None = None
    level: str = ""

    def published(self) -> tuple[Decimal | None, str] | None:
        """Return the published total and level to store, or None when the document has none."""
        if self.total is None and not self.level:
            return None
        return self.total, self.level


@dataclass(frozen=True)
class FindingDraft:
    """A finding printed with a measure's issue (kept for the plan's issue)."""

    text: str
    percent: float | None
    audience: str | None
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class MeasureDraft:
    """One measure as corrected on the preview."""

    row: int  # 1-based row of the preview, for messages
    title: str
    issue: int | None
    steps: tuple[str, ...] = ()
    period: str = ""
    responsible: tuple[str, ...] = ()
    follow_up: str = ""
    output: tuple[str, ...] = ()
    outcome: tuple[str, ...] = ()
    recommendations: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    limitations: tuple[str, ...] = ()
    items: tuple[str, ...] = ()  # the questions printed with the issue
    findings: tuple[FindingDraft, ...] = ()


@dataclass(frozen=True)
class ProgressDraft:
    """How results a document reports are recorded as progress of each measure."""

    on: dt.date
    status: str
    percent: int


@dataclass(frozen=True)
class Draft:
    """Everything to save from one document."""

    file_name: str
    kind: str  # "analysis", "measures" or "results"
    scores: ScoresDraft | None = None
    measures_year: int | None = None
    measures: tuple[MeasureDraft, ...] = ()
    progress: ProgressDraft | None = None
    question_texts: Mapping[str, str] = field(default_factory=dict)  # code → wording


@dataclass(frozen=True)
class Change:
    """One stored value a save would change: a code, what is stored, what the document says."""

    what: str
    stored: str | None
    new: str | None


@dataclass(frozen=True)
class Pending:
    """What a save would do to what is already stored."""

    results_changes: tuple[Change, ...] = ()  # empty when nothing stored would change
    stored_results: bool = False  # the year's assessment already has results
    existing_measures: int = 0  # measures already in the plan of the measures' year
    unknown_units: tuple[str, ...] = ()  # names that match none of the agency's units

    @property
    def needs_replace(self) -> bool:
        return self.stored_results and bool(self.results_changes)

    @property
    def needs_add(self) -> bool:
        return self.existing_measures > 0


class ImportRejected(Exception):
    """Nothing was saved; ``errors`` lists every reason, in the user's language."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(self.errors))


@dataclass(frozen=True)
class Saved:
    """What a save stored."""

    assessment: Assessment | None
    scores_changed: bool
    plan_year: int | None
    measures: int
    unknown_units: tuple[str, ...]


def unit_key(name: str) -> str:
    """Return a unit name as compared: without spaces (PDFs split Thai words with them)."""
    return "".join(name.split())


def match_units(agency: Agency, names: Sequence[str]) -> tuple[list[ResponsibleUnit], list[str]]:
    """Return the agency's units with these names (in order) and the names matching none."""
    by_key = {unit_key(u.name): u for u in agency.units.all()}
    found: list[ResponsibleUnit] = []
    unknown: list[str] = []
    for name in names:
        unit = by_key.get(unit_key(name))
        if unit is None:
            unknown.append(name)
        elif unit not in found:
            found.append(unit)
    return found, unknown


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _stored_results(assessment: Assessment) -> bool:
    return (
        assessment.indicator_scores.exists()
        or assessment.item_scores.exists()
        or assessment.published_total is not None
        or bool(assessment.published_level)
    )


def results_changes(assessment: Assessment | None, scores: ScoresDraft) -> list[Change]:
    """Return every stored value the scores would change (additions included)."""
    stored_indicators = (
        {s.number: s.score for s in assessment.indicator_scores.all()} if assessment else {}
    )
    stored_items = {r.code: r for r in assessment.item_scores.all()} if assessment else {}
    changes: list[Change] = []
    for number, value in sorted(scores.indicators.items()):
        before = stored_indicators.get(number)
        if before != value:
            changes.append(
                Change(_("indicator %(n)s") % {"n": number}, _plain(before), _plain(value))
            )
    for code, entry in scores.items.items():
        row = stored_items.get(code)
        if row is None or row.score != entry.score:
            changes.append(Change(code, _plain(row.score if row else None), _plain(entry.score)))
        if entry.finding is not None and (row is None or row.finding != entry.finding):
            changes.append(
                Change(
                    _("finding of %(code)s") % {"code": code},
                    _plain(row.finding if row else None),
                    _plain(entry.finding),
                )
            )
    published = scores.published()
    if published is not None and assessment is not None:
        total, level = published
        if assessment.published_total != total:
            changes.append(
                Change(_("published total"), _plain(assessment.published_total), _plain(total))
            )
        if assessment.published_level != level:
            changes.append(
                Change(_("published level"), assessment.published_level or None, level or None)
            )
    elif published is not None:
        changes.append(Change(_("published total"), None, _plain(published[0])))
    return changes


def pending(agency: Agency, draft: Draft) -> Pending:
    """Return what saving ``draft`` would replace in, or add to, what the agency has stored."""
    changes: list[Change] = []
    stored = False
    if draft.scores is not None:
        assessment = Assessment.objects.filter(
            agency=agency, fiscal_year=draft.scores.fiscal_year
        ).first()
        stored = assessment is not None and _stored_results(assessment)
        changes = results_changes(assessment, draft.scores)
    existing = 0
    unknown: list[str] = []
    if draft.measures_year is not None and draft.measures:
        existing = Measure.objects.filter(
            plan__agency=agency, plan__fiscal_year=draft.measures_year
        ).count()
        for m in draft.measures:
            for name in match_units(agency, m.responsible)[1]:
                if name not in unknown:
                    unknown.append(name)
    return Pending(tuple(changes), stored, existing, tuple(unknown))


def _framework(year: int) -> Framework | None:
    try:
        return framework_for_year(year).schema
    except LookupError:
        return None


def _lines(values: Sequence[str]) -> str:
    return "\n".join(v for v in values if v)


def _opinion(text: str) -> str:
    """Return what respondents said, without who and how many (the report adds those back)."""
    printed = text.lstrip("-• ").strip()
    match = _PERCENT.match(to_arabic_digits(printed))  # same length: digits map one to one
    if match:
        return printed[match.end() :].strip()
    for phrase, _en in AUDIENCES.values():
        if printed.startswith(phrase):
            return printed[len(phrase) :].strip()
    return printed


def _issue_items(draft: Draft, measure: MeasureDraft) -> list[dict[str, Any]]:
    """Return the plan issue's questions as the measures app keeps them (code, text, score…)."""
    scores = draft.scores.items if draft.scores else {}
    items = []
    for code in measure.items:
        finding = next((f for f in measure.findings if code in f.items), None)
        entry = scores.get(code)
        items.append(
            {
                "code": code,
                "text": draft.question_texts.get(code),
                "score": None if entry is None or entry.score is None else float(entry.score),
                "finding": finding.text if finding else None,
                "finding_percent": finding.percent if finding else None,
                "audience": AUDIENCES[finding.audience][0]
                if finding and finding.audience in AUDIENCES
                else None,
                "opinion": _opinion(finding.text) if finding else None,
            }
        )
    return items


def _messages(row: int, exc: ValidationError) -> list[str]:
    out = []
    for name, problems in exc.message_dict.items():
        field = Measure._meta.get_field(name) if name != "__all__" else None
        label = str(getattr(field, "verbose_name", "")) if field is not None else ""
        for problem in problems:
            out.append(
                _("Measure %(row)s: %(field)s %(problem)s")
                % {"row": row, "field": label, "problem": problem}
            )
    return out


def _save_scores(
    agency: Agency, user: Any, scores: ScoresDraft, file_name: str, errors: list[str]
) -> tuple[Assessment | None, bool]:
    if _framework(scores.fiscal_year) is None:
        errors.append(
            _("No framework is loaded for fiscal year %(year)s; the scores cannot be saved.")
            % {"year": scores.fiscal_year}
        )
        return None, False
    assessment = start_assessment(agency, scores.fiscal_year, user)
    try:
        snapshot = save_results(
            assessment,
            user,
            source=Source.IMPORT,
            indicators=dict(scores.indicators),
            items=dict(scores.items),
            published=scores.published(),
            what=file_name,
        )
    except ResultsError as exc:
        errors.append(_("The scores were refused: %(reason)s") % {"reason": exc})
        return assessment, False
    return assessment, snapshot is not None


def _save_measures(
    agency: Agency, user: Any, draft: Draft, year: int, errors: list[str]
) -> tuple[int, list[str]]:
    fw = _framework(year)
    plan = measures.get_or_create_plan(agency, year, user)
    if plan.assessment is not None:
        fw = plan.assessment.framework.schema
    if fw is None:
        errors.append(
            _("No framework is loaded for fiscal year %(year)s; the measures cannot be saved.")
            % {"year": year}
        )
        return 0, []
    titles = {i.number: i.title_th for i in fw.issues}
    positions: dict[int, int] = {}
    unknown: list[str] = []
    saved = 0
    for m in draft.measures:
        if m.issue is None or m.issue not in titles:
            errors.append(_("Measure %(row)s: choose its issue.") % {"row": m.row})
            continue
        if m.issue not in positions:
            positions[m.issue] = plan.measures.filter(issue_number=m.issue).count()
        period = read_period(m.period, year)
        measure = Measure(
            plan=plan,
            issue_number=m.issue,
            position=positions[m.issue],
            title=m.title,
            quarter_first=period.quarters[0] if period.quarters else None,
            quarter_last=period.quarters[1] if period.quarters else None,
            month_start=period.months[0] if period.months else None,
            month_end=period.months[1] if period.months else None,
            period_text=period.text,
            follow_up=m.follow_up,
        )
        reported = draft.kind == "results"
        if not reported:  # a plan's output and outcome are its targets
            measure.target_output = _lines(m.output)
            measure.target_indicator = _lines(m.outcome)
        try:
            measure.full_clean(exclude=["plan"])
        except ValidationError as exc:
            errors.extend(_messages(m.row, exc))
            continue
        positions[m.issue] += 1
        units, missing = match_units(agency, m.responsible)
        unknown.extend(n for n in missing if n not in unknown)
        measures.save_measure(measure, user, units, [(s, None) for s in m.steps], None)
        _save_issue(user, plan, m.issue, titles[m.issue], m, draft)
        results = (m.output + m.outcome if reported else ()) + m.recommendations + m.evidence
        if results and draft.progress is not None:
            measures.add_progress(
                measure,
                Progress(
                    on=draft.progress.on,
                    status=draft.progress.status,
                    percent=draft.progress.percent,
                    output=_lines(m.output) if reported else "",
                    outcome=_lines(m.outcome) if reported else "",
                    recommendations=_lines(m.recommendations),
                ),
                user,
                list(m.evidence),
                [],
            )
        saved += 1
    return saved, unknown


def _save_issue(
    user: Any, plan: Any, number: int, title: str, m: MeasureDraft, draft: Draft
) -> None:
    """Give the plan's issue the questions, findings and limitations the document prints."""
    if not (m.items or m.limitations):
        return
    issue, _created = PlanIssue.objects.get_or_create(
        plan=plan, number=number, defaults={"title": title}
    )
    before = {"items": [i["code"] for i in issue.items], "limitations": list(issue.limitations)}
    if m.items and not issue.items:  # questions already in the plan (from proposals) stay
        issue.items = _issue_items(draft, m)
    issue.limitations = list(dict.fromkeys([*issue.limitations, *m.limitations]))
    after = {"items": [i["code"] for i in issue.items], "limitations": issue.limitations}
    if after != before:
        issue.save(update_fields=["items", "limitations"])
        changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        record(user, plan.agency, "issue.updated", obj=issue, changes=changes)


def save_draft(
    agency: Agency, user: Any, draft: Draft, *, replace_results: bool, add_measures: bool
) -> Saved:
    """Save the draft's scores and measures in one transaction, or nothing (ImportRejected)."""
    if draft.scores is None and not draft.measures:
        raise ImportRejected([_("Choose what to save: the scores, the measures, or both.")])
    with transaction.atomic():
        state = pending(agency, draft)
        errors: list[str] = []
        if state.needs_replace and not replace_results:
            errors.append(
                _(
                    "The assessment of fiscal year %(year)s already has results: tick "
                    "“replace the stored results” to save the document's scores over them."
                )
                % {"year": draft.scores.fiscal_year if draft.scores else ""}
            )
        if state.needs_add and draft.measures and not add_measures:
            errors.append(
                _(
                    "The plan of fiscal year %(year)s already has %(n)s measures: tick “add "
                    "to the existing measures” to add the document's measures after them."
                )
                % {"year": draft.measures_year, "n": state.existing_measures}
            )
        if errors:
            raise ImportRejected(errors)
        assessment, changed = None, False
        if draft.scores is not None:
            assessment, changed = _save_scores(agency, user, draft.scores, draft.file_name, errors)
        count, unknown = 0, list[str]()
        if draft.measures and draft.measures_year is not None:
            count, unknown = _save_measures(agency, user, draft, draft.measures_year, errors)
        if errors:
            raise ImportRejected(errors)  # leaves the atomic block: everything is rolled back
        record(
            user,
            agency,
            "import.saved",
            obj=assessment,
            summary=draft.file_name[:200],
            changes={
                "file": [None, draft.file_name],
                "kind": [None, draft.kind],
                "scores": [None, draft.scores.fiscal_year if draft.scores else None],
                "measures": [None, {"fiscal_year": draft.measures_year, "count": count}],
                "units_not_matched": [None, unknown],
            },
        )
    return Saved(
        assessment, changed, draft.measures_year if draft.measures else None, count, tuple(unknown)
    )
