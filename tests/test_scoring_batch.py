"""The NumPy batch path agrees exactly (to the bit) with the reference path."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ita.catalog.loader import get_framework
from ita.scoring.batch import score_answers_batch, score_indicators_batch
from ita.scoring.engine import OfficialScores, score_answers, score_official
from ita.scoring.spec import ScoringSpec

SPECS = {y: ScoringSpec.from_framework(get_framework(y)) for y in (2564, 2565, 2566, 2568)}
Spec = Callable[[int], ScoringSpec]

# Official scores are printed with two decimals: draw hundredths.
printed_score = st.integers(min_value=0, max_value=10_000).map(lambda h: h / 100)


def same(a: float | None, b: float) -> bool:
    """True when the reference value (None = unknown) and the batch value are the same float."""
    return (a is None and math.isnan(b)) or a == b


@settings(max_examples=300, deadline=None)
@given(
    year=st.sampled_from(sorted(SPECS)),
    rows=st.lists(st.lists(printed_score, min_size=10, max_size=10), min_size=1, max_size=8),
)
def test_indicator_batch_equals_reference(year: int, rows: list[list[float]]) -> None:
    spec = SPECS[year]
    batch = score_indicators_batch(spec, np.array(rows))
    names = batch.level_names(spec)
    for r, row in enumerate(rows):
        indicators = dict(zip(range(1, 11), row, strict=True))
        ref = score_official(spec, OfficialScores(indicators=indicators))
        assert ref.total == batch.totals[r]
        assert [ref.tools[t.code] for t in spec.tools] == batch.tools[r].tolist()
        assert (ref.level.name if ref.level else None) == names[r]
        assert ref.passed == bool(batch.passed[r])


@st.composite
def survey(
    draw: st.DrawFn,
) -> tuple[int, int, dict[str, tuple[list[int], list[list[int]]]], list[list[float]]]:
    year = draw(st.sampled_from(sorted(SPECS)))
    spec = SPECS[year]
    n_agencies = draw(st.integers(min_value=1, max_value=4))
    answers = {}
    for tool in spec.perception_tools():
        fields = spec.fields(tool.code)
        n = draw(st.integers(min_value=0, max_value=12))
        agency = draw(st.lists(st.integers(0, n_agencies - 1), min_size=n, max_size=n))
        matrix = [[draw(st.integers(0, len(f.values) - 1)) for f in fields] for _ in range(n)]
        answers[tool.code] = (agency, matrix)
    oit = draw(
        st.lists(
            st.lists(printed_score, min_size=2, max_size=2),
            min_size=n_agencies,
            max_size=n_agencies,
        )
    )
    return year, n_agencies, answers, oit


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(survey())
def test_answer_batch_equals_reference(
    case: tuple[int, int, dict[str, tuple[list[int], list[list[int]]]], list[list[float]]],
) -> None:
    year, n_agencies, answers, oit = case
    spec = SPECS[year]
    ind_columns = [
        k for k, i in enumerate(spec.indicators) if spec.tool(i.tool).kind == "disclosure"
    ]
    official_ind = np.full((n_agencies, len(spec.indicators)), np.nan)
    official_ind[:, ind_columns] = np.array(oit)
    matrices = {
        tool: (
            np.array(who, dtype=np.int64),
            np.array(rows, dtype=np.int64).reshape(len(who), len(spec.fields(tool))),
        )
        for tool, (who, rows) in answers.items()
    }
    batch = score_answers_batch(spec, matrices, n_agencies, official_indicators=official_ind)
    names = batch.level_names(spec)
    item_column = {item.code: k for k, item in enumerate(spec.items)}
    for agency in range(n_agencies):
        responses = {}
        for tool, (who, matrix) in answers.items():
            fields = spec.fields(tool)
            rows = [matrix[r] for r in range(len(who)) if who[r] == agency]
            people = []
            for row in rows:
                person: dict[str, list[int]] = {}
                for f, option in zip(fields, row, strict=False):
                    person.setdefault(f.item, []).append(option)
                people.append(person)
            responses[tool] = people
        disclosure = {spec.indicators[k].number: oit[agency][j] for j, k in enumerate(ind_columns)}
        ref = score_answers(spec, responses, OfficialScores(indicators=disclosure))
        for code, value in ref.items.items():
            assert batch.items[agency, item_column[code]] == value, code
            assert batch.findings[agency, item_column[code]] == ref.findings[code], code
        for k, ind in enumerate(spec.indicators):
            assert same(ref.indicators[ind.number], batch.indicators[agency, k]), ind.number
        assert same(ref.total, batch.totals[agency])
        assert (ref.level.name if ref.level else None) == names[agency]


def test_an_agency_without_respondents_has_no_scores() -> None:
    spec = SPECS[2566]
    fields = spec.fields("IIT")
    batch = score_answers_batch(
        spec, {"IIT": (np.array([0]), np.zeros((1, len(fields)), dtype=np.int64))}, n_agencies=2
    )
    first = {item.code: k for k, item in enumerate(spec.items)}["I1"]
    assert not np.isnan(batch.items[0, first])
    assert np.isnan(batch.items[1, first])
    assert batch.level_index[1] == -1
