"""Benchmarks on PostgreSQL with the synthetic nation: loading, rescoring, pages, report batch.

Run: .venv/bin/python bench/national_postgres.py [--only load,rescore,pages,reports]
        [--requests 100] [--reports-sample 400] [--reports-full] [--keep]

A fresh database ``ita_bench_national`` on 127.0.0.1:5432 (user postgres, dropped at the end
unless ``--keep``) is migrated, and ``ita demo national`` (seed 2568) loads the nation into it:
8,317 agencies, results 2564–2568, item scores and the answer archive of 2568. Then:

* **load** — how long the nation takes to load (bench/results/national-demo.json);
* **rescore** — from the database to a stored snapshot for every agency of 2568 with the bulk
  rescoring (``ita.supervision.rescore``); baseline: the one-at-a-time service
  (``assessments.services.recompute``) on a sample, timed in the same run and scaled to all
  (bench/results/rescore-postgres.json; goal under 60 s);
* **pages** — the supervision pages of every agency as the system administrator sees them,
  and a province's as its supervisor does, timed in the server process (Django's handler:
  middleware, view, queries, template) over ``--requests`` requests after three warm-up ones;
  baseline: the ranking as one page of all 8,317 rows (bench/results/supervision-page.json;
  goal p95 under 200 ms);
* **reports** — the analysis report DOCX of every agency as the ``supervision.reports``
  background job with its progress: a sample with one worker process per CPU, and the same
  job with one process as baseline; ``--reports-full`` runs all 8,317
  (bench/results/reports-batch.json; goal under 15 minutes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]

DATABASE = "ita_bench_national"
SERVER = "postgres://postgres@127.0.0.1:5432"
DATA_DIR = Path("/tmp/ita-bench-national")  # noqa: S108 - a scratch folder of the benchmark
YEAR = 2568
SEED = 2568
os.environ["DATABASE_URL"] = f"{SERVER}/{DATABASE}"
os.environ["ITA_DATA_DIR"] = str(DATA_DIR)
os.environ["ITA_JOBS_IMMEDIATE"] = "1"  # jobs run in this process, as in the test suite
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita.settings")

import psycopg  # noqa: E402
from common import command_line, machine, write  # noqa: E402


def admin_sql(statement: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timings(values: list[float]) -> dict[str, float]:
    return {
        "requests": len(values),
        "p50_ms": round(percentile(values, 0.5), 1),
        "p95_ms": round(percentile(values, 0.95), 1),
        "max_ms": round(max(values), 1),
        "mean_ms": round(statistics.fmean(values), 1),
    }


def bench_load(info: dict[str, Any]) -> Any:
    from ita.demo.national_db import load_national

    started = time.perf_counter()
    summary = load_national(SEED, 1.0, (2564, 2565, 2566, 2567, 2568))
    wall = time.perf_counter() - started
    figures = {
        "wall_seconds": round(wall, 1),
        "phases_seconds": summary.timings,
        "agencies": summary.agencies,
        "assessments": summary.assessments,
        "indicator_scores": summary.indicator_scores,
        "item_scores": summary.item_scores,
        "snapshots": summary.assessments,
        "respondents": summary.respondents,
        "answer_values": summary.answer_values,
        "answers_file_bytes": Path(summary.answers_file).stat().st_size,
    }
    write("national-demo", command_line(), figures, {"note": "no goal: measured"}, info)
    print(f"load: {wall:.1f} s {summary.timings}")
    return summary


def bench_rescore(info: dict[str, Any], sample: int) -> None:
    from ita.assessments.models import Assessment
    from ita.assessments.services import recompute
    from ita.supervision.rescore import rescore

    year = Assessment.objects.filter(fiscal_year=YEAR)
    count = year.count()
    one_by_one = list(year.order_by("?")[:sample].select_related("framework"))
    started = time.perf_counter()
    for assessment in one_by_one:
        recompute(assessment)
    baseline = time.perf_counter() - started
    runs = []
    for _ in range(3):
        started, cpu = time.perf_counter(), time.process_time()
        summary = rescore(year)
        runs.append((time.perf_counter() - started, time.process_time() - cpu))
        assert summary.scored == count
        assert not summary.failed
    started = time.perf_counter()
    every_year = rescore(Assessment.objects.all())
    all_years = time.perf_counter() - started
    bulk = statistics.median(w for w, _c in runs)
    extrapolated = baseline / len(one_by_one) * count
    figures = {
        "assessments": count,
        "bulk_rescore_seconds": [round(w, 2) for w, _c in runs],
        "bulk_rescore_median_seconds": round(bulk, 2),
        "bulk_rescore_cpu_seconds_of_this_process": [round(c, 2) for _w, c in runs],
        "assessments_per_second": round(count / bulk),
        "all_five_years": {"assessments": every_year.scored, "seconds": round(all_years, 1)},
        "baseline_recompute_one_by_one": {
            "sample": len(one_by_one),
            "seconds": round(baseline, 2),
            "seconds_per_assessment": round(baseline / len(one_by_one), 4),
            "extrapolated_seconds_for_all": round(extrapolated, 1),
        },
        "speedup_over_baseline": round(extrapolated / bulk, 1),
    }
    goal = {
        "seconds_below": 60,
        "achieved": round(bulk, 2),
        "met": bulk < 60,
    }  # not-domain: the goal
    write("rescore-postgres", command_line(), figures, goal, info)
    print(f"rescore: {bulk:.1f} s for {count} (baseline {extrapolated:.0f} s extrapolated)")


def bench_pages(info: dict[str, Any], requests: int) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from ita.agencies.models import AgencyGroup
    from ita.demo.national_db import national_agencies
    from ita.supervision import services

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    User = get_user_model()
    system, supervisor = Client(), Client()
    system.force_login(User.objects.get(username="demo-system"))
    supervisor.force_login(User.objects.get(username="demo-province"))
    group = AgencyGroup.objects.get(supervisors__user__username="demo-province")
    agency = national_agencies().order_by("pk").first()
    pages = {
        "overview_all": (system, f"/supervision/all/{YEAR}/"),
        "ranking_all": (system, f"/supervision/all/{YEAR}/ranking/"),
        "ranking_all_page_42": (system, f"/supervision/all/{YEAR}/ranking/?page=42"),
        "ranking_all_biggest_loss": (system, f"/supervision/all/{YEAR}/ranking/?sort=loss"),
        "ranking_all_search": (system, f"/supervision/all/{YEAR}/ranking/?q=หนอง"),
        "heatmap_all_agencies": (system, f"/supervision/all/{YEAR}/heatmap/"),
        "heatmap_all_by_province": (system, f"/supervision/all/{YEAR}/heatmap/?by=province"),
        "heatmap_all_by_district": (system, f"/supervision/all/{YEAR}/heatmap/?by=district"),
        "missing_all": (system, f"/supervision/all/{YEAR}/missing/"),
        "overview_province_supervisor": (supervisor, f"/supervision/{group.pk}/{YEAR}/"),
        "ranking_province_supervisor": (supervisor, f"/supervision/{group.pk}/{YEAR}/ranking/"),
        "dashboard_with_peer_benchmarks": (system, f"/agencies/{agency.pk}/{YEAR}/"),
    }
    cache.clear()
    started = time.perf_counter()
    assert system.get(pages["overview_all"][1]).status_code == 200
    cold = (time.perf_counter() - started) * 1000
    figures: dict[str, Any] = {"cold_overview_ms_building_two_year_tables": round(cold, 1)}
    for name, (client, url) in pages.items():
        for _ in range(3):
            assert client.get(url).status_code == 200, url
        samples = []
        queries: list[str] = []

        def count(execute: Any, sql: str, *rest: Any, log: list[str] = queries) -> Any:
            log.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(count):
            client.get(url)
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        figures[name] = {"url": url, **timings(samples), "queries": len(queries)}
        print(
            f"{name:34s} p50 {figures[name]['p50_ms']:7.1f} p95 {figures[name]['p95_ms']:7.1f} ms"
        )
    # Baseline: the same page with every agency on it (no pagination).
    size = services.PAGE_SIZE
    services.PAGE_SIZE = 100_000
    try:
        baseline = []
        for _ in range(5):
            started = time.perf_counter()
            response = system.get(pages["ranking_all"][1])
            baseline.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
    finally:
        services.PAGE_SIZE = size
    figures["baseline_ranking_every_agency_on_one_page"] = {
        **timings(baseline),
        "bytes": len(response.content),
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version'), current_setting('jit')")
        version, jit = cursor.fetchone()
        figures["postgresql"] = {"version": version, "jit": jit}
    worst = max(figures[n]["p95_ms"] for n in ("overview_all", "ranking_all"))
    goal = {"p95_ms_below": 200, "pages": ["overview_all", "ranking_all"], "achieved_p95_ms": worst,
            "met": worst < 200}  # fmt: skip
    write("supervision-page", command_line(), figures, goal, info)


def report_stages(count: int = 20) -> dict[str, float]:
    """Return where one report's time goes, in this process (warm): context, chart, DOCX."""
    from ita.assessments.models import Assessment
    from ita.catalog.models import Framework
    from ita.reports.charts import render_chart
    from ita.reports.context import build_analysis
    from ita.reports.docx import render_docx
    from ita.scoring.engine import score_official
    from ita.supervision.drawing import _WORKER, init_worker
    from ita.supervision.jobs import report_tasks

    framework = Framework.objects.filter(fiscal_year=YEAR).first()
    assert framework is not None
    init_worker({YEAR: framework.document})
    schema, spec, knowledge = _WORKER[YEAR]
    tasks = list(
        itertools.islice(
            report_tasks(Assessment.objects.filter(fiscal_year=YEAR), True, dt.date.today()),
            count + 1,
        )
    )
    spent = {"context": 0.0, "chart_png": 0.0, "docx_with_chart": 0.0}
    for n, task in enumerate(tasks):
        started = time.process_time()
        ctx = build_analysis(
            spec,
            schema,
            score_official(spec, task.official),
            task.agency,
            knowledge,
            thai_digits=True,
            report_date=task.report_date,
        )
        context = time.process_time() - started
        render_chart(ctx.chart, "png")
        chart = time.process_time() - started - context
        render_docx(ctx)
        docx = time.process_time() - started - context - chart
        if n:  # the first one warms up fonts and templates
            for key, value in zip(spent, (context, chart, docx), strict=True):
                spent[key] += value
    return {f"{k}_cpu_seconds_per_report": round(v / count, 4) for k, v in spent.items()}


def bench_reports(info: dict[str, Any], sample: int, full: bool) -> None:
    from django.contrib.auth import get_user_model

    from ita.assessments.models import Assessment
    from ita.jobs import services as jobs
    from ita.jobs.models import Job, JobStatus
    from ita.supervision.jobs import REPORTS, workers

    user = get_user_model().objects.get(username="demo-system")
    total = Assessment.objects.filter(fiscal_year=YEAR, total__isnull=False).count()

    def run(limit: int | None, processes: int) -> dict[str, Any]:
        started = time.perf_counter()
        job = jobs.start(REPORTS, user=user, scope="all", fiscal_year=YEAR, limit=limit,
                         processes=processes)  # fmt: skip
        wall = time.perf_counter() - started
        job = Job.objects.get(pk=job.pk)
        assert job.status == JobStatus.DONE, job.message
        size = job.result_file.size
        job.result_file.delete(save=False)
        return {
            "reports": job.result["reports"],
            "failed": job.result["failed"],
            "processes": processes,
            "wall_seconds": round(wall, 1),
            "seconds_per_report": round(wall / max(1, job.result["reports"]), 4),
            "progress_at_end": [job.done, job.total],
            "zip_bytes": size,
        }

    figures: dict[str, Any] = {"agencies_with_results": total, "stages": report_stages()}
    figures["sample"] = run(sample, workers())
    figures["baseline_one_process"] = run(max(20, sample // 4), 1)  # not-domain: sample size
    rate = figures["sample"]["seconds_per_report"]
    figures["extrapolated_all_seconds"] = round(rate * total, 1)
    if full:
        figures["full"] = run(None, workers())
    achieved = figures["full"]["wall_seconds"] if full else figures["extrapolated_all_seconds"]
    goal = {"seconds_below": 15 * 60, "achieved_seconds": achieved,
            "measured": "all agencies" if full else f"sample of {sample}, extrapolated",
            "met": achieved < 15 * 60}  # fmt: skip
    write("reports-batch", command_line(), figures, goal, info)
    projected = figures["extrapolated_all_seconds"]
    print(f"reports: {rate:.3f} s per report → {projected:.0f} s for {total}")


def bench_import(info: dict[str, Any]) -> None:
    """Import a national file of official results (a year without any), as the web page does."""
    import csv
    import io

    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from ita.agencies.models import AgencyType
    from ita.assessments.models import Assessment, IndicatorScore
    from ita.jobs import services as jobs
    from ita.jobs.models import Job, JobStatus
    from ita.supervision import bulkimport
    from ita.supervision.jobs import IMPORT

    year = 2563  # not-domain: the nation has results from 2564; 2563 is a year without any
    source = {
        (a.agency.itas_code, a.agency.name_th, a.agency.agency_type, a.agency.province,
         a.agency.district): a.pk
        for a in Assessment.objects.filter(fiscal_year=2564).select_related("agency")
    }  # fmt: skip
    scores: dict[int, dict[int, Any]] = {}
    for assessment_id, number, score in IndicatorScore.objects.filter(
        assessment_id__in=source.values()
    ).values_list("assessment_id", "number", "score"):
        scores.setdefault(assessment_id, {})[number] = score
    out = io.StringIO()
    writer = csv.writer(out)
    numbers = sorted(next(iter(scores.values())))
    writer.writerow(
        ["itas_code", "name", "agency_type", "province", "district", "fiscal_year",
         *[f"indicator_{n}" for n in numbers]]
    )  # fmt: skip
    for (code, name, kind, province, district), pk in source.items():
        label = AgencyType(kind).label
        writer.writerow(
            [code, name, label, province, district, year, *[scores[pk][n] for n in numbers]]
        )
    data = out.getvalue().encode("utf-8")
    started = time.perf_counter()
    plan = bulkimport.validate("national.csv", data)
    checked = time.perf_counter() - started
    user = get_user_model().objects.get(username="demo-system")
    path = default_storage.save("supervision/imports/bench.csv", ContentFile(data))
    started = time.perf_counter()
    job = jobs.start(IMPORT, user=user, path=path, filename="national.csv")
    saved = time.perf_counter() - started
    job = Job.objects.get(pk=job.pk)
    assert job.status == JobStatus.DONE, job.message
    figures = {
        "rows": len(plan.rows),
        "file_bytes": len(data),
        "check_seconds": round(checked, 1),
        "job_seconds_check_again_and_save": round(saved, 1),
        "rows_per_second_saved": round(len(plan.rows) / saved),
        "result": job.result,
        "progress_at_end": [job.done, job.total],
    }
    write("bulk-import", command_line(), figures, {"note": "no goal: measured"}, info)
    print(f"import: check {checked:.1f} s, job {saved:.1f} s for {len(plan.rows)} rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="load,rescore,pages,import,reports")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--rescore-sample", type=int, default=300)
    parser.add_argument("--reports-sample", type=int, default=400)
    parser.add_argument("--reports-full", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep the database loaded before")
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    args = parser.parse_args()
    parts = set(args.only.split(","))
    if not args.reuse:
        admin_sql(f"DROP DATABASE IF EXISTS {DATABASE}")
        admin_sql(f"CREATE DATABASE {DATABASE}")
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.db import connection

    from ita.cli.common import prepare_database

    prepare_database()
    try:
        if not args.reuse:
            bench_load(machine(database="PostgreSQL"))
        if "rescore" in parts:
            bench_rescore(machine(database="PostgreSQL"), args.rescore_sample)
        if "pages" in parts:
            # Rescoring rewrote every assessment row; clean up as autovacuum would.
            with psycopg.connect(f"{SERVER}/{DATABASE}", autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")
            bench_pages(machine(database="PostgreSQL"), args.requests)
        if "import" in parts:
            bench_import(machine(database="PostgreSQL"))
        if "reports" in parts:
            bench_reports(machine(database="PostgreSQL"), args.reports_sample, args.reports_full)
    finally:
        connection.close()
        if not args.keep:
            admin_sql(f"DROP DATABASE IF EXISTS {DATABASE}")


if __name__ == "__main__":
    main()
