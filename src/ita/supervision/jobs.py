"""Background jobs of the supervision app: analysis reports of a set, bulk import, rescoring.

``supervision.reports`` writes the analysis report (DOCX) of every agency of a set with
results in a year into one ZIP. Reports are drawn in worker processes (``spawn``: a fresh
interpreter, nothing of Django), since a report is mostly CPU (python-docx and the chart);
the job process reads the database and writes the ZIP.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import itertools
import multiprocessing
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from ita.assessments.models import Assessment
from ita.catalog.models import Framework
from ita.jobs.models import Job
from ita.jobs.services import Progress, job_kind
from ita.reports.context import AgencyInfo
from ita.supervision import bulkimport
from ita.supervision.drawing import ReportTask, draw_report, init_worker
from ita.supervision.rescore import official_scores, rescore
from ita.supervision.scope import Filters, get_scope_for_user

REPORTS = "supervision.reports"
IMPORT = "supervision.import"
RESCORE = "supervision.rescore"
READ_CHUNK = 2000  # not-domain: assessments read per query


def _safe(text: str) -> str:
    return "".join("_" if c in '/\\:*?"<>|' else c for c in text).strip() or "-"


def report_tasks(assessments: Any, thai_digits: bool, report_date: dt.date) -> Iterator[ReportTask]:
    """Yield a task per assessment, reading official results a chunk at a time."""
    rows = list(
        assessments.order_by("agency__province", "agency__name_th", "pk").values_list(
            "pk",
            "fiscal_year",
            "published_total",
            "published_level",
            "agency__name_th",
            "agency__district",
            "agency__province",
            "agency__itas_code",
            "agency_id",
        )
    )
    from collections import defaultdict

    from ita.assessments.models import IndicatorScore, ItemScore

    for start in range(0, len(rows), READ_CHUNK):
        chunk = rows[start : start + READ_CHUNK]
        ids = [r[0] for r in chunk]
        indicators: dict[int, list[Any]] = defaultdict(list)
        for pk, number, score in (
            IndicatorScore.objects.filter(assessment_id__in=ids)
            .order_by("assessment_id", "number")
            .values_list("assessment_id", "number", "score")
        ):
            indicators[pk].append((number, score))
        items: dict[int, list[Any]] = defaultdict(list)
        for pk, code, item_score, finding in (
            ItemScore.objects.filter(assessment_id__in=ids)
            .order_by("assessment_id", "pk")
            .values_list("assessment_id", "code", "score", "finding")
        ):
            items[pk].append((code, item_score, finding))
        for pk, year, total, level, name, district, province, code, agency_id in chunk:
            label = f"{code or agency_id} {name}"
            yield ReportTask(
                filename=f"{year}/{_safe(province)}/{_safe(label)}.docx",
                fiscal_year=year,
                official=official_scores(indicators.get(pk, []), items.get(pk, []), total, level),
                agency=AgencyInfo(name, district or None, province or None),
                thai_digits=thai_digits,
                report_date=report_date,
            )


@contextlib.contextmanager
def _drawing(
    processes: int, documents: dict[int, dict[str, Any]]
) -> Iterator[Callable[[Iterable[ReportTask]], Iterator[tuple[str, bytes | None, str]]]]:
    """Yield a function that draws reports in order: in worker processes, or here for one."""
    if processes <= 1:
        init_worker(documents)
        yield lambda tasks: map(draw_report, tasks)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=processes,
        mp_context=context,
        initializer=init_worker,
        initargs=(documents,),
    ) as pool:
        yield lambda tasks: pool.map(draw_report, tasks, chunksize=4)


def workers() -> int:
    return max(1, os.cpu_count() or 1)


@job_kind(REPORTS)
def reports_job(
    job: Job,
    progress: Progress,
    *,
    scope: str,
    fiscal_year: int,
    filters: dict[str, str] | None = None,
    thai_digits: bool = True,
    processes: int | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """Write the analysis report of every agency of the set with results into one ZIP.

    ``limit`` draws only the first so many reports (for measuring a sample).
    """
    if job.created_by is None:
        raise PermissionError("a report batch needs the person who started it")
    chosen = get_scope_for_user(job.created_by, scope)
    agencies = Filters(**(filters or {})).apply(chosen.agencies)
    assessments = Assessment.objects.filter(
        agency__in=agencies.values("pk"), fiscal_year=fiscal_year, total__isnull=False
    )
    count = assessments.count() if limit is None else min(limit, assessments.count())
    framework = Framework.objects.filter(fiscal_year=fiscal_year).order_by("agency_group").first()
    if framework is None:
        raise LookupError(f"no framework loaded for fiscal year {fiscal_year}")
    documents: dict[int, dict[str, Any]] = {fiscal_year: framework.document}
    tasks = report_tasks(assessments, thai_digits, timezone.localdate())
    if limit is not None:
        tasks = itertools.islice(tasks, limit)
    failed: list[tuple[str, str]] = []
    written = 0
    progress(0, count, "")
    with tempfile.TemporaryFile(dir=settings.DATA_DIR) as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as archive:
            with _drawing(processes or workers(), documents) as draw:
                for done, (name, data, why) in enumerate(draw(tasks), start=1):
                    if data is None:
                        failed.append((name, why))
                    else:
                        archive.writestr(name, data)  # a DOCX is compressed already
                        written += 1
                    progress(done, count, name)
            index = io.StringIO()
            writer = csv.writer(index)
            writer.writerow(["ไฟล์ (file)", "เหตุที่ทำไม่ได้ (why not)"])
            writer.writerows(failed)
            archive.writestr("ทำไม่ได้.csv", "\ufeff" + index.getvalue())
        spool.seek(0)
        job.result_file.save(f"ita-{fiscal_year}-analysis-reports.zip", File(spool), save=True)
    return {"reports": written, "failed": len(failed)}


@job_kind(IMPORT)
def import_job(job: Job, progress: Progress, *, path: str, filename: str) -> dict[str, Any]:
    """Check the stored file again (the database may have changed) and save it all."""
    try:
        with default_storage.open(path, "rb") as handle:
            data = handle.read()
        plan = bulkimport.validate(filename, data)
        summary = bulkimport.apply(plan, job.created_by, progress)
    finally:
        default_storage.delete(path)
    progress(
        len(plan.rows),
        len(plan.rows),
        f"หน่วยงานใหม่ {summary.agencies_created} แห่ง, หน่วยงานเดิม {summary.agencies_matched} แห่ง, "
        f"บันทึกผล {summary.results_saved} รายการ, ไม่เปลี่ยน {summary.unchanged} รายการ / "
        f"{summary.agencies_created} agencies created, {summary.agencies_matched} matched, "
        f"{summary.results_saved} results saved, {summary.unchanged} unchanged",
    )
    return summary.to_json()


@job_kind(RESCORE)
def rescore_job(job: Job, progress: Progress, *, fiscal_year: int) -> dict[str, Any]:
    """Score every assessment of a year again (after its framework file changed)."""
    summary = rescore(
        Assessment.objects.filter(fiscal_year=fiscal_year), user=job.created_by, progress=progress
    )
    return {"scored": summary.scored, "failed": len(summary.failed)}
