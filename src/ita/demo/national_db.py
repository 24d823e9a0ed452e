"""Load the synthetic nation of :mod:`ita.demo.national` into the database, in bulk.

Agencies and assessments with ``bulk_create``; indicator and item scores, snapshots and the
assessments' current results with COPY on PostgreSQL (``ita.supervision.bulk``); snapshots
through the bulk rescoring of ``ita.supervision.rescore``, so every stored result is the
engine's. The raw answers of the last year go to ``ITA_DATA_DIR/national/``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection, transaction

from ita.agencies.models import Agency, AgencyGroup, GroupKind, Supervision
from ita.assessments.models import Assessment, IndicatorScore, ItemScore, Snapshot, Source
from ita.assessments.services import framework_for_year
from ita.demo.national import (
    CODE_PREFIX,
    NationAgency,
    Timings,
    YearResults,
    answers_path,
    disclosure_only,
    measure_plans,
    nation_results,
    save_answers,
    two,
)
from ita.demo.province import DEMO_PASSWORD, SYSTEM_ADMIN, demo_user
from ita.measures.models import Measure, Plan
from ita.scoring.spec import ScoringSpec
from ita.supervision.bulk import insert_rows
from ita.supervision.rescore import rescore

GROUP_SUFFIX = " (ข้อมูลตัวอย่างระดับประเทศ)"
SUPERVISOR = ("demo-province", "ผู้กำกับดูแลจังหวัดที่มีหน่วยงานมากที่สุด (อ่านอย่างเดียว) / province supervisor")
FAILED_REMARK = "ข้อมูลไม่ครบถ้วนตามองค์ประกอบ หรือไม่เป็นปัจจุบัน"


class NationExists(Exception):
    """The national demonstration data is already loaded (use replace=True)."""


@dataclass(frozen=True)
class NationSummary:
    agencies: int
    assessments: int
    indicator_scores: int
    item_scores: int
    respondents: int
    answer_values: int
    answers_file: str
    timings: dict[str, float]
    accounts: list[tuple[str, str, str]]


def national_agencies() -> Any:
    return Agency.objects.filter(is_demo=True, itas_code__startswith=CODE_PREFIX)


def purge() -> int:
    """Delete the national demonstration data; return how many agencies it had."""
    ids = national_agencies().values("pk")
    count = int(national_agencies().count())
    with transaction.atomic():
        Snapshot.objects.filter(assessment__agency__in=ids).delete()
        ItemScore.objects.filter(assessment__agency__in=ids).delete()
        IndicatorScore.objects.filter(assessment__agency__in=ids).delete()
        Measure.objects.filter(plan__agency__in=ids).delete()
        Plan.objects.filter(agency__in=ids).delete()
        Assessment.objects.filter(agency__in=ids).delete()
        AgencyGroup.objects.filter(name__endswith=GROUP_SUFFIX).delete()
        national_agencies().delete()
    return count


def _score_rows(
    spec: ScoringSpec, result: YearResults, assessment_ids: Sequence[int]
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Return indicator and item score rows as an agency would type them in (two decimals)."""
    indicators = []
    for row, pk in enumerate(assessment_ids):
        for k, ind in enumerate(spec.indicators):
            indicators.append((pk, ind.number, two(result.indicators[row, k])))
    items: list[tuple[Any, ...]] = []
    if result.items is None or result.findings is None:
        return indicators, items
    disclosure = [spec.tool(i.tool).kind == "disclosure" for i in spec.items]
    known = ~np.isnan(result.items)
    for row, pk in enumerate(assessment_ids):
        for k, item in enumerate(spec.items):
            if not known[row, k]:
                continue
            value = float(result.items[row, k])
            if disclosure[k]:
                passed = value > 0
                items.append(
                    (pk, item.code, two(value), None, passed, "" if passed else FAILED_REMARK)
                )
            else:
                items.append(
                    (pk, item.code, two(value), two(float(result.findings[row, k])), None, "")
                )
    return indicators, items


def load_national(
    seed: int = 2568,
    scale: float = 1.0,
    years: Sequence[int] = (2564, 2565, 2566, 2567, 2568),
    *,
    replace: bool = False,
    echo: Callable[[str], None] | None = None,
) -> NationSummary:
    """Create the synthetic nation: agencies, years of results, snapshots, answers on disk."""
    say = echo or (lambda _m: None)
    timings = Timings()
    if national_agencies().exists():
        if not replace:
            raise NationExists(CODE_PREFIX)
        removed = purge()
        say(f"ลบข้อมูลตัวอย่างระดับประเทศเดิม / removed the previous nation: {removed}")
        timings.mark("purge")
    frameworks = {year: framework_for_year(year) for year in years}
    agencies, results, answers = nation_results(
        seed, scale, years, lambda y: frameworks[y].spec, timings
    )
    last = max(years)
    path = answers_path(settings.DATA_DIR, last)
    last_year = results[-1]
    official = (
        disclosure_only(frameworks[last].spec, last_year.items)
        if last_year.items is not None
        else None
    )
    save_answers(path, seed, last, agencies, answers, official)
    timings.mark("answers_file")
    system = demo_user(SYSTEM_ADMIN[0], superuser=True)
    counts = {"assessments": 0, "indicators": 0, "items": 0}
    with transaction.atomic():
        stored = Agency.objects.bulk_create(
            [_agency(a) for a in agencies],
            batch_size=2000,  # not-domain: rows per INSERT
        )
        agency_ids = [a.pk for a in stored]
        timings.mark("db_agencies")
        for result in results:
            framework = frameworks[result.fiscal_year]
            spec = framework.spec
            rows = Assessment.objects.bulk_create(
                [
                    Assessment(
                        agency_id=agency_id,
                        fiscal_year=result.fiscal_year,
                        framework=framework,
                        published_total=two(total) if not np.isnan(total) else None,
                        published_level=level or "",
                    )
                    for agency_id, total, level in zip(
                        agency_ids, result.totals, result.levels, strict=True
                    )
                ],
                batch_size=2000,  # not-domain: rows per INSERT
            )
            ids = [a.pk for a in rows]
            indicator_rows, item_rows = _score_rows(spec, result, ids)
            counts["assessments"] += len(ids)
            counts["indicators"] += insert_rows(
                IndicatorScore, ("assessment_id", "number", "score"), indicator_rows
            )
            counts["items"] += insert_rows(
                ItemScore,
                ("assessment_id", "code", "score", "finding", "present", "remark"),
                item_rows,
            )
        timings.mark("db_results")
        issues = [i.number for i in frameworks[last].schema.issues]
        _plans(measure_plans(seed, len(agency_ids), issues), agency_ids, last)
        timings.mark("db_measures")
        rescore(
            Assessment.objects.filter(agency_id__in=agency_ids), user=system, source=Source.DEMO
        )
        timings.mark("db_snapshots")
        accounts = _groups(agencies)
    if connection.vendor == "postgresql":
        # Fresh statistics after a bulk load, as autovacuum would gather them a little later.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        timings.mark("analyze")
    respondents = sum(len(who) for who, _m in answers.values())
    values = sum(int(m.size) for _w, m in answers.values())
    return NationSummary(
        agencies=len(agency_ids),
        assessments=counts["assessments"],
        indicator_scores=counts["indicators"],
        item_scores=counts["items"],
        respondents=respondents,
        answer_values=values,
        answers_file=str(path),
        timings=timings.phases,
        accounts=accounts,
    )


def _agency(a: NationAgency) -> Agency:
    return Agency(
        name_th=a.name,
        agency_type=a.agency_type,
        province=a.province,
        district=a.district,
        itas_code=a.code,
        is_demo=True,
    )


def _plans(plans: list[list[tuple[int, str]]], agency_ids: Sequence[int], year: int) -> None:
    with_measures = [
        (pk, measures) for pk, measures in zip(agency_ids, plans, strict=True) if measures
    ]
    stored = Plan.objects.bulk_create(
        [Plan(agency_id=pk, fiscal_year=year) for pk, _m in with_measures],
        batch_size=2000,  # not-domain: rows per INSERT
    )
    Measure.objects.bulk_create(
        [
            Measure(plan_id=plan.pk, issue_number=issue, position=position, title=title)
            for plan, (_pk, measures) in zip(stored, with_measures, strict=True)
            for position, (issue, title) in enumerate(measures)
        ],
        batch_size=2000,  # not-domain: rows per INSERT
    )


def _groups(agencies: Sequence[NationAgency]) -> list[tuple[str, str, str]]:
    """Give the province with the most agencies a group and a supervisor; return the accounts."""
    by_province: dict[str, int] = {}
    for a in agencies:
        by_province[a.province] = by_province.get(a.province, 0) + 1
    province = max(sorted(by_province), key=lambda p: by_province[p])
    group = AgencyGroup.objects.create(
        name=f"จังหวัด{province}{GROUP_SUFFIX}", kind=GroupKind.PROVINCE, province=province
    )
    Supervision.objects.get_or_create(user=demo_user(SUPERVISOR[0]), group=group)
    return [
        (SUPERVISOR[0], DEMO_PASSWORD, f"{SUPERVISOR[1]}: {province}"),
        (SYSTEM_ADMIN[0], DEMO_PASSWORD, SYSTEM_ADMIN[1]),
    ]
