"""National scale: the batch path over many chunks and threads, and the synthetic nation."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ita.catalog.loader import get_framework
from ita.cli.national import parse_years
from ita.demo import national
from ita.scoring import batch
from ita.scoring.batch import count_answers_batch, score_answers_batch
from ita.scoring.engine import ScoringInputError, score_answers
from ita.scoring.spec import ScoringSpec

SPEC = ScoringSpec.from_framework(get_framework(2568))


def _answers(rng: np.random.Generator, n: int, agencies: int, tool: str) -> tuple[Any, Any]:
    fields = SPEC.fields(tool)
    options = np.array([len(f.values) for f in fields])
    matrix = (rng.random((n, len(fields))) * options).astype(np.uint8)
    return rng.integers(0, agencies, n).astype(np.int32), matrix


def test_counting_in_chunks_and_threads_gives_the_same_counts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(7)
    who, matrix = _answers(rng, 1000, 13, "IIT")
    whole = count_answers_batch(SPEC, "IIT", who.astype(np.int64), matrix.astype(np.int64), 13)
    monkeypatch.setattr(batch, "CHUNK_ROWS", 37)
    for order in (np.arange(len(who)), np.argsort(who, kind="stable")):
        for workers in (1, 3):
            chunked = count_answers_batch(SPEC, "IIT", who[order], matrix[order], 13, workers)
            assert np.array_equal(chunked.options, whole.options)
            assert np.array_equal(chunked.unfavourable, whole.unfavourable)
            assert np.array_equal(chunked.respondents, whole.respondents)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), chunk=st.integers(1, 9), workers=st.integers(1, 2))
def test_chunked_batch_equals_the_reference_path(seed: int, chunk: int, workers: int) -> None:
    rng = np.random.default_rng(seed)
    agencies = 3
    answers = {
        t.code: _answers(rng, int(rng.integers(0, 25)), agencies, t.code)
        for t in SPEC.perception_tools()
    }
    before = batch.CHUNK_ROWS
    batch.CHUNK_ROWS = chunk
    try:
        result = score_answers_batch(SPEC, answers, agencies, workers=workers)
    finally:
        batch.CHUNK_ROWS = before
    column = {item.code: k for k, item in enumerate(SPEC.items)}
    for agency in range(agencies):
        responses = {}
        for tool, (who, matrix) in answers.items():
            fields = SPEC.fields(tool)
            people = []
            for row in matrix[who == agency]:
                person: dict[str, list[int]] = {}
                for f, option in zip(fields, row.tolist(), strict=True):
                    person.setdefault(f.item, []).append(option)
                people.append(person)
            responses[tool] = people
        reference = score_answers(SPEC, responses)
        for code, value in reference.items.items():
            assert result.items[agency, column[code]] == value, code
            assert result.findings[agency, column[code]] == reference.findings[code], code


def test_an_answer_out_of_range_is_named_by_its_first_cell() -> None:
    fields = SPEC.fields("EIT")
    matrix = np.zeros((3, len(fields)), dtype=np.uint8)
    matrix[2, 1] = 9
    matrix[1, 4] = 7
    with pytest.raises(ScoringInputError, match=f"respondent 2: answer 7 to {fields[4].item}"):
        count_answers_batch(SPEC, "EIT", [0, 0, 0], matrix, 1)
    signed = np.zeros((1, len(fields)), dtype=np.int8)
    signed[0, 0] = -1
    with pytest.raises(ScoringInputError, match="answer -1"):
        count_answers_batch(SPEC, "EIT", [0], signed, 1)


# --- the synthetic nation -------------------------------------------------------------------


def test_the_nation_has_the_published_mix_of_agencies() -> None:
    agencies = national.plan_agencies(11, 1.0)
    counts = Counter(a.agency_type for a in agencies)
    assert len(agencies) == national.NATION
    assert counts == dict(national.TYPE_COUNTS)
    assert len({a.code for a in agencies}) == len(agencies)
    assert len({(a.province, a.name) for a in agencies}) == len(agencies)
    pao = [a for a in agencies if a.agency_type == "pao"]
    assert len({a.province for a in pao}) == len(pao)  # one per province
    assert all(a.name.startswith("องค์การบริหารส่วนจังหวัด") for a in pao)


def test_a_smaller_nation_keeps_the_proportions() -> None:
    counts = dict(national.type_counts(0.01))
    assert sum(counts.values()) == round(national.NATION * 0.01)
    assert counts["sao"] > counts["subdistrict_municipality"] > counts["government"]


def test_the_same_seed_gives_the_same_nation_and_answers() -> None:
    specs = {y: ScoringSpec.from_framework(get_framework(y)) for y in (2567, 2568)}
    first = national.nation_results(5, 0.004, (2567, 2568), specs.__getitem__)
    again = national.nation_results(5, 0.004, (2567, 2568), specs.__getitem__)
    other = national.nation_results(6, 0.004, (2567, 2568), specs.__getitem__)
    assert first[0] == again[0]
    for a, b in zip(first[1], again[1], strict=True):
        assert np.array_equal(a.indicators, b.indicators, equal_nan=True)
        assert a.levels == b.levels
    for tool in first[2]:
        assert np.array_equal(first[2][tool][1], again[2][tool][1])
    assert first[0] != other[0]
    respondents = sum(len(who) for who, _m in first[2].values())
    assert respondents == pytest.approx(national.RESPONDENTS * 0.004, abs=2)
    # the answers year is what the batch path makes of the answers
    items = first[1][-1].items
    assert items is not None
    oit = national.disclosure_only(specs[2568], items)
    result = score_answers_batch(specs[2568], first[2], len(first[0]), official_items=oit)
    assert np.array_equal(result.totals, first[1][-1].totals, equal_nan=True)


def test_years_are_read_as_ranges_and_lists() -> None:
    assert parse_years("2564-2566") == [2564, 2565, 2566]
    assert parse_years("๒๕๖๘,2566") == [2566, 2568]


def _digest() -> str:
    from ita.assessments.models import Assessment, IndicatorScore
    from ita.demo.national_db import national_agencies

    agencies = list(
        national_agencies()
        .order_by("itas_code")
        .values_list("itas_code", "name_th", "province", "agency_type")
    )
    results = list(
        Assessment.objects.filter(agency__in=national_agencies().values("pk"))
        .order_by("agency__itas_code", "fiscal_year")
        .values_list("agency__itas_code", "fiscal_year", "total", "level", "published_total")
    )
    scores = list(
        IndicatorScore.objects.filter(assessment__agency__in=national_agencies().values("pk"))
        .order_by("assessment__agency__itas_code", "assessment__fiscal_year", "number")
        .values_list("score", flat=True)
    )
    return hashlib.sha256(repr((agencies, results, scores)).encode()).hexdigest()


@pytest.mark.django_db
def test_loading_the_nation_twice_with_the_same_seed_stores_the_same_data(
    frameworks_loaded: None, settings: Any, tmp_path: Path
) -> None:
    from ita.assessments.models import Assessment, ItemScore, Snapshot
    from ita.demo.national_db import NationExists, load_national, national_agencies

    settings.DATA_DIR = tmp_path
    summary = load_national(3, 0.002, (2566, 2567, 2568))
    assert summary.agencies == national_agencies().count() == round(national.NATION * 0.002)
    assert national_agencies().filter(is_demo=False).count() == 0
    assert summary.assessments == Assessment.objects.count() == 3 * summary.agencies
    assert Snapshot.objects.count() == summary.assessments
    assert not Assessment.objects.filter(total__isnull=True).exists()
    assert ItemScore.objects.filter(assessment__fiscal_year=2568).count() == summary.item_scores > 0
    digest = _digest()
    year, codes, answers = national.load_answers(Path(summary.answers_file))
    assert year == 2568 and len(codes) == summary.agencies
    official = national.load_official_items(Path(summary.answers_file))
    assert official is not None and official.shape[0] == summary.agencies
    with pytest.raises(NationExists):
        load_national(3, 0.002, (2566, 2567, 2568))
    load_national(3, 0.002, (2566, 2567, 2568), replace=True)
    assert _digest() == digest
    _year, _codes, again = national.load_answers(Path(summary.answers_file))
    for tool, (who, matrix) in answers.items():
        assert np.array_equal(who, again[tool][0]) and np.array_equal(matrix, again[tool][1])
