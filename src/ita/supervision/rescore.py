"""Score many assessments again from their stored official results, a snapshot for each.

The bulk counterpart of :func:`ita.assessments.services.recompute`: the same engine call
(:func:`~ita.scoring.engine.score_official`, which also gives the notices a snapshot keeps),
the same snapshot inputs and outputs (a test compares them), but reading and writing
thousands of assessments at a time — a few queries per chunk instead of a dozen per
assessment — and one audit event for the whole run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ita.assessments.models import Assessment, IndicatorScore, ItemScore, Snapshot, Source
from ita.assessments.services import result_outputs
from ita.audit.models import record
from ita.catalog.models import Framework
from ita.scoring.engine import ENGINE_VERSION, OfficialScores, ScoringInputError, score_official
from ita.supervision.bulk import insert_rows, update_rows

CHUNK = 2000  # not-domain: assessments read and written per round
Progress = Callable[[int, int, str], None]


@dataclass
class RescoreSummary:
    scored: int = 0
    failed: dict[int, str] = field(default_factory=dict)  # assessment id → why


def official_scores(
    indicators: Sequence[tuple[int, Decimal]],
    items: Sequence[tuple[str, Decimal | None, Decimal | None]],
    published_total: Decimal | None,
    published_level: str,
) -> OfficialScores:
    """Return engine input as :meth:`Assessment.official_scores` builds it."""
    return OfficialScores(
        indicators={number: float(score) for number, score in indicators},
        items={code: float(score) for code, score, _f in items if score is not None},
        findings={code: float(finding) for code, _s, finding in items if finding is not None},
        total=float(published_total) if published_total is not None else None,
        level=published_level or None,
    )


def _inputs(official: OfficialScores) -> dict[str, Any]:
    return {
        "indicators": {str(k): v for k, v in official.indicators.items()},
        "items": dict(official.items),
        "findings": dict(official.findings),
        "published_total": official.total,
        "published_level": official.level,
    }


def rescore(
    assessments: QuerySet[Assessment],
    *,
    user: Any = None,
    source: str = Source.RECOMPUTE,
    progress: Progress | None = None,
) -> RescoreSummary:
    """Score the assessments again and keep a snapshot of each.

    Each chunk of ``CHUNK`` assessments is saved in its own transaction, so that a job's
    progress shows as it goes; an assessment the engine refuses is left as it was and listed
    in ``failed``.
    """
    rows = list(
        assessments.order_by("pk").values_list(
            "pk", "framework_id", "published_total", "published_level"
        )
    )
    frameworks = {fw.pk: fw for fw in Framework.objects.filter(pk__in={r[1] for r in rows})}
    created_by = user.pk if getattr(user, "is_authenticated", False) else None
    summary = RescoreSummary()
    for start in range(0, len(rows), CHUNK):
        with transaction.atomic():
            chunk = rows[start : start + CHUNK]
            ids = [r[0] for r in chunk]
            indicators: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
            for assessment_id, number, score in (
                IndicatorScore.objects.filter(assessment_id__in=ids)
                .order_by("assessment_id", "number")
                .values_list("assessment_id", "number", "score")
            ):
                indicators[assessment_id].append((number, score))
            items: dict[int, list[tuple[str, Decimal | None, Decimal | None]]] = defaultdict(list)
            for assessment_id, code, item_score, finding in (
                ItemScore.objects.filter(assessment_id__in=ids)
                .order_by("assessment_id", "pk")
                .values_list("assessment_id", "code", "score", "finding")
            ):
                items[assessment_id].append((code, item_score, finding))
            now = timezone.now()
            snapshots: list[tuple[Any, ...]] = []
            updates: list[tuple[Any, ...]] = []
            for pk, framework_id, published_total, published_level in chunk:
                framework = frameworks[framework_id]
                official = official_scores(
                    indicators.get(pk, []), items.get(pk, []), published_total, published_level
                )
                try:
                    result = score_official(framework.spec, official)
                except ScoringInputError as exc:
                    summary.failed[pk] = str(exc)
                    continue
                outputs = result_outputs(result)
                snapshots.append(
                    (
                        pk,
                        now,
                        created_by,
                        source,
                        ENGINE_VERSION,
                        framework.sha256,
                        _inputs(official),
                        outputs,
                    )
                )
                total = outputs["total"]
                updates.append(
                    (
                        pk,
                        Decimal(str(total)) if total is not None else None,
                        outputs["level"] or "",
                        outputs,
                        now,
                    )
                )
            insert_rows(
                Snapshot,
                (
                    "assessment_id",
                    "created_at",
                    "created_by_id",
                    "source",
                    "engine_version",
                    "framework_sha256",
                    "inputs",
                    "outputs",
                ),
                snapshots,
            )
            update_rows(Assessment, ("total", "level", "result", "updated_at"), updates)
            summary.scored += len(updates)
        if progress is not None:
            progress(start + len(chunk), len(rows), "")
    record(
        user,
        None,
        "results.recomputed",
        summary=f"{summary.scored} assessments ({source})",
        changes={"failed": {str(k): v for k, v in summary.failed.items()}}
        if summary.failed
        else None,
    )
    return summary
