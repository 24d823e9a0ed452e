"""What a supervision page shows of a set of agencies in one fiscal year.

Two sources, chosen by what each figure costs at national scale (8,317 agencies):

* the **year table** (:mod:`ita.supervision.yeartable`): every agency's current result of a
  year as arrays, read in one query and cached until results change. Levels, passes, averages,
  changes since last year and group means are counted from it with NumPy; reading the result
  JSON of every agency on each request would cost more than the page may take.
* the **database**, for what changes without a new result (who has entered measures or OIT
  evidence, the agencies of a set, names) and for the rows of a page, read in full (a hundred
  results' JSON) once the ranking has been sorted in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    Model,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.fields.json import KeyTransform
from django.utils.safestring import SafeString, mark_safe

from ita.agencies.models import Agency, AgencyType
from ita.assessments.models import Assessment, Snapshot
from ita.measures.models import Measure, Plan
from ita.scoring.batch import round2_array
from ita.scoring.engine import round2
from ita.scoring.spec import ScoringSpec
from ita.supervision.yeartable import YearTable
from ita.thai import format_score

PAGE_SIZE = 100  # not-domain: rows per page
TOP_CHANGES = 5  # not-domain: biggest gains and losses shown
PALETTE = 4  # heat classes 0 (best) … 4 (worst)
SORTS = ("rank", "name", "gain", "loss")
GROUPINGS = ("agency", "province", "district", "type")
MISSING = ("any", "results", "measures", "oit")
CHUNK = 2000  # not-domain: agencies read per query


# --- OIT evidence (the ita.oit app), when it is installed --------------------------------


def oit_evidence_model() -> type[Model] | None:
    """Return the OIT evidence registry's model, or None when that app is not installed."""
    if not apps.is_installed("ita.oit"):
        return None
    try:
        return apps.get_model("oit", "ItemEvidence")
    except LookupError:
        return None


def _ready_statuses() -> frozenset[str]:
    try:
        from ita.oit.models import READY_STATUSES
    except ImportError:  # the registry's rule: ready and submitted items count as passing
        return frozenset({"ready", "submitted"})
    return frozenset(str(s) for s in READY_STATUSES)


def oit_item_count(spec: ScoringSpec) -> int:
    return sum(len(tool.items) for tool in spec.tools if tool.kind == "disclosure")


# --- who has entered what -----------------------------------------------------------------


@dataclass(frozen=True)
class Entered:
    """Which agencies of a set have entered the year's results, measures and OIT evidence."""

    results: frozenset[int]  # a snapshot of the year's assessment exists
    measures: frozenset[int]  # the year's plan has at least one measure
    oit_ready: dict[int, int] | None  # OIT items ready or submitted; None: no registry


def entered(
    agencies: QuerySet[Agency] | Sequence[int],
    year: int,
    table: YearTable | None = None,
    ids: npt.NDArray[np.int64] | None = None,
) -> Entered:
    """Return who has entered what: three queries over the set, two with the year table.

    With the year table (and, to spare a query, the set's ``ids``) the results come from it:
    every change of results keeps a snapshot and renews the table.
    """
    within: Any = agencies.values("pk") if isinstance(agencies, QuerySet) else list(agencies)
    if table is not None:
        if ids is None:
            listed = (
                agencies.order_by().values_list("pk", flat=True)
                if isinstance(agencies, QuerySet)
                else agencies
            )
            ids = np.fromiter(listed, dtype=np.int64)
        mask = np.isin(table.agency_ids, ids) & table.entered
        results = frozenset(int(pk) for pk in table.agency_ids[mask])
    else:
        results = frozenset(
            Assessment.objects.filter(fiscal_year=year, agency__in=within)
            .filter(Exists(Snapshot.objects.filter(assessment=OuterRef("pk"))))
            .values_list("agency_id", flat=True)
        )
    measures = Plan.objects.filter(fiscal_year=year, agency__in=within).filter(
        Exists(Measure.objects.filter(plan=OuterRef("pk")))
    )
    model = oit_evidence_model()
    oit = None
    if model is not None:
        oit = dict(
            model._default_manager.filter(
                fiscal_year=year, agency__in=within, status__in=_ready_statuses()
            )
            .order_by()
            .values("agency")
            .annotate(n=Count("pk"))
            .values_list("agency", "n")
        )
    return Entered(results, frozenset(measures.values_list("agency_id", flat=True)), oit)


# --- overview -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelCount:
    name: str
    count: int
    share: float  # percent of the agencies with a level
    passes: bool


@dataclass(frozen=True)
class ChangeRow:
    agency_id: int
    name: str
    total: float
    previous: float

    @property
    def change(self) -> float:
        return round2(self.total - self.previous)


@dataclass(frozen=True)
class Overview:
    agencies: int
    with_results: int
    average: float | None
    passed: int
    levels: list[LevelCount]
    no_level: int
    missing_results: int
    missing_measures: int
    missing_oit: int | None  # None: the OIT evidence registry is not installed
    compared: int  # agencies with a total this year and last year
    improved: int
    declined: int
    level_up: int | None  # None: last year used other levels (the AA–F / rating switch)
    level_down: int | None
    gains: list[ChangeRow]
    losses: list[ChangeRow]
    tools: list[tuple[str, float | None]]
    indicators: list[tuple[int, str, float | None]]

    @property
    def pass_share(self) -> float | None:
        return 100.0 * self.passed / self.with_results if self.with_results else None


def _mean(values: npt.NDArray[np.float64]) -> float | None:
    known = values[~np.isnan(values)]
    return float(round2(float(known.mean()))) if known.size else None


def overview(
    agencies: QuerySet[Agency],
    year: int,
    spec: ScoringSpec,
    previous_spec: ScoringSpec | None,
    table: YearTable,
    previous: YearTable | None,
) -> Overview:
    """Return the figures of the overview page of a set of agencies."""
    ids = np.fromiter(agencies.order_by().values_list("pk", flat=True), dtype=np.int64)
    now = np.isin(table.agency_ids, ids) & ~np.isnan(table.totals)
    totals = table.totals[now]
    # The published total, when known, decides passing (as it decides the level).
    basis = np.where(np.isnan(table.published[now]), totals, table.published[now])
    level_names = table.levels[now]
    counted = {lv.name: int((level_names == lv.name).sum()) for lv in spec.levels}
    with_level = sum(counted.values())
    levels = [
        LevelCount(
            lv.name,
            counted[lv.name],
            100.0 * counted[lv.name] / with_level if with_level else 0.0,
            lv.total_min >= spec.pass_mark,
        )
        for lv in spec.levels
    ]
    done = entered(agencies, year, table, ids)
    compared = _compare(table, previous, ids, spec, previous_spec)
    names = dict(
        Agency.objects.filter(pk__in=[pk for pk, *_rest in compared["moves"]]).values_list(
            "pk", "name_th"
        )
    )
    moves = [ChangeRow(pk, names.get(pk, ""), t, p) for pk, t, p in compared["moves"]]
    return Overview(
        agencies=len(ids),
        with_results=int(now.sum()),
        average=_mean(totals),
        passed=int((round2_array(basis) >= spec.pass_mark).sum()),
        levels=levels,
        no_level=int(now.sum()) - with_level,
        missing_results=len(ids) - len(done.results),
        missing_measures=len(ids) - len(done.measures),
        missing_oit=None if done.oit_ready is None else len(ids) - len(done.oit_ready),
        compared=compared["compared"],
        improved=compared["improved"],
        declined=compared["declined"],
        level_up=compared["level_up"],
        level_down=compared["level_down"],
        gains=[m for m in moves if m.change > 0][:TOP_CHANGES],
        losses=sorted((m for m in moves if m.change < 0), key=lambda m: m.change)[:TOP_CHANGES],
        tools=[(t.code, _mean(table.tools[now, k])) for k, t in enumerate(spec.tools)],
        indicators=[
            (ind.number, ind.name_th, _mean(table.indicators[now, k]))
            for k, ind in enumerate(spec.indicators)
        ],
    )


def _compare(
    table: YearTable,
    previous: YearTable | None,
    ids: npt.NDArray[np.int64],
    spec: ScoringSpec,
    previous_spec: ScoringSpec | None,
) -> dict[str, Any]:
    """Compare the set's totals and levels with last year's (NumPy over both year tables)."""
    found: dict[str, Any] = {
        "compared": 0, "improved": 0, "declined": 0, "level_up": None, "level_down": None,
        "moves": [],
    }  # fmt: skip
    if previous is None:
        return found
    both, now, before = np.intersect1d(table.agency_ids, previous.agency_ids, return_indices=True)
    keep = np.isin(both, ids) & ~np.isnan(table.totals[now]) & ~np.isnan(previous.totals[before])
    both, now, before = both[keep], now[keep], before[keep]
    change = np.round(table.totals[now] - previous.totals[before], 2)
    found.update(
        compared=len(both), improved=int((change > 0).sum()), declined=int((change < 0).sum())
    )
    if previous_spec is not None and [lv.name for lv in previous_spec.levels] == [
        lv.name for lv in spec.levels
    ]:
        rank = {lv.name: i for i, lv in enumerate(spec.levels)}
        current = np.array([rank.get(n, -1) for n in table.levels[now]])
        earlier = np.array([rank.get(n, -1) for n in previous.levels[before]])
        decided = (current >= 0) & (earlier >= 0)
        found.update(
            level_up=int((decided & (current < earlier)).sum()),
            level_down=int((decided & (current > earlier)).sum()),
        )
    order = np.argsort(-change, kind="stable")
    picks = [*order[:TOP_CHANGES], *order[::-1][:TOP_CHANGES]]
    found["moves"] = [
        (int(both[i]), float(table.totals[now[i]]), float(previous.totals[before[i]]))
        for i in dict.fromkeys(picks)
    ]
    return found


# --- ranking ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankRow:
    rank: int | None
    agency_id: int
    name: str
    itas_code: str
    agency_type: str
    province: str
    district: str
    is_demo: bool
    has_assessment: bool
    total: float | None
    published_total: float | None
    level: str
    passed: bool | None
    tools: tuple[float | None, ...]  # in the year's order
    indicators: tuple[float | None, ...]  # in the year's order
    previous_total: float | None
    previous_level: str
    has_results: bool
    has_measures: bool
    oit_ready: int | None  # None: the OIT evidence registry is not installed

    @property
    def change(self) -> float | None:
        if self.total is None or self.previous_total is None:
            return None
        return round2(self.total - self.previous_total)

    @property
    def score_cells(self) -> SafeString:
        """Return the tool and indicator cells of the row as HTML (numbers only: safe)."""
        texts = (format_score(v) if v is not None else "–" for v in (*self.tools, *self.indicators))
        return mark_safe("".join(f'<td class="num">{t}</td>' for t in texts))  # noqa: S308

    @property
    def type_label(self) -> str:
        if self.agency_type in AgencyType.values:
            return str(AgencyType(self.agency_type).label)
        return self.agency_type


def ranking_order(
    agencies: QuerySet[Agency],
    table: YearTable,
    previous: YearTable | None = None,
    sort: str = "rank",
    search: str = "",
) -> list[tuple[int, float | None, int | None]]:
    """Return ``(agency id, total, rank)`` for every agency of the set, in the order asked.

    Rank 1 is the best total; equal totals share a rank (1, 1, 3 …); agencies without a total
    this year have none and come last. A search keeps the ranks of the whole set. Totals come
    from the year table, so ranking 8,317 agencies is a sort in memory, not a query.
    """
    ids = np.fromiter(agencies.order_by().values_list("pk", flat=True), dtype=np.int64)
    totals, names = _lookup(table, ids)
    has_total = ~np.isnan(totals)
    scores = np.sort(totals[has_total])
    # rank = 1 + how many agencies of the set have a higher total
    ranks = np.where(has_total, len(scores) - np.searchsorted(scores, totals, side="right") + 1, 0)
    unnamed = ids[names == ""]
    if unnamed.size:
        known = dict(Agency.objects.filter(pk__in=unnamed.tolist()).values_list("pk", "name_th"))
        names = np.array([n or known.get(int(pk), "") for pk, n in zip(ids, names, strict=True)])
    if search:
        match = Q(name_th__icontains=search) | Q(itas_code__iexact=search)
        wanted = np.isin(ids, list(agencies.filter(match).values_list("pk", flat=True)))
        ids, totals, names, ranks = ids[wanted], totals[wanted], names[wanted], ranks[wanted]
    by_rank = np.where(ranks > 0, ranks, len(ranks) + 1)  # agencies without a total come last
    if sort == "name":
        order = np.lexsort((ids, names))
    elif sort in {"gain", "loss"} and previous is not None:
        before, _names = _lookup(previous, ids)
        change = np.round(totals - before, 2)
        moved = ~np.isnan(change)
        key = np.where(moved, change if sort == "loss" else -change, 0.0)
        order = np.lexsort((ids, names, by_rank, key, ~moved))
    else:
        order = np.lexsort((ids, names, by_rank))
    return [
        (pk, None if np.isnan(total) else total, rank or None)
        for pk, total, rank in zip(
            ids[order].tolist(), totals[order].tolist(), ranks[order].tolist(), strict=True
        )
    ]


def _lookup(
    table: YearTable, ids: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.str_]]:
    """Return the totals (NaN when none) and names ("" when absent) of ``ids`` in a table."""
    if not len(table):
        return np.full(len(ids), np.nan), np.full(len(ids), "", dtype=np.str_)
    # The table is ordered by agency id.
    at = np.clip(np.searchsorted(table.agency_ids, ids), 0, len(table) - 1)
    present = table.agency_ids[at] == ids
    totals = np.where(present, table.totals[at], np.nan)
    names = np.where(present, table.names[at], "")
    return totals, names


def ranking_page(
    agencies: QuerySet[Agency],
    year: int,
    spec: ScoringSpec,
    table: YearTable,
    previous: YearTable | None = None,
    *,
    sort: str = "rank",
    search: str = "",
    page: Any = 1,
    per_page: int | None = None,
) -> tuple[Page[Any], list[RankRow]]:
    """Return one page of the ranking (``PAGE_SIZE`` rows), its rows read in full."""
    order = ranking_order(agencies, table, previous, sort, search)
    current = Paginator(order, per_page or PAGE_SIZE).get_page(page)
    return current, rank_rows(list(current.object_list), year, spec)


def rank_rows(
    listed: Sequence[tuple[int, Any, int | None]], year: int, spec: ScoringSpec
) -> list[RankRow]:
    """Return full rows for ``(agency id, total, rank)`` triples, in the order given."""
    agencies: dict[int, Any] = {}
    current: dict[int, dict[str, Any]] = {}
    previous: dict[int, tuple[Any, str]] = {}
    results: set[int] = set()
    measures: set[int] = set()
    oit: dict[int, int] | None = None
    for start in range(0, len(listed), CHUNK):
        pks = [row[0] for row in listed[start : start + CHUNK]]
        for agency in Agency.objects.filter(pk__in=pks).values(
            "pk", "name_th", "itas_code", "agency_type", "province", "district", "is_demo"
        ):
            agencies[agency["pk"]] = dict(agency)
        for found in Assessment.objects.filter(agency_id__in=pks, fiscal_year=year).values(
            "agency_id",
            "total",
            "level",
            "published_total",
            indicators=KeyTransform("indicators", "result"),
            tools=KeyTransform("tools", "result"),
        ):
            current[found["agency_id"]] = dict(found)
        for agency_id, total, level in Assessment.objects.filter(
            agency_id__in=pks, fiscal_year=year - 1
        ).values_list("agency_id", "total", "level"):
            previous[agency_id] = (total, level)
        done = entered(pks, year)
        results |= done.results
        measures |= done.measures
        if done.oit_ready is not None:
            oit = {**(oit or {}), **done.oit_ready}
    rows = []
    for pk, total, rank in listed:
        agency = agencies[pk]
        now = current.get(pk)
        found_indicators = (now or {}).get("indicators") or {}
        found_tools = (now or {}).get("tools") or {}
        published = _float(now["published_total"]) if now else None
        value = _float(total)
        basis = published if published is not None else value
        before = previous.get(pk)
        rows.append(
            RankRow(
                rank=rank if value is not None else None,
                agency_id=pk,
                name=agency["name_th"],
                itas_code=agency["itas_code"],
                agency_type=agency["agency_type"],
                province=agency["province"],
                district=agency["district"],
                is_demo=agency["is_demo"],
                has_assessment=now is not None,
                total=value,
                published_total=published,
                level=now["level"] if now else "",
                passed=None if basis is None else round2(basis) >= spec.pass_mark,
                tools=tuple(_float(found_tools.get(t.code)) for t in spec.tools),
                indicators=tuple(
                    _float(found_indicators.get(str(i.number))) for i in spec.indicators
                ),
                previous_total=_float(before[0]) if before else None,
                previous_level=before[1] if before else "",
                has_results=pk in results,
                has_measures=pk in measures,
                oit_ready=None if oit is None else oit.get(pk, 0),
            )
        )
    return rows


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


# --- heatmap ------------------------------------------------------------------------------


def heat_bands(spec: ScoringSpec) -> tuple[float, ...]:
    """Return the year's distinct level thresholds, highest first (the heatmap's colours)."""
    return tuple(sorted({level.total_min for level in spec.levels}, reverse=True))


def heat(value: float | None, bands: Sequence[float]) -> int | None:
    """Return the colour class of a score: 0 for the top band … PALETTE for the lowest."""
    if value is None:
        return None
    index = next((i for i, low in enumerate(bands) if round2(value) >= low), len(bands) - 1)
    return round(index * PALETTE / max(1, len(bands) - 1))


@dataclass(frozen=True)
class HeatRow:
    label: str
    count: int
    values: tuple[float | None, ...]  # indicators in the year's order, then the total
    filters: dict[str, str]  # how to narrow the page to this group


def heat_groups(
    table: YearTable, agency_ids: Iterable[int], by: str, spec: ScoringSpec
) -> list[HeatRow]:
    """Return the mean of each indicator and of the total per province, district or type."""
    mask = table.among(agency_ids)
    if by == "province":
        keys = table.provinces[mask]
    elif by == "district":
        keys = np.char.add(np.char.add(table.provinces[mask], "\u241f"), table.districts[mask])
    else:
        keys = table.agency_types[mask]
    values = np.column_stack([table.indicators[mask], table.totals[mask]])
    groups, inverse = np.unique(keys, return_inverse=True)
    known = ~np.isnan(values)
    sums = np.stack(
        [
            np.bincount(
                inverse, weights=np.where(known[:, k], values[:, k], 0.0), minlength=len(groups)
            )
            for k in range(values.shape[1])
        ],
        axis=1,
    )
    counts = np.stack(
        [
            np.bincount(inverse, weights=known[:, k], minlength=len(groups))
            for k in range(values.shape[1])
        ],
        axis=1,
    )
    members = np.bincount(inverse, minlength=len(groups))
    rows = []
    for g, key in enumerate(groups.tolist()):
        means = tuple(
            round2(sums[g, k] / counts[g, k]) if counts[g, k] else None
            for k in range(values.shape[1])
        )
        if by == "province":
            label, filters = key, {"province": key}
        elif by == "district":
            province, district = key.split("\u241f")
            label = f"{district or '–'} · {province}"
            filters = {"province": province, "district": district}
        else:
            label = str(AgencyType(key).label) if key in AgencyType.values else key
            filters = {"type": key}
        rows.append(HeatRow(label, int(members[g]), means, filters))
    rows.sort(key=lambda r: (-(r.values[-1] if r.values[-1] is not None else -1.0), r.label))
    return rows


# --- who has not entered what -------------------------------------------------------------


def missing_ids(
    agencies: QuerySet[Agency], year: int, which: str, table: YearTable | None = None
) -> list[int]:
    """Return the agencies that have not entered results, measures or OIT evidence (or any).

    Ordered by province, district and name. ``oit`` (and ``any``) count an agency with no OIT
    item ready or submitted as missing, when the OIT evidence registry is installed.
    """
    ordered = list(
        agencies.order_by("province", "district", "name_th", "pk").values_list("pk", flat=True)
    )
    done = entered(agencies, year, table, np.array(ordered, dtype=np.int64))
    oit = done.oit_ready
    lacking: dict[str, Callable[[int], bool]] = {
        "results": lambda pk: pk not in done.results,
        "measures": lambda pk: pk not in done.measures,
        "oit": lambda pk: oit is not None and pk not in oit,
    }
    tests = [lacking[which]] if which in lacking else list(lacking.values())
    return [pk for pk in ordered if any(test(pk) for test in tests)]


def missing_page(
    agencies: QuerySet[Agency], year: int, which: str, page: Any, table: YearTable | None = None
) -> tuple[Page[Any], list[dict[str, Any]]]:
    """Return one page of :func:`missing_ids` with each agency's name, place and flags."""
    current = Paginator(missing_ids(agencies, year, which, table), PAGE_SIZE).get_page(page)
    pks = list(current.object_list)
    found = {a["pk"]: dict(a) for a in Agency.objects.filter(pk__in=pks).values(
        "pk", "name_th", "agency_type", "province", "district", "is_demo"
    )}  # fmt: skip
    done = entered(pks, year)
    rows = []
    for pk in pks:
        row = found[pk]
        row.update(
            has_results=pk in done.results,
            has_measures=pk in done.measures,
            oit_ready=None if done.oit_ready is None else done.oit_ready.get(pk, 0),
        )
        rows.append(row)
    return current, rows


# --- choices for the filters --------------------------------------------------------------


def filter_choices(agencies: QuerySet[Agency], province: str) -> dict[str, list[Any]]:
    """Return the provinces, districts (of the chosen province) and types found in a set."""
    plain = agencies.order_by()
    provinces = sorted(plain.values_list("province", flat=True).distinct())
    districts = (
        sorted(
            d
            for d in plain.filter(province=province).values_list("district", flat=True).distinct()
            if d
        )
        if province
        else []
    )
    present = set(plain.values_list("agency_type", flat=True).distinct())
    types = [(value, label) for value, label in AgencyType.choices if value in present]
    return {"provinces": provinces, "districts": districts, "types": types}
