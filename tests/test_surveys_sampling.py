"""The minimum sample of a self-assessment survey is a rule in each year's framework file."""

from __future__ import annotations

from pathlib import Path

import pytest

from ita.catalog.loader import FrameworkError, load_all, parse_framework
from ita.catalog.schema import SamplingRule

YEARS = range(2563, 2569)


@pytest.mark.parametrize("year", YEARS)
def test_every_year_has_a_marked_sampling_rule_for_each_perception_tool(year: int) -> None:
    fw = load_all()[year].framework
    assert fw.sampling is not None
    perception = {t.code for t in fw.tools if t.kind == "perception"}
    assert {r.tool for r in fw.sampling.rules} == perception
    assert {r.audience for r in fw.sampling.rules} == {"internal", "external"}
    assert fw.sampling.confidence_of("rules") == "unverified-configurable"


@pytest.mark.parametrize(
    ("population", "expected"),
    [(None, 30), (0, 0), (12, 12), (30, 30), (299, 30), (301, 31), (1234, 124), (4000, 400)],
)
def test_a_share_rule_has_a_floor_a_ceiling_and_never_asks_for_more_than_everyone(
    population: int | None, expected: int
) -> None:
    rule = SamplingRule(
        tool="EIT", audience="external", population_th="x", share=0.1, minimum=30, maximum=400
    )
    assert rule.minimum_for(population) == expected


def test_a_floor_only_rule_asks_for_everyone_below_the_floor() -> None:
    rule = SamplingRule(tool="IIT", audience="internal", population_th="x", minimum=25)
    assert [rule.minimum_for(n) for n in (10, 25, 26, 500)] == [10, 25, 25, 25]


def _with_sampling(block: str) -> str:
    text = (Path(__file__).resolve().parents[1] / "frameworks" / "ita-2568.yaml").read_text(
        encoding="utf-8"
    )
    head = text.split("\nsampling:\n")[0]
    return head + "\nsampling:\n" + block


def test_a_sampling_rule_for_a_tool_that_is_not_a_perception_tool_is_refused() -> None:
    text = _with_sampling(
        "  rules:\n    - {tool: OIT, audience: internal, population_th: x, minimum: 3}\n",
    )
    with pytest.raises(FrameworkError) as fault:
        parse_framework(text, "x.yaml")
    assert "sampling.rules[0].tool" in str(fault.value)


def test_a_maximum_below_the_minimum_is_refused_with_its_path() -> None:
    text = _with_sampling(
        "  rules:\n    - {tool: EIT, audience: external, population_th: x, minimum: 30,"
        " maximum: 20}\n",
    )
    with pytest.raises(FrameworkError) as fault:
        parse_framework(text, "x.yaml")
    assert "sampling.rules[0].maximum" in str(fault.value)


def test_a_framework_without_a_sampling_section_is_still_valid() -> None:
    text = _with_sampling("").replace("\nsampling:\n", "\n")
    assert parse_framework(text, "x.yaml").sampling is None
