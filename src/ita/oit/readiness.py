"""What the OIT checklist would score: ready items passing, the rest failing, through the engine.

Assumption (DOMAIN.md §6, unverified-configurable): an OIT item is all-or-nothing — 100 when the
assessor finds every required element at the submitted address, 0 otherwise. Here an item the
agency has marked ready (or submitted) with at least one address and no broken link counts 100;
every other item counts 0. Indicators 9 and 10 and the OIT score then follow from the engine
with the item weights of the year's framework file, and the total and level from the engine with
the year's IIT/EIT indicator scores when they are known.

Pure: no Django, so it can be tested and reused without a database.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from ita.scoring.engine import SCORE_MAX, SCORE_MIN, OfficialScores, ScoreResult, score_official
from ita.scoring.spec import ScoringSpec
from ita.scoring.whatif import levers


@dataclass(frozen=True)
class Readiness:
    """The engine's result with the checklist's items, and what each failing item costs."""

    result: ScoreResult
    disclosure_tool: str  # the code of the tool the checklist belongs to
    costs: Mapping[str, float]  # failing item → total points it would add if it passed
    best: ScoreResult  # every item passing

    @property
    def oit_score(self) -> float | None:
        return self.result.tools.get(self.disclosure_tool)

    @property
    def total(self) -> float | None:
        return self.result.total

    @property
    def missing_points(self) -> float:
        """Return the total points the failing items cost together."""
        return sum(self.costs.values())


def disclosure_items(spec: ScoringSpec) -> list[str]:
    """Return the codes of the items of the year's disclosure (OIT) tools, in file order."""
    return [code for tool in spec.tools if tool.kind == "disclosure" for code in tool.items]


def perception_indicators(spec: ScoringSpec, result: ScoreResult) -> dict[int, float]:
    """Return the known indicator scores of the perception tools (IIT, EIT) of a result."""
    found: dict[int, float] = {}
    for tool in spec.perception_tools():
        for number in tool.indicators:
            value = result.indicators.get(number)
            if value is not None:
                found[number] = value
    return found


def readiness(
    spec: ScoringSpec, passing: Collection[str], perception: Mapping[int, float]
) -> Readiness:
    """Score the year with the ``passing`` OIT items at 100, the others at 0.

    ``perception`` holds the IIT/EIT indicator scores to combine with (official or computed
    from items); without them the engine gives the OIT score but no total.
    """
    codes = disclosure_items(spec)
    items = {code: SCORE_MAX if code in passing else SCORE_MIN for code in codes}
    result = score_official(spec, OfficialScores(indicators=dict(perception), items=items))
    per_point = {lever.key: lever.points_per_point for lever in levers(spec, result)}
    costs = {code: per_point[code] * SCORE_MAX for code in codes if code not in passing}
    best = score_official(
        spec,
        OfficialScores(indicators=dict(perception), items=dict.fromkeys(codes, SCORE_MAX)),
    )
    tool = next((t.code for t in spec.tools if t.kind == "disclosure"), "")
    return Readiness(result=result, disclosure_tool=tool, costs=costs, best=best)
