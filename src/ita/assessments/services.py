"""Saving results and scoring them: every save recomputes with the engine and keeps a snapshot."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from ita.agencies.models import Agency
from ita.assessments.models import Assessment, IndicatorScore, ItemScore, Snapshot, Source
from ita.audit.models import record
from ita.catalog.models import Framework
from ita.scoring.engine import (
    ENGINE_VERSION,
    ScoreResult,
    ScoringInputError,
    round2,
    score_official,
)


@dataclass(frozen=True)
class ItemEntry:
    """What may be recorded for one item (every part optional)."""

    score: Decimal | None = None
    finding: Decimal | None = None
    present: bool | None = None
    remark: str = ""

    def is_empty(self) -> bool:
        return (
            self.score is None and self.finding is None and self.present is None and not self.remark
        )


class ResultsError(ValueError):
    """Results the engine refuses; nothing was saved."""


def framework_for_year(year: int) -> Framework:
    """Return the loaded framework of a fiscal year, or raise LookupError."""
    framework = Framework.objects.filter(fiscal_year=year).order_by("agency_group").first()
    if framework is None:
        raise LookupError(f"no framework loaded for fiscal year {year}")
    return framework


def start_assessment(agency: Agency, year: int, user: Any) -> Assessment:
    """Create the assessment of an agency for a fiscal year (idempotent)."""
    with transaction.atomic():
        assessment, created = Assessment.objects.get_or_create(
            agency=agency, fiscal_year=year, defaults={"framework": framework_for_year(year)}
        )
        if created:
            record(user, agency, "assessment.created", obj=assessment, summary=f"ITA {year}")
    return assessment


def score(assessment: Assessment) -> ScoreResult:
    """Score an assessment's stored official results with its framework."""
    return score_official(assessment.framework.spec, assessment.official_scores())


def result_outputs(result: ScoreResult) -> dict[str, Any]:
    """Return everything a snapshot keeps of a result (JSON, two decimals)."""
    data = result.to_json()
    data.update(
        passed=result.passed,
        basis=result.basis,
        level_en=result.level.name_en if result.level else None,
        items={code: round2(v) for code, v in result.items.items()},
        findings={code: round2(v) for code, v in result.findings.items()},
        notices=[{"code": n.code, "th": n.th, "en": n.en} for n in result.notices],
    )
    return data


def _snapshot(assessment: Assessment, user: Any, source: str) -> Snapshot:
    try:
        result = score(assessment)
    except ScoringInputError as exc:
        raise ResultsError(str(exc)) from exc
    official = assessment.official_scores()
    outputs = result_outputs(result)
    snapshot = Snapshot.objects.create(
        assessment=assessment,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        source=source,
        engine_version=ENGINE_VERSION,
        framework_sha256=assessment.framework.sha256,
        inputs={
            "indicators": {str(k): v for k, v in official.indicators.items()},
            "items": dict(official.items),
            "findings": dict(official.findings),
            "published_total": official.total,
            "published_level": official.level,
        },
        outputs=outputs,
    )
    assessment.total = Decimal(str(outputs["total"])) if outputs["total"] is not None else None
    assessment.level = outputs["level"] or ""
    assessment.result = outputs
    assessment.save(update_fields=["total", "level", "result", "updated_at"])
    return snapshot


def _diff_indicators(assessment: Assessment, new: Mapping[int, Decimal | None]) -> dict[str, Any]:
    old = {s.number: s.score for s in assessment.indicator_scores.all()}
    changes: dict[str, Any] = {}
    for number, value in new.items():
        before = old.get(number)
        if before != value:
            changes[f"indicator {number}"] = [_plain(before), _plain(value)]
            if value is None:
                assessment.indicator_scores.filter(number=number).delete()
            else:
                IndicatorScore.objects.update_or_create(
                    assessment=assessment, number=number, defaults={"score": value}
                )
    return changes


def _diff_items(assessment: Assessment, new: Mapping[str, ItemEntry]) -> dict[str, Any]:
    old = {row.code: row for row in assessment.item_scores.all()}
    changes: dict[str, Any] = {}
    for code, entry in new.items():
        row = old.get(code)
        before = ItemEntry(row.score, row.finding, row.present, row.remark) if row else ItemEntry()
        if before == entry:
            continue
        changes[code] = [_entry_json(before), _entry_json(entry)]
        if entry.is_empty():
            assessment.item_scores.filter(code=code).delete()
        else:
            ItemScore.objects.update_or_create(
                assessment=assessment,
                code=code,
                defaults={
                    "score": entry.score,
                    "finding": entry.finding,
                    "present": entry.present,
                    "remark": entry.remark,
                },
            )
    return changes


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _entry_json(entry: ItemEntry) -> dict[str, Any]:
    return {
        "score": _plain(entry.score),
        "finding": _plain(entry.finding),
        "present": entry.present,
        "remark": entry.remark,
    }


def save_results(
    assessment: Assessment,
    user: Any,
    *,
    source: str = Source.FORM,
    indicators: Mapping[int, Decimal | None] | None = None,
    items: Mapping[str, ItemEntry] | None = None,
    published: tuple[Decimal | None, str] | None = None,
    what: str = "",
) -> Snapshot | None:
    """Save official results, rescore, keep a snapshot and an audit event — all or nothing.

    ``None`` for an indicator or an empty :class:`ItemEntry` removes what was stored.
    Returns None when nothing changed.
    """
    with transaction.atomic():
        Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
        changes: dict[str, Any] = {}
        if indicators is not None:
            changes.update(_diff_indicators(assessment, indicators))
        if items is not None:
            changes.update(_diff_items(assessment, items))
        if published is not None:
            total, level = published
            if (assessment.published_total, assessment.published_level) != (total, level):
                changes["published"] = [
                    [_plain(assessment.published_total), assessment.published_level],
                    [_plain(total), level],
                ]
                assessment.published_total, assessment.published_level = total, level
                assessment.save(update_fields=["published_total", "published_level", "updated_at"])
        if not changes:
            return None
        snapshot = _snapshot(assessment, user, source)
        record(
            user,
            assessment.agency,
            "results.saved",
            obj=assessment,
            summary=f"ITA {assessment.fiscal_year}: {what or source}",
            changes=changes,
        )
    return snapshot


def recompute(assessment: Assessment, user: Any = None) -> Snapshot:
    """Rescore with the current framework (after a framework file changed)."""
    with transaction.atomic():
        return _snapshot(assessment, user, Source.RECOMPUTE)
