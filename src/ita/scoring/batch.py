"""Score many agencies at once with NumPy; the results agree exactly with the engine.

Rows are agencies. Answers arrive as one matrix per perception tool: a respondent per row,
an answer field per column (in :meth:`ScoringSpec.fields` order), each cell the index of the
chosen option, plus a vector giving each respondent's agency (row index). Counting uses
``np.bincount`` (exact integers); everything after counting calls the engine's own arithmetic
functions on arrays, so each agency's numbers are the very floats the reference path computes.

Missing values are NaN (scores) or -1 (level index).
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ita.scoring.engine import (
    _FLOAT_SLACK,
    _UNIT,
    SCORE_MAX,
    SCORE_MIN,
    ScoringInputError,
    finding_denominator,
    finding_from_counts,
    item_score_from_counts,
    weighted_mean,
)
from ita.scoring.spec import FieldSpec, ScoringSpec

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# Respondents per bincount call: bounds the temporary index array (rows × fields × 8 bytes).
CHUNK_ROWS = 1 << 15


def round2_array(values: FloatArray) -> FloatArray:
    """Round half-up to two decimals, element-wise, with the engine's exact arithmetic."""
    result: FloatArray = np.floor(values * _UNIT + 0.5 + _FLOAT_SLACK) / _UNIT
    return result


@dataclass(frozen=True)
class BatchCounts:
    tool: str
    respondents: IntArray  # (agencies,)
    options: IntArray  # (agencies, fields, max options)
    unfavourable: IntArray  # (agencies, items of the tool): numerators of findings


@dataclass(frozen=True)
class BatchResult:
    fiscal_year: int
    items: FloatArray  # (agencies, spec.items)
    findings: FloatArray  # (agencies, spec.items); NaN for OIT items and without answers
    indicators: FloatArray  # (agencies, spec.indicators)
    tools: FloatArray  # (agencies, spec.tools)
    totals: FloatArray  # (agencies,)
    level_index: IntArray  # (agencies,) index into spec.levels, -1 when unknown
    passed: npt.NDArray[np.bool_]

    def level_names(self, spec: ScoringSpec) -> list[str | None]:
        return [spec.levels[i].name if i >= 0 else None for i in self.level_index.tolist()]


def count_answers_batch(
    spec: ScoringSpec,
    tool: str,
    agency: npt.ArrayLike,
    answers: npt.ArrayLike,
    n_agencies: int,
    workers: int = 1,
) -> BatchCounts:
    """Count one tool's answers per agency, field and option.

    The answer matrix may be of any integer type (``uint8`` keeps a national year's answers
    in a few tens of megabytes); it is never copied whole. Respondents sorted by agency count
    fastest, since each chunk then touches only the counters of the agencies it holds.
    """
    fields = spec.fields(tool)
    if not fields:
        raise ScoringInputError(
            f"แบบวัด {tool} ไม่มีข้อคำถามให้ตอบ", f"{tool} has no questions to answer"
        )
    agency_ix = np.asarray(agency)
    if agency_ix.dtype.kind not in "iu":
        agency_ix = agency_ix.astype(np.int64)
    matrix = np.asarray(answers)
    if matrix.dtype.kind not in "iu":
        matrix = matrix.astype(np.int64)
    if matrix.ndim != 2 or matrix.shape[1] != len(fields) or agency_ix.shape != matrix.shape[:1]:
        raise ScoringInputError(
            f"คำตอบของ {tool} ต้องเป็นตาราง ผู้ตอบ × {len(fields)} ช่อง",
            f"{tool} answers must be a respondents × {len(fields)} matrix "
            f"with one agency per respondent",
        )
    if agency_ix.size and (agency_ix.min() < 0 or agency_ix.max() >= n_agencies):
        raise ScoringInputError(
            "เลขหน่วยงานของผู้ตอบอยู่นอกช่วง", "a respondent's agency index is out of range"
        )
    n_options = np.array([len(f.values) for f in fields], dtype=np.int64)
    width = int(n_options.max())
    _check_options(tool, fields, matrix, n_options)

    n_fields = len(fields)
    stride = n_fields * width  # counters per agency
    options = np.zeros(n_agencies * stride, dtype=np.int64)
    offsets = np.arange(n_fields, dtype=np.intp) * width
    items = spec.tool(tool).items
    spans = _field_spans(spec, tool)
    multi = [j for j, (start, stop) in enumerate(spans) if stop - start > 1]
    any_rule = spec.finding_rule == "any_subquestion"
    unfavourable = np.zeros((n_agencies, len(items)), dtype=np.int64)
    lut = np.zeros((n_fields, width), dtype=bool)
    for fi, f in enumerate(fields):
        lut[fi, list(f.unfavourable)] = True
    flat_lut = lut.ravel()
    # membership[f, k]: field f is a sub-question of the k-th item with several of them
    membership = np.zeros((n_fields, len(multi)), dtype=np.float32)
    for k, j in enumerate(multi):
        membership[spans[j][0] : spans[j][1], k] = 1.0
    any_counts = np.zeros((n_agencies, len(multi)), dtype=np.int64)
    count_multi = any_rule and bool(multi)

    def count_chunk(start: int) -> tuple[int, int, IntArray, IntArray | None]:
        """Count one chunk of respondents: (first agency, last agency, counters)."""
        rows = matrix[start : start + CHUNK_ROWS]
        who = agency_ix[start : start + CHUNK_ROWS].astype(np.intp, copy=False)
        first, last = int(who.min()), int(who.max())
        local = who - first
        index = np.add(rows, offsets, dtype=np.intp)  # field × option counter of each answer
        per_item: IntArray | None = None
        if count_multi:
            # Unfavourable sub-answers per item and respondent (small integers, exact in
            # float32); a respondent counts once for an item when any is unfavourable.
            hits = membership.T @ flat_lut.take(index).astype(np.float32).T
            per_item = np.stack(
                [np.bincount(local, weights=row > 0, minlength=last - first + 1) for row in hits],
                axis=1,
            ).astype(np.int64)  # whole numbers, exact in float64
        index += (local * stride)[:, None]
        per_option = np.bincount(index.ravel(), minlength=(last - first + 1) * stride)
        return first, last, per_option, per_item

    starts = range(0, matrix.shape[0], CHUNK_ROWS)
    # NumPy releases the GIL for most of a chunk's work; integer sums are exact in any order.
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        parts = pool.map(count_chunk, starts) if workers > 1 else map(count_chunk, starts)
        for first, last, per_option, per_item in parts:
            options[first * stride : (last + 1) * stride] += per_option
            if per_item is not None:
                any_counts[first : last + 1] += per_item

    per_cell = options.reshape(n_agencies, n_fields, width)
    for j, (first_field, stop) in enumerate(spans):
        if any_rule and j in multi:
            unfavourable[:, j] = any_counts[:, multi.index(j)]
            continue
        hits_j = per_cell[:, first_field:stop, :] * lut[first_field:stop]
        unfavourable[:, j] = hits_j.sum(axis=(1, 2))
    respondents = np.bincount(agency_ix, minlength=n_agencies).astype(np.int64)
    return BatchCounts(tool, respondents, per_cell, unfavourable)


def _check_options(
    tool: str, fields: tuple[FieldSpec, ...], matrix: npt.NDArray[Any], n_options: IntArray
) -> None:
    """Raise for the first answer (row by row) that is not an option of its field."""
    if not matrix.size:
        return
    # Column minima and maxima first: one cheap pass; the cell is searched only on failure.
    if matrix.min() >= 0 and (matrix.max(axis=0) < n_options).all():
        return
    wide = matrix.astype(np.int64)
    bad = (wide < 0) | (wide >= n_options)
    row, col = np.argwhere(bad)[0]
    raise ScoringInputError(
        f"ผู้ตอบรายที่ {row + 1}: คำตอบ {wide[row, col]} ของ {fields[col].item} ไม่อยู่ในตัวเลือก",
        f"respondent {row + 1}: answer {wide[row, col]} to {fields[col].item} is not an option",
    )


def _field_spans(spec: ScoringSpec, tool: str) -> list[tuple[int, int]]:
    """Return each item's first and past-last column in the tool's answer matrix."""
    spans, start = [], 0
    for code in spec.tool(tool).items:
        stop = start + len(spec.item(code).fields)
        spans.append((start, stop))
        start = stop
    return spans


def scores_from_counts_batch(
    spec: ScoringSpec, counts: BatchCounts
) -> tuple[FloatArray, FloatArray]:
    """Return item scores and findings (agencies × the tool's items) from counts."""
    codes = spec.tool(counts.tool).items
    n = counts.respondents.shape[0]
    scores = np.full((n, len(codes)), np.nan)
    findings = np.full((n, len(codes)), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        spans = _field_spans(spec, counts.tool)
        for j, ((first, _stop), code) in enumerate(zip(spans, codes, strict=True)):
            fields = spec.item(code).fields
            per_field = [
                [counts.options[:, first + k, o] for o in range(len(f.values))]
                for k, f in enumerate(fields)
            ]
            values = [f.values for f in fields]
            scores[:, j] = item_score_from_counts(per_field, values, counts.respondents)
            denominator = finding_denominator(spec.finding_rule, counts.respondents, len(fields))
            findings[:, j] = finding_from_counts(counts.unfavourable[:, j], denominator)
    return scores, findings


def _items_index(spec: ScoringSpec) -> dict[str, int]:
    return {item.code: k for k, item in enumerate(spec.items)}


def aggregate_batch(
    spec: ScoringSpec,
    items: FloatArray,
    indicators: FloatArray | None = None,
    findings: FloatArray | None = None,
) -> BatchResult:
    """Aggregate item scores (and official indicator scores, which win) to levels."""
    n = items.shape[0]
    column = _items_index(spec)
    given = indicators if indicators is not None else np.full((n, len(spec.indicators)), np.nan)
    ind = np.empty((n, len(spec.indicators)))
    for k, indicator in enumerate(spec.indicators):
        # The reference path averages the items that are present; adding 0.0 for an absent
        # item is exact, so the sums here equal its sums over present items only.
        acc = np.zeros(n)
        weights = np.zeros(n)
        for code in indicator.items:
            value = items[:, column[code]]
            present = ~np.isnan(value)
            weight = spec.item(code).weight
            acc = acc + np.where(present, value * weight, 0.0)
            weights = weights + np.where(present, weight, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            from_items = np.where(weights > 0, acc / weights, np.nan)
        ind[:, k] = np.where(np.isnan(given[:, k]), from_items, given[:, k])

    position = {i.number: k for k, i in enumerate(spec.indicators)}
    tools = np.empty((n, len(spec.tools)))
    for t, tool in enumerate(spec.tools):
        tools[:, t] = weighted_mean(
            [ind[:, position[num]] for num in tool.indicators],
            [spec.indicator(num).weight for num in tool.indicators],
        )
    totals: FloatArray = weighted_mean(
        [ind[:, k] for k in range(len(spec.indicators))], [i.weight for i in spec.indicators]
    )

    rounded_total = round2_array(totals)
    rounded_tools = round2_array(tools)
    level = np.full(n, -1, dtype=np.int64)
    for index, rule in enumerate(spec.levels):
        match = (level < 0) & (rounded_total >= rule.total_min)
        if rule.each_tool_min is not None:
            match &= (rounded_tools >= rule.each_tool_min).all(axis=1)
        level[match] = index
    passed = rounded_total >= spec.pass_mark
    return BatchResult(
        fiscal_year=spec.fiscal_year,
        items=items,
        findings=findings if findings is not None else np.full(items.shape, np.nan),
        indicators=ind,
        tools=tools,
        totals=totals,
        level_index=level,
        passed=passed,
    )


def score_indicators_batch(spec: ScoringSpec, indicators: npt.ArrayLike) -> BatchResult:
    """Score official indicator scores: one row per agency, columns in spec order."""
    matrix = np.asarray(indicators, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[1] != len(spec.indicators):
        raise ScoringInputError(
            f"ต้องมีคะแนนตัวชี้วัด {len(spec.indicators)} คอลัมน์",
            f"expected {len(spec.indicators)} indicator columns",
        )
    _check_range(matrix)
    empty_items = np.full((matrix.shape[0], len(spec.items)), np.nan)
    return aggregate_batch(spec, empty_items, matrix)


def score_answers_batch(
    spec: ScoringSpec,
    answers: Mapping[str, tuple[npt.ArrayLike, npt.ArrayLike]],
    n_agencies: int,
    official_items: FloatArray | None = None,
    official_indicators: FloatArray | None = None,
    workers: int = 1,
) -> BatchResult:
    """Score raw answers of many agencies; OIT (or anything else) from official scores.

    ``answers`` maps a perception tool to ``(agency index per respondent, answer matrix)``;
    ``official_items`` and ``official_indicators`` hold official scores (NaN when unknown)
    in spec order. ``workers`` threads count the answers (the result does not depend on it).
    """
    items = (
        np.array(official_items, dtype=np.float64)
        if official_items is not None
        else np.full((n_agencies, len(spec.items)), np.nan)
    )
    findings = np.full((n_agencies, len(spec.items)), np.nan)
    _check_range(items)
    column = _items_index(spec)
    for tool, (agency, matrix) in answers.items():
        counts = count_answers_batch(spec, tool, agency, matrix, n_agencies, workers)
        tool_scores, tool_findings = scores_from_counts_batch(spec, counts)
        for j, code in enumerate(spec.tool(tool).items):
            items[:, column[code]] = tool_scores[:, j]
            findings[:, column[code]] = tool_findings[:, j]
    if official_indicators is not None:
        _check_range(official_indicators)
    return aggregate_batch(spec, items, official_indicators, findings)


def _check_range(matrix: FloatArray) -> None:
    known = matrix[~np.isnan(matrix)]
    if known.size and (
        known.min() < SCORE_MIN or known.max() > SCORE_MAX or not np.isfinite(known).all()
    ):
        raise ScoringInputError("คะแนนต้องอยู่ในช่วง 0–100", "scores must lie within 0–100")
