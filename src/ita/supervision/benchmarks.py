"""Peer benchmarks: where an agency stands among agencies of its type, its province and the nation.

For each indicator (and the total) of one fiscal year, an agency's **percentile** in a peer
group is the share of the group scoring below it plus half of those scoring the same, in
percent (ties are common: many agencies score 100 on OIT indicators). Scores are compared as
printed (two decimals). The agency counts in its own group; a group of fewer than
``MIN_PEERS`` agencies with results is not shown. Demonstration agencies are compared only
with demonstration agencies, real ones only with real ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from django.utils.translation import gettext as _

from ita.agencies.models import Agency, AgencyType
from ita.scoring.batch import round2_array
from ita.scoring.spec import ScoringSpec
from ita.supervision.yeartable import YearTable

MIN_PEERS = 5  # not-domain: smallest group worth a percentile


@dataclass(frozen=True)
class Position:
    percentile: float | None  # None: no score for the agency
    median: float | None
    count: int  # agencies of the group with a score


@dataclass(frozen=True)
class PeerGroup:
    key: str  # "type", "province" or "nation"
    label: str
    count: int  # agencies of the group with results this year
    positions: tuple[Position, ...]  # one per row of PeerTable.rows


@dataclass(frozen=True)
class PeerRow:
    label: str
    score: float | None


@dataclass(frozen=True)
class PeerTable:
    fiscal_year: int
    rows: tuple[PeerRow, ...]  # indicators in the year's order, then the total
    groups: tuple[PeerGroup, ...]  # only groups of at least MIN_PEERS agencies


def percentile(values: npt.NDArray[np.float64], value: float) -> float:
    """Return the percentile rank of ``value`` among ``values`` (NaN ignored), ties halved."""
    known = values[~np.isnan(values)]
    below = int((known < value).sum())
    equal = int((known == value).sum())
    return 100.0 * (below + 0.5 * equal) / len(known)


def _position(column: npt.NDArray[np.float64], value: float) -> Position:
    known = column[~np.isnan(column)]
    if np.isnan(value) or known.size == 0:
        return Position(None, float(np.median(known)) if known.size else None, int(known.size))
    return Position(percentile(known, value), float(np.median(known)), int(known.size))


def peer_table(
    table: YearTable,
    spec: ScoringSpec,
    agency: Agency,
    own: Sequence[float | None] | None = None,
) -> PeerTable | None:
    """Return the agency's positions in the year, or None when it has no result that year.

    ``own`` (the indicators in the year's order, then the total) replaces the agency's row of
    the table: the dashboard passes the result it shows, which may be newer than the table.
    """
    row = table.row_of(agency.pk)
    # Every score as printed, the total last.
    scores = round2_array(np.column_stack([table.indicators, table.totals]))
    if own is not None:
        mine = round2_array(np.array([np.nan if v is None else float(v) for v in own]))
    elif row is not None:
        mine = scores[row]
    else:
        return None
    if np.isnan(mine).all():
        return None
    others = ~np.isnan(table.totals) & (table.is_demo == agency.is_demo)
    if row is not None:
        others[row] = False
    type_label = (
        AgencyType(agency.agency_type).label
        if agency.agency_type in AgencyType.values
        else agency.agency_type
    )
    groups_spec = [
        ("type", type_label, table.agency_types == agency.agency_type),
        ("province", agency.province, table.provinces == agency.province),
        ("nation", _("all agencies"), np.ones(len(table), dtype=bool)),
    ]
    groups = []
    for key, label, mask in groups_spec:
        members = mask & others
        count = int(members.sum()) + 1  # and the agency itself
        if count < MIN_PEERS:
            continue
        positions = tuple(
            _position(np.append(scores[members, k], mine[k]), float(mine[k]))
            for k in range(scores.shape[1])
        )
        groups.append(PeerGroup(key, str(label), count, positions))
    labels = [f"{ind.number}. {ind.name_th}" for ind in spec.indicators] + [_("Total")]
    rows = tuple(
        PeerRow(label, None if np.isnan(mine[k]) else float(mine[k]))
        for k, label in enumerate(labels)
    )
    return PeerTable(table.fiscal_year, rows, tuple(groups))
