"""What-if: levers ranked by weight × headroom, and the cheapest way to the next level."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ita.scoring.engine import OfficialScores, round2, score_official
from ita.scoring.spec import ScoringSpec
from ita.scoring.whatif import levers, next_level, path_to_level, simulate
from tests.conftest import S0_ITEMS, S1_INDICATORS

Spec = Callable[[int], ScoringSpec]


def test_levers_rank_weight_times_headroom(spec: Spec) -> None:
    s = spec(2565)
    result = score_official(s, OfficialScores(indicators=S1_INDICATORS))
    ranked = levers(s, result)
    assert [lv.key for lv in ranked[:3]] == ["7", "8", "6"]  # EIT weight 10 with most room
    assert ranked[0].max_gain == pytest.approx((100 - 75.22) * 0.10)
    oit = next(lv for lv in ranked if lv.key == "9")
    assert oit.max_gain == 0


def test_an_item_lever_is_its_share_of_its_indicator(spec: Spec) -> None:
    s = spec(2566)
    result = score_official(s, OfficialScores(items=S0_ITEMS))
    e10 = next(lv for lv in levers(s, result) if lv.key == "E10")
    assert e10.points_per_point == pytest.approx(0.10 / 5)  # one of five items of indicator 7


def test_simulate_moves_an_indicator_by_an_item_share(spec: Spec) -> None:
    s = spec(2566)
    base = score_official(s, OfficialScores(items=S0_ITEMS))
    moved = simulate(s, base, items={"E10": 100.0})
    assert moved.indicators[7] == pytest.approx(base.indicators[7] + 34.0 / 5)  # type: ignore[operator]


@pytest.mark.parametrize(("year", "current", "target"), [(2565, "A", "AA"), (2568, "ผ่าน", "ผ่านดี")])
def test_next_level_is_the_one_above(spec: Spec, year: int, current: str, target: str) -> None:
    s = spec(year)
    level = next(r for r in s.levels if r.name == current)
    nxt = next_level(s, level)
    assert nxt is not None and nxt.name == target
    assert next_level(s, s.levels[0]) is None


def test_the_plan_to_good_pass_lifts_the_tools_below_85(spec: Spec) -> None:
    s = spec(2568)
    result = score_official(s, OfficialScores(indicators=S1_INDICATORS))
    target = next_level(s, result.level)
    assert target is not None
    plan = path_to_level(s, result, target)
    assert plan is not None
    assert plan.result.level is not None and plan.result.level.name == "ผ่านดี"
    assert {step.indicator for step in plan.steps} <= {2, 3, 4, 5, 6, 7, 8}
    assert all(round2(v) >= 85 for v in plan.result.tools.values() if v is not None)
    # IIT needs 5 × (85 − 80.888) = 20.56 points, EIT 3 × (85 − 78.6533) = 19.04: 39.60 at least
    assert plan.points == pytest.approx(39.6, abs=0.05)


def test_a_grade_plan_spends_points_on_the_heaviest_indicators(spec: Spec) -> None:
    s = spec(2565)
    result = score_official(s, OfficialScores(indicators=dict.fromkeys(range(1, 11), 70.0)))
    plan = path_to_level(s, result, next_level(s, result.level))  # type: ignore[arg-type]
    assert plan is not None
    assert [(st.indicator, st.after) for st in plan.steps] == [(9, 82.5), (10, 82.5)]  # weight 20


def test_an_unreachable_level_gives_no_plan(spec: Spec) -> None:
    s = spec(2568)
    low = dict.fromkeys(range(1, 11), 100.0) | {9: 0.0, 10: 0.0}
    result = score_official(s, OfficialScores(indicators=low))
    top = s.levels[0]
    plan = path_to_level(s, result, top)
    assert plan is not None  # OIT can still rise to 100
    assert path_to_level(s, score_official(s, OfficialScores(items=S0_ITEMS)), top) is None


indicator_scores = st.lists(st.integers(0, 10_000).map(lambda h: h / 100), min_size=10, max_size=10)


@settings(max_examples=200, deadline=None)
@given(year=st.sampled_from([2565, 2566, 2568]), scores=indicator_scores)
def test_every_plan_reaches_its_level_and_never_lowers_a_score(
    spec: Spec, year: int, scores: list[float]
) -> None:
    s = spec(year)
    result = score_official(
        s, OfficialScores(indicators=dict(zip(range(1, 11), scores, strict=True)))
    )
    target = next_level(s, result.level)
    if target is None:
        return
    plan = path_to_level(s, result, target)
    if plan is None:
        return
    ranks = [r.name for r in s.levels]
    assert plan.result.level is not None
    assert ranks.index(plan.result.level.name) <= ranks.index(target.name)
    assert all(step.after > step.before and step.after <= 100 for step in plan.steps)
