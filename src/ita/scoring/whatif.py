"""What-if: how raising indicator or item scores moves the total and the level.

* :func:`levers` ranks indicators (and items) by how much the total can still gain from them:
  weight × headroom. One point on an OIT indicator (weight 20) is worth more than one point on
  an IIT indicator (weight 6).
* :func:`simulate` scores the year again with some indicators or items raised.
* :func:`path_to_level` finds one cheapest way (fewest indicator points) to reach a level under
  that year's rule: first lift each tool that is below the level's per-tool minimum, then lift
  the total, always spending points where the weight is highest.

Pure functions over the engine; no Django.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from ita.scoring.engine import (
    _UNIT,
    SCORE_MAX,
    OfficialScores,
    ScoreResult,
    round2,
    score_official,
    weighted_mean,
)
from ita.scoring.spec import LevelSpec, ScoringSpec


@dataclass(frozen=True)
class Lever:
    """An indicator or item and what raising it can do for the total."""

    key: str  # "9" for an indicator, "E10" for an item
    indicator: int
    tool: str
    score: float
    points_per_point: float  # total points gained per point of this score
    headroom: float  # points this score can still rise

    @property
    def max_gain(self) -> float:
        return self.points_per_point * self.headroom


def _share_of_indicator(spec: ScoringSpec, code: str) -> float:
    item = spec.item(code)
    codes = spec.indicator(item.indicator).items
    return item.weight / sum(spec.item(c).weight for c in codes)


def levers(spec: ScoringSpec, result: ScoreResult) -> list[Lever]:
    """Return indicators and items ranked by the most the total can gain from them."""
    total_weight = sum(i.weight for i in spec.indicators)
    found: list[Lever] = []
    for ind in spec.indicators:
        score = result.indicators.get(ind.number)
        if score is None:
            continue
        per_point = ind.weight / total_weight
        found.append(
            Lever(str(ind.number), ind.number, ind.tool, score, per_point, SCORE_MAX - score)
        )
    for code, score in result.items.items():
        item = spec.item(code)
        ind = spec.indicator(item.indicator)
        per_point = _share_of_indicator(spec, code) * ind.weight / total_weight
        found.append(Lever(code, ind.number, ind.tool, score, per_point, SCORE_MAX - score))
    return sorted(found, key=lambda lever: (-lever.max_gain, lever.key))


def simulate(
    spec: ScoringSpec,
    base: ScoreResult,
    indicators: Mapping[int, float] | None = None,
    items: Mapping[str, float] | None = None,
) -> ScoreResult:
    """Score the year again with some indicator or item scores changed.

    An item change moves its indicator by the item's share of it, starting from the indicator
    score the result already has (which may be official), so official figures stay the base.
    """
    scores = {n: v for n, v in base.indicators.items() if v is not None}
    for code, new in (items or {}).items():
        old = base.items.get(code)
        number = spec.item(code).indicator
        if old is None or number not in scores:
            continue
        shifted = scores[number] + (new - old) * _share_of_indicator(spec, code)
        scores[number] = min(SCORE_MAX, max(0.0, shifted))
    scores.update(indicators or {})
    return score_official(spec, OfficialScores(indicators=scores))


def next_level(spec: ScoringSpec, current: LevelSpec | None) -> LevelSpec | None:
    """Return the level just above ``current`` (None when it is the top one)."""
    names = [rule.name for rule in spec.levels]
    if current is None or current.name not in names:
        return None
    index = names.index(current.name)
    return spec.levels[index - 1] if index > 0 else None


@dataclass(frozen=True)
class Step:
    indicator: int
    before: float
    after: float

    @property
    def raise_by(self) -> float:
        return round2(self.after - self.before)


@dataclass(frozen=True)
class Plan:
    target: LevelSpec
    steps: tuple[Step, ...]
    result: ScoreResult

    @property
    def points(self) -> float:
        return round2(sum(s.raise_by for s in self.steps))


_SLACK = 1e-9  # binary rounding residue, far below a hundredth of a point


def _ceil2(value: float) -> float:
    """Round up to hundredths, ignoring binary residue (95.00000000001 stays 95.00)."""
    return math.ceil(value * _UNIT - _SLACK * _UNIT * 1000) / _UNIT


def _fill_level(scores: list[float], weight: float, points: float) -> float:
    """Return the level L that lifting every score below it to L costs ``points`` (Σ w·rise)."""
    ordered = sorted(scores)
    for count in range(1, len(ordered) + 1):
        level = (points / weight + sum(ordered[:count])) / count
        if count == len(ordered) or level <= ordered[count]:
            return min(level, SCORE_MAX)
    return SCORE_MAX


def _lift(
    spec: ScoringSpec,
    scores: dict[int, float],
    numbers: list[int],
    weighted_points: float,
) -> bool:
    """Raise indicators by ``weighted_points`` (Σ weight × rise) at the least cost in points.

    Points go where the weight is highest; among indicators of the same weight the lowest are
    raised first, up to a common level. Rises are rounded up to hundredths, so the target is
    met after rounding too. Returns False when even 100s do not give enough.
    """
    remaining = weighted_points
    for weight in sorted({spec.indicator(n).weight for n in numbers}, reverse=True):
        if remaining <= _SLACK:
            break
        group = [n for n in numbers if spec.indicator(n).weight == weight]
        level = _fill_level([scores[n] for n in group], weight, remaining)
        for number in group:
            if scores[number] < level:
                rise = min(SCORE_MAX - scores[number], _ceil2(level - scores[number]))
                scores[number] = round2(scores[number] + rise)
                remaining -= rise * weight
    return remaining <= _SLACK


def path_to_level(spec: ScoringSpec, result: ScoreResult, target: LevelSpec) -> Plan | None:
    """Return one cheapest way to reach ``target``, or None when 100s would not be enough."""
    if any(v is None for v in result.indicators.values()):
        return None
    # Plan from the two-decimal scores people see, so every step adds up on screen.
    start = {n: round2(v) for n, v in result.indicators.items() if v is not None}
    scores = dict(start)
    if target.each_tool_min is not None:
        for tool in spec.tools:
            numbers = list(tool.indicators)
            weights = [spec.indicator(n).weight for n in numbers]
            current = weighted_mean([scores[n] for n in numbers], weights)
            gap = target.each_tool_min - current
            if gap > 0 and not _lift(spec, scores, numbers, gap * sum(weights)):
                return None
    all_numbers = [i.number for i in spec.indicators]
    weights = [i.weight for i in spec.indicators]
    gap = target.total_min - weighted_mean([scores[n] for n in all_numbers], weights)
    if gap > 0 and not _lift(spec, scores, all_numbers, gap * sum(weights)):
        return None
    outcome = score_official(spec, OfficialScores(indicators=scores))
    ranks = [rule.name for rule in spec.levels]
    if outcome.level is None or ranks.index(outcome.level.name) > ranks.index(target.name):
        return None
    steps = tuple(Step(n, start[n], scores[n]) for n in all_numbers if scores[n] > start[n])
    return Plan(target, steps, outcome)
