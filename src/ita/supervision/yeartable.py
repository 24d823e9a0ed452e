"""Every agency's current result of one fiscal year as NumPy arrays, read in one query.

Peer percentiles, heatmaps by province or type, the averages, levels and changes of a set
need each agency's indicator and tool scores, which live in the assessment's result (JSON).
Reading them for 8,317 agencies costs a few hundred milliseconds, so the table is kept in the
cache until results change anywhere — every change of results keeps a snapshot, so the newest
snapshot names the version, asked at most every ``FRESH`` seconds — or, at the latest, for
``TTL`` seconds (edits of agencies and deleted assessments keep no snapshot).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.core.cache import cache
from django.db.models import Exists, Max, OuterRef
from django.db.models.fields.json import KeyTransform

from ita.assessments.models import Assessment, Snapshot
from ita.scoring.spec import ScoringSpec

TTL = 10 * 60  # seconds a table is kept at most
FRESH = 30  # not-domain: seconds a table is used without asking whether results changed
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class YearTable:
    fiscal_year: int
    agency_ids: npt.NDArray[np.int64]
    names: npt.NDArray[np.str_]
    agency_types: npt.NDArray[np.str_]
    provinces: npt.NDArray[np.str_]
    districts: npt.NDArray[np.str_]
    is_demo: npt.NDArray[np.bool_]
    indicators: FloatArray  # agencies × the year's indicators (spec order), NaN when unknown
    tools: FloatArray  # agencies × the year's tools
    totals: FloatArray  # the computed total, NaN when there is none
    published: FloatArray  # the published total, NaN when none was recorded
    levels: npt.NDArray[np.str_]  # "" when undecided
    entered: npt.NDArray[np.bool_]  # the assessment has a snapshot: results were entered

    def __len__(self) -> int:
        return len(self.agency_ids)

    def among(self, agency_ids: Any) -> npt.NDArray[np.bool_]:
        """Return the mask of the rows whose agency is in ``agency_ids``."""
        wanted = np.fromiter(agency_ids, dtype=np.int64)
        mask: npt.NDArray[np.bool_] = np.isin(self.agency_ids, wanted)
        return mask

    def row_of(self, agency_id: int) -> int | None:
        found = np.flatnonzero(self.agency_ids == agency_id)
        return int(found[0]) if found.size else None


def _number(value: Any) -> float:
    return float(value) if value is not None else np.nan


def build_year_table(year: int, spec: ScoringSpec) -> YearTable:
    """Read the year's results from the database (one query)."""
    rows = list(
        Assessment.objects.filter(fiscal_year=year)
        .order_by("agency_id")
        .values_list(
            "agency_id",
            "agency__name_th",
            "agency__agency_type",
            "agency__province",
            "agency__district",
            "agency__is_demo",
            "total",
            "published_total",
            "level",
            Exists(Snapshot.objects.filter(assessment=OuterRef("pk"))),
            KeyTransform("indicators", "result"),
            KeyTransform("tools", "result"),
        )
    )
    numbers = [str(ind.number) for ind in spec.indicators]
    codes = [tool.code for tool in spec.tools]
    n = len(rows)
    indicators = np.full((n, len(numbers)), np.nan)
    tools = np.full((n, len(codes)), np.nan)
    for r, (*_agency, found_indicators, found_tools) in enumerate(rows):
        indicators[r] = [_number((found_indicators or {}).get(k)) for k in numbers]
        tools[r] = [_number((found_tools or {}).get(c)) for c in codes]
    return YearTable(
        fiscal_year=year,
        agency_ids=np.array([r[0] for r in rows], dtype=np.int64),
        names=np.array([r[1] for r in rows], dtype=np.str_),
        agency_types=np.array([r[2] for r in rows], dtype=np.str_),
        provinces=np.array([r[3] for r in rows], dtype=np.str_),
        districts=np.array([r[4] for r in rows], dtype=np.str_),
        is_demo=np.array([r[5] for r in rows], dtype=bool),
        indicators=indicators,
        tools=tools,
        totals=np.array([_number(r[6]) for r in rows]),
        published=np.array([_number(r[7]) for r in rows]),
        levels=np.array([r[8] for r in rows], dtype=np.str_),
        entered=np.array([r[9] for r in rows], dtype=bool),
    )


# This process's tables: (version, when last asked, table) by key. The shared cache (Redis when
# ITA_REDIS_URL is set) lets one process build a table for all; this copy spares each request
# fetching and unpickling a few megabytes from it.
_LOCAL: dict[str, tuple[int, float, YearTable]] = {}


def forget() -> None:
    """Drop this process's tables (tests start from nothing)."""
    _LOCAL.clear()


def year_table(year: int, spec: ScoringSpec) -> YearTable:
    """Return the year's table, rebuilding it when results changed.

    Whether they changed is asked at most every ``FRESH`` seconds: at national scale results
    change every few seconds in the weeks of data entry, and rebuilding on each change would
    make every page pay for it. Figures are therefore at most ``FRESH`` seconds behind.
    """
    key = f"supervision:year-table:{year}:{spec.fiscal_year}"
    now = time.time()
    mine = _LOCAL.get(key)
    if mine is not None and now - mine[1] < FRESH:
        return mine[2]
    latest = Snapshot.objects.aggregate(latest=Max("pk"))["latest"] or 0
    if mine is not None and mine[0] == latest:
        table = mine[2]
    else:
        shared: tuple[int, YearTable] | None = cache.get(key)
        if shared is not None and shared[0] == latest:
            table = shared[1]
        else:
            table = build_year_table(year, spec)
            cache.set(key, (latest, table), TTL)
    _LOCAL[key] = (latest, now, table)
    return table
