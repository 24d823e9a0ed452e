"""The engine against published numbers, the level rules of each scheme, and rounding."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ita.scoring.engine import (
    OfficialScores,
    ScoringInputError,
    round2,
    score_official,
)
from ita.scoring.spec import ScoringSpec
from tests.conftest import S0_ITEMS, S1_INDICATORS

Spec = Callable[[int], ScoringSpec]


def rounded(value: float | None) -> float | None:
    return None if value is None else round2(value)


def test_seed_001_indicators_give_87_86_and_level_a(spec: Spec) -> None:
    result = score_official(spec(2565), OfficialScores(indicators=S1_INDICATORS))
    assert rounded(result.total) == 87.86
    assert result.level is not None
    assert result.level.name == "A"
    assert result.passed is True
    assert {k: rounded(v) for k, v in result.tools.items()} == {
        "IIT": 80.89, "EIT": 78.65, "OIT": 100.00,
    }  # fmt: skip
    assert result.notices == ()


def test_seed_001_total_uses_thirty_thirty_forty_exactly(spec: Spec) -> None:
    result = score_official(spec(2565), OfficialScores(indicators=S1_INDICATORS))
    # 0.06·(88.81+75.15+82.16+78.08+80.24) + 0.10·(82.65+75.22+78.09) + 0.20·(100+100)
    assert result.total == pytest.approx(87.8624, abs=1e-9)


def test_seed_000_items_aggregate_to_indicators_with_2566_framework(spec: Spec) -> None:
    result = score_official(spec(2566), OfficialScores(items=S0_ITEMS))
    indicators = {n: rounded(v) for n, v in result.indicators.items()}
    # 6 = mean(E1..E4) (E5 not printed); 7 = mean(E6..E10); 8 = mean(E11..E15)
    assert indicators[6] == 82.24
    assert indicators[7] == 74.17
    assert indicators[8] == 75.92
    assert indicators[2] == 93.94  # I9 alone
    assert indicators[3] == 98.49  # I14, I16: (100 + 96.97) / 2 = 98.485, half-up
    assert indicators[4] == 100.00  # I21
    assert indicators[1] is None
    assert indicators[5] is None
    assert rounded(result.tools["EIT"]) == 77.44
    assert result.tools["IIT"] is None
    assert result.total is None
    assert result.level is None
    codes = [n.code for n in result.notices]
    assert codes.count("partial_indicator") == 4  # indicators 2, 3, 4 and 6
    assert "missing_indicator" in codes


def _indicators(iit: float, eit: float, oit: tuple[float, float]) -> dict[int, float]:
    scores = dict.fromkeys(range(1, 6), iit) | dict.fromkeys(range(6, 9), eit)
    return scores | {9: oit[0], 10: oit[1]}


def test_2568_total_94_64_with_eit_below_85_is_pass_not_good_pass(spec: Spec) -> None:
    indicators = _indicators(100.0, 84.5, (98.23, 98.22))
    result = score_official(spec(2568), OfficialScores(indicators=indicators))
    assert rounded(result.total) == 94.64
    assert result.level is not None
    assert result.level.name == "ผ่าน"


def test_2568_total_96_73_with_a_tool_below_95_is_good_pass(spec: Spec) -> None:
    indicators = _indicators(100.0, 91.0, (98.57, 98.58))
    result = score_official(spec(2568), OfficialScores(indicators=indicators))
    assert rounded(result.total) == 96.73
    assert all(v is not None and v >= 85 for v in result.tools.values())
    assert result.level is not None
    assert result.level.name == "ผ่านดี"


@pytest.mark.parametrize(
    ("total", "level"),
    [
        (100.0, "AA"), (95.0, "AA"), (94.99, "A"), (85.0, "A"), (84.99, "B"), (75.0, "B"),
        (74.99, "C"), (65.0, "C"), (55.0, "D"), (54.99, "E"), (50.0, "E"), (49.99, "F"),
        (40.0, "F"), (0.0, "F"),
    ],
)  # fmt: skip
def test_grade_bands_of_2565(spec: Spec, total: float, level: str) -> None:
    result = score_official(
        spec(2565), OfficialScores(indicators=_indicators(total, total, (total, total)))
    )
    assert rounded(result.total) == total
    assert result.level is not None
    assert result.level.name == level


@pytest.mark.parametrize(
    ("iit", "eit", "oit", "level"),
    [
        (95.0, 95.0, (95.0, 95.0), "ผ่านดีเยี่ยม"),
        (100.0, 94.99, (100.0, 100.0), "ผ่านดี"),
        (85.0, 85.0, (85.0, 85.0), "ผ่านดี"),
        (100.0, 84.99, (100.0, 100.0), "ผ่าน"),
        (84.99, 84.99, (84.99, 84.99), "ไม่ผ่าน"),
        (100.0, 100.0, (60.0, 60.0), "ไม่ผ่าน"),
    ],
)
def test_rating_rule_of_2566_looks_at_each_tool(
    spec: Spec, iit: float, eit: float, oit: tuple[float, float], level: str
) -> None:
    result = score_official(spec(2566), OfficialScores(indicators=_indicators(iit, eit, oit)))
    assert result.level is not None
    assert result.level.name == level


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (87.8624, 87.86), (87.865, 87.87), (98.485, 98.49), (0.005, 0.01), (84.994999, 84.99),
        (84.995, 85.0), (74.166, 74.17), (100.0, 100.0), (0.0, 0.0), (2 / 47 * 100, 4.26),
    ],
)  # fmt: skip
def test_round2_rounds_half_up_to_two_decimals(value: float, expected: float) -> None:
    assert round2(value) == expected


@pytest.mark.parametrize(("value", "expected"), [(1.005, 1.01), (2.675, 2.68), (84.985, 84.99)])
def test_decimal_halves_stored_just_under_in_binary_still_round_up(
    value: float, expected: float
) -> None:
    # These literals are stored a hair below the half (Python's round() gives 1.0, 2.67, 84.98).
    assert round(value, 2) != expected
    assert round2(value) == expected


def test_published_total_one_hundredth_off_is_rounding(spec: Spec) -> None:
    result = score_official(spec(2565), OfficialScores(indicators=S1_INDICATORS, total=87.87))
    assert [n.code for n in result.notices] == ["rounding"]
    assert "0.01" in str(result.notices[0])


def test_published_total_two_hundredths_off_is_a_disagreement(spec: Spec) -> None:
    result = score_official(spec(2565), OfficialScores(indicators=S1_INDICATORS, total=87.88))
    assert [n.code for n in result.notices] == ["disagreement"]


def test_seed_001_restated_total_86_81_is_flagged(spec: Spec) -> None:
    # S1's recommendations restate the total as ๘๖.๘๑ although it computes to 87.86.
    result = score_official(spec(2565), OfficialScores(indicators=S1_INDICATORS, total=86.81))
    assert "disagreement" in [n.code for n in result.notices]


def test_published_level_that_disagrees_is_flagged(spec: Spec) -> None:
    result = score_official(spec(2565), OfficialScores(indicators=S1_INDICATORS, level="AA"))
    assert [n.code for n in result.notices] == ["level_disagreement"]


def test_the_published_total_decides_the_level_at_a_boundary(spec: Spec) -> None:
    # Printed indicators recompute to 84.99 while NACC published 85.00: NACC's total counts.
    indicators = _indicators(84.99, 84.99, (84.99, 84.99))
    result = score_official(spec(2565), OfficialScores(indicators=indicators, total=85.0))
    assert result.level is not None
    assert result.level.name == "A"
    assert [n.code for n in result.notices] == ["rounding"]


def test_official_item_and_indicator_that_disagree_are_flagged(spec: Spec) -> None:
    official = OfficialScores(items={"I9": 93.94}, indicators={2: 80.0})
    result = score_official(spec(2566), official)
    assert result.indicators[2] == 80.0  # the official indicator wins
    assert "disagreement" in [n.code for n in result.notices]


@pytest.mark.parametrize(
    ("official", "message"),
    [
        (OfficialScores(indicators={11: 50.0}), "indicator 11 is not in the 2565 framework"),
        (OfficialScores(indicators={1: 100.5}), "outside 0–100"),
        (OfficialScores(indicators={1: float("nan")}), "not a number"),
        (OfficialScores(items={"X1": 50.0}), "item X1 is not in the 2565 framework"),
        (OfficialScores(findings={"O1": 5.0}), "finding for IIT/EIT question O1 is not in"),
        (OfficialScores(tools={"XYZ": 5.0}), "tool XYZ"),
        (OfficialScores(level="ผ่านดี"), "level 'ผ่านดี' does not exist in 2565"),
    ],
)
def test_bad_official_input_is_refused_with_a_reason(
    spec: Spec, official: OfficialScores, message: str
) -> None:
    with pytest.raises(ScoringInputError, match=message):
        score_official(spec(2565), official)


def test_json_shape_is_the_cli_contract(spec: Spec) -> None:
    data = score_official(spec(2565), OfficialScores(indicators=S1_INDICATORS)).to_json()
    assert list(data) == ["fiscal_year", "total", "level", "tools", "indicators", "warnings"]
    assert data["indicators"]["1"] == 88.81
    assert list(data["indicators"]) == [str(n) for n in range(1, 11)]
