"""Scoring raw IIT/EIT answers: values per scale and polarity, findings, and refusals."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ita.scoring.engine import (
    OfficialScores,
    ScoringInputError,
    count_answers,
    round2,
    score_answers,
)
from ita.scoring.spec import ScoringSpec

Spec = Callable[[int], ScoringSpec]
L4_LEAST, L4_LITTLE, L4_MUCH, L4_MOST = 0, 1, 2, 3  # option indexes of the L4 scale
YES, NO = 0, 1  # option indexes of the YN scale


def full_answers(spec: ScoringSpec, tool: str, option: int) -> dict[str, list[int]]:
    """Return one respondent answering the same option (the best one for each item's scale)."""
    answers = {}
    for code in spec.tool(tool).items:
        item = spec.item(code)
        answers[code] = [min(option, len(f.values) - 1) for f in item.fields]
    return answers


def best_answers(spec: ScoringSpec, tool: str) -> dict[str, list[int]]:
    """Return a respondent whose every answer is worth 100."""
    return {
        code: [f.values.index(max(f.values)) for f in spec.item(code).fields]
        for code in spec.tool(tool).items
    }


def test_seed_000_i9_pair_reproduces_from_33_answers(spec: Spec) -> None:
    s = spec(2566)
    people = [best_answers(s, "IIT") for _ in range(33)]
    for person in people[:2]:
        person["I9"] = [L4_LEAST]  # two staff: the budget is not spent as intended
    counts = count_answers(s, "IIT", people)
    result = score_answers(s, {"IIT": people})
    assert counts.respondents == 33
    assert round2(result.items["I9"]) == 93.94  # S0 prints คะแนน ๙๓.๙๔
    assert round2(result.findings["I9"]) == 6.06  # and "เจ้าหน้าที่ในหน่วยงาน ๖.๐๖ %"


def test_a_reversed_item_scores_its_most_as_zero(spec: Spec) -> None:
    s = spec(2566)
    people = [best_answers(s, "IIT") for _ in range(33)]
    people[0]["I16"] = [L4_MOST]  # "ordered to run the superior's errands: most" is bad
    result = score_answers(s, {"IIT": people})
    assert s.item("I16").fields[0].polarity == "negative"
    assert round2(result.items["I16"]) == 96.97  # S0: คะแนน ๙๖.๙๗, finding ๓.๐๓ %
    assert round2(result.findings["I16"]) == 3.03


def test_a_yes_no_item_scores_the_share_of_yes(spec: Spec) -> None:
    s = spec(2566)
    people = [best_answers(s, "EIT") for _ in range(47)]
    for person in people[:16]:
        person["E10"] = [NO]  # no complaint channel known
    result = score_answers(s, {"EIT": people})
    # S0 prints 66.00 with a finding of 34.04 %: the official EIT aggregation is not a plain
    # mean (DOMAIN.md §6); a plain mean of 47 answers gives 65.96.
    assert round2(result.items["E10"]) == 65.96
    assert round2(result.findings["E10"]) == 34.04


def test_a_sub_question_item_averages_its_fields_and_counts_a_respondent_once(spec: Spec) -> None:
    s = spec(2564)
    assert len(s.item("I1").fields) == 2
    people = [best_answers(s, "IIT") for _ in range(4)]
    people[0]["I1"] = [L4_LITTLE, L4_LEAST]  # both unfavourable: counts once
    people[1]["I1"] = [L4_MUCH, L4_MOST]
    result = score_answers(s, {"IIT": people})
    values = s.item("I1").fields[0].values
    expected = (values[1] + values[0] + values[2] + values[3] + 4 * values[3]) / 8
    assert result.items["I1"] == pytest.approx(expected)
    assert result.findings["I1"] == 25.0


def test_a_mixed_item_reverses_only_its_negative_sub_question(spec: Spec) -> None:
    s = spec(2564)
    fields = s.item("I11").fields
    assert [f.polarity for f in fields] == ["positive", "negative"]
    assert fields[0].values[L4_MOST] == 100
    assert fields[1].values[L4_MOST] == 0


def test_answers_with_official_oit_give_a_total_marked_as_an_estimate(spec: Spec) -> None:
    s = spec(2566)
    result = score_answers(
        s,
        {"IIT": [best_answers(s, "IIT")] * 5, "EIT": [best_answers(s, "EIT")] * 5},
        OfficialScores(indicators={9: 100.0, 10: 100.0}),
    )
    assert result.basis == "answers"
    assert result.total == 100.0
    assert result.level is not None
    assert result.level.name == "ผ่านดีเยี่ยม"
    assert result.notices[0].code == "estimate"
    assert result.respondents == {"IIT": 5, "EIT": 5}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda a: a.pop("I1"), "respondent 1: I1 needs 2 answer"),
        (lambda a: a.update(I1=[0]), "respondent 1: I1 needs 2 answer"),
        (lambda a: a.update(I2=[4]), "answer 4 to I2 is not an option"),
        (lambda a: a.update(I2=[-1]), "answer -1 to I2 is not an option"),
        (lambda a: a.update(E1=[0]), "E1 not in IIT"),
    ],
)
def test_bad_answers_are_refused(
    spec: Spec, change: Callable[[dict[str, list[int]]], object], message: str
) -> None:
    s = spec(2564)
    answers = best_answers(s, "IIT")
    change(answers)
    with pytest.raises(ScoringInputError, match=message):
        score_answers(s, {"IIT": [answers]})


def test_answers_and_official_scores_for_the_same_tool_are_refused(spec: Spec) -> None:
    s = spec(2566)
    with pytest.raises(ScoringInputError, match="both answers and official scores"):
        score_answers(s, {"IIT": [best_answers(s, "IIT")]}, OfficialScores(items={"I9": 50.0}))


def test_no_respondents_give_no_scores(spec: Spec) -> None:
    result = score_answers(spec(2566), {"IIT": []})
    assert result.respondents == {"IIT": 0}
    assert result.indicators[1] is None
