"""Drawing analysis reports in worker processes: plain data in, DOCX out; no Django here.

The report batch (``ita.supervision.jobs``) sends a :class:`ReportTask` per agency to worker
processes started with ``spawn``; they import this module only, so a worker never sets up
Django or opens the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ita.catalog.loader import parse_framework_data
from ita.reports.context import AgencyInfo, build_analysis
from ita.reports.docx import render_docx
from ita.reports.knowledge import load_knowledge
from ita.scoring.engine import OfficialScores, ScoringInputError, score_official
from ita.scoring.spec import ScoringSpec


@dataclass(frozen=True)
class ReportTask:
    """One report to draw (plain data, sent to a worker process)."""

    filename: str
    fiscal_year: int
    official: OfficialScores
    agency: AgencyInfo
    thai_digits: bool
    report_date: dt.date


_WORKER: dict[int, Any] = {}


def init_worker(documents: dict[int, dict[str, Any]]) -> None:
    """Parse each year's framework once per worker process (from the database's copy)."""
    for year, document in documents.items():
        framework = parse_framework_data(document, f"database: ITA {year}")
        _WORKER[year] = (
            framework,
            ScoringSpec.from_framework(framework),
            load_knowledge(year, framework),
        )


def draw_report(task: ReportTask) -> tuple[str, bytes | None, str]:
    """Return (file name, DOCX or None, why not) for one task; runs in a worker process."""
    framework, spec, knowledge = _WORKER[task.fiscal_year]
    try:
        result = score_official(spec, task.official)
        ctx = build_analysis(
            spec,
            framework,
            result,
            task.agency,
            knowledge,
            thai_digits=task.thai_digits,
            report_date=task.report_date,
        )
    except (ScoringInputError, ValueError) as exc:
        return task.filename, None, str(exc)
    return task.filename, render_docx(ctx), ""
