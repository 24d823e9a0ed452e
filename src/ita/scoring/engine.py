"""The scoring engine: results in, scores and levels out, as NACC computes them.

Two entry levels:

* :func:`score_official` takes official scores (item, indicator or tool scores as NACC
  publishes them) and aggregates what is missing: items → indicators → tools → total → level.
* :func:`score_answers` takes raw IIT/EIT answers (an estimate, for self-assessment surveys),
  turns them into counts per answer field and option, and from the counts into item scores
  and findings, then aggregates as above.

Everything year-specific comes from a :class:`~ita.scoring.spec.ScoringSpec`. The arithmetic
after counting lives in small functions (:func:`weighted_mean`, :func:`item_score_from_counts`,
:func:`finding_from_counts`) that work on Python numbers and on NumPy arrays alike, so the batch
path in :mod:`ita.scoring.batch` performs the very same floating-point operations in the same
order and agrees with this reference path to the last bit.

This module imports nothing from Django (a test pins that).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ita.scoring.spec import ItemSpec, LevelSpec, ScoringSpec, ToolSpec

ENGINE_VERSION = "1.0.0"

DECIMALS = 2  # NACC prints every score with two decimals
_UNIT: int = 10**DECIMALS  # not-domain: the decimal base
# Binary floating point cannot hold 87.865 exactly; a sum of weighted scores can land a few
# ulps under a half-way point. This slack (far below any printed digit) keeps half-up rounding
# faithful to the decimal value.
_FLOAT_SLACK = 1e-9
# A published total is computed from unrounded indicators, a recomputed one from printed
# (rounded) ones: they may differ by one unit in the last printed place.
ROUNDING_TOLERANCE = 1 / _UNIT
PERCENT = 100.0
SCORE_MIN, SCORE_MAX = 0.0, 100.0


def round2(value: float) -> float:
    """Round a score half-up to the two decimals NACC prints: the engine's only rounding."""
    return math.floor(value * _UNIT + 0.5 + _FLOAT_SLACK) / _UNIT


# --- arithmetic shared with the batch path (operands: Python numbers or NumPy arrays) -----


def weighted_mean(values: Sequence[Any], weights: Sequence[float]) -> Any:
    """Return Σ value·weight / Σ weight, adding in the order given."""
    acc: Any = 0.0
    for value, weight in zip(values, weights, strict=True):
        acc = acc + value * weight
    return acc / sum(weights)


def item_score_from_counts(
    counts: Sequence[Sequence[Any]], values: Sequence[Sequence[float]], respondents: Any
) -> Any:
    """Return an item's score: the mean answer value over its fields and respondents.

    ``counts[f][o]`` is how many respondents chose option ``o`` in field ``f`` (a sub-question);
    ``values[f][o]`` is what that option is worth with the field's polarity applied.
    """
    acc: Any = 0.0
    for field_counts, field_values in zip(counts, values, strict=True):
        for count, value in zip(field_counts, field_values, strict=True):
            acc = acc + count * value
    return acc / (respondents * len(counts))


def finding_from_counts(unfavourable: Any, denominator: Any) -> Any:
    """Return a finding (ข้อค้นพบ): the unfavourable share in percent."""
    return unfavourable / denominator * PERCENT


def finding_denominator(rule: str, respondents: Any, fields: int) -> Any:
    """Return what a finding's count is a share of, under the year's finding rule."""
    return respondents if rule == "any_subquestion" else respondents * fields


# --- inputs and results -------------------------------------------------------------------


class ScoringInputError(ValueError):
    """Input the engine cannot score; the message names the value and the problem."""

    def __init__(self, th: str, en: str) -> None:
        self.th, self.en = th, en
        super().__init__(f"{th} / {en}")


@dataclass(frozen=True)
class Notice:
    """Something the reader of a result should know (a rounding gap, a missing item, …)."""

    code: str
    th: str
    en: str

    def __str__(self) -> str:
        return f"{self.th} / {self.en}"


@dataclass(frozen=True)
class OfficialScores:
    """Scores as NACC publishes them; any part may be missing."""

    indicators: Mapping[int, float] = field(default_factory=dict)
    items: Mapping[str, float] = field(default_factory=dict)
    tools: Mapping[str, float] = field(default_factory=dict)
    findings: Mapping[str, float] = field(default_factory=dict)  # item code → percent
    total: float | None = None
    level: str | None = None


Answers = Mapping[str, Sequence[int]]
"""One respondent's answers: item code → chosen option index for each field (sub-question)."""


@dataclass(frozen=True)
class ToolCounts:
    """Answer counts of one tool: what the scores and findings are computed from."""

    tool: str
    respondents: int
    options: Mapping[str, Sequence[Sequence[int]]]  # item → field → option → count
    unfavourable: Mapping[str, int]  # item → numerator of the finding under the year's rule


@dataclass(frozen=True)
class ScoreResult:
    fiscal_year: int
    basis: str  # "official" or "answers" (an estimate)
    indicators: Mapping[int, float | None]
    tools: Mapping[str, float | None]
    total: float | None
    level: LevelSpec | None
    passed: bool | None
    items: Mapping[str, float]
    findings: Mapping[str, float]
    respondents: Mapping[str, int]
    published_total: float | None
    published_level: str | None
    notices: tuple[Notice, ...]

    def to_json(self) -> dict[str, Any]:
        """Return the ``ita score --json`` object: scores rounded to two decimals."""

        def r(value: float | None) -> float | None:
            return None if value is None else round2(value)

        return {
            "fiscal_year": self.fiscal_year,
            "total": r(self.total),
            "level": self.level.name if self.level else None,
            "tools": {code: r(v) for code, v in self.tools.items()},
            "indicators": {str(n): r(v) for n, v in self.indicators.items()},
            "warnings": [str(n) for n in self.notices],
        }


# --- official scores ----------------------------------------------------------------------


def score_official(spec: ScoringSpec, official: OfficialScores) -> ScoreResult:
    """Aggregate official scores into indicators, tools, total and level."""
    _check_official(spec, official)
    items, findings = dict(official.items), dict(official.findings)
    return _aggregate(spec, official, items, findings, {}, [], basis="official")


def _check_score(value: float, th_what: str, en_what: str) -> None:
    if not (isinstance(value, int | float) and math.isfinite(value)):
        raise ScoringInputError(f"{th_what}: ไม่ใช่ตัวเลข", f"{en_what}: not a number")
    if not SCORE_MIN <= value <= SCORE_MAX:
        raise ScoringInputError(
            f"{th_what}: คะแนน {value:g} อยู่นอกช่วง 0–100",
            f"{en_what}: score {value:g} is outside 0–100",
        )


def _check_official(spec: ScoringSpec, official: OfficialScores) -> None:
    year = spec.fiscal_year
    tools = {t.code for t in spec.tools}
    # (scores, is it known, Thai name, English name) for each kind of official score
    kinds: list[tuple[Mapping[Any, float], Callable[[Any], bool], str, str]] = [
        (official.indicators, spec.has_indicator, "ตัวชี้วัดที่ {}", "indicator {}"),
        (official.items, spec.has_item, "ข้อ {}", "item {}"),
        (official.tools, tools.__contains__, "แบบวัด {}", "tool {}"),
        (
            official.findings,
            lambda code: spec.has_item(code) and bool(spec.item(code).fields),
            "ข้อค้นพบของข้อคำถาม IIT/EIT {}",
            "finding for IIT/EIT question {}",
        ),
    ]
    for scores, known, th_name, en_name in kinds:
        for key, value in scores.items():
            th_what, en_what = th_name.format(key), en_name.format(key)
            if not known(key):
                raise ScoringInputError(
                    f"ไม่มี{th_what} ในกรอบปี {year}", f"{en_what} is not in the {year} framework"
                )
            _check_score(value, th_what, en_what)
    if official.total is not None:
        _check_score(official.total, "คะแนนรวมที่ประกาศ", "published total")
    names = [level.name for level in spec.levels]
    if official.level is not None and official.level not in names:
        raise ScoringInputError(
            f"ระดับ {official.level!r} ไม่มีในปี {year} (มี: {', '.join(names)})",
            f"level {official.level!r} does not exist in {year} (levels: {', '.join(names)})",
        )


def _compare(
    notices: list[Notice], published: float, computed: float, th_what: str, en_what: str
) -> None:
    """Add a notice when a published figure differs from what the engine computes."""
    pub, calc = round2(published), round2(computed)
    gap = round2(abs(pub - calc))
    if gap == 0:
        return
    if gap <= ROUNDING_TOLERANCE:
        notices.append(
            Notice(
                "rounding",
                f"{th_what}ที่ประกาศ {pub:.2f} ต่างจากที่คำนวณได้ {calc:.2f} อยู่ {gap:.2f} "
                "ซึ่งเป็นผลของการปัดเศษ (ผลทางการคำนวณจากคะแนนที่ยังไม่ปัดเศษ)",
                f"published {en_what} {pub:.2f} differs from the computed {calc:.2f} by "
                f"{gap:.2f}: rounding (official figures come from unrounded scores)",
            )
        )
    else:
        notices.append(
            Notice(
                "disagreement",
                f"{th_what}ที่ประกาศ {pub:.2f} ไม่ตรงกับที่คำนวณได้ {calc:.2f} "
                f"(ต่างกัน {gap:.2f}) ควรตรวจสอบตัวเลข",
                f"published {en_what} {pub:.2f} disagrees with the computed {calc:.2f} "
                f"(difference {gap:.2f}); check the figures",
            )
        )


def _indicator_from_items(
    spec: ScoringSpec, number: int, items: Mapping[str, float], notices: list[Notice]
) -> float | None:
    codes = spec.indicator(number).items
    present = [c for c in codes if c in items]
    if not present:
        return None
    if len(present) < len(codes):
        missing = ", ".join(c for c in codes if c not in items)
        notices.append(
            Notice(
                "partial_indicator",
                f"ตัวชี้วัดที่ {number} คำนวณจาก {len(present)} ใน {len(codes)} ข้อ "
                f"(ไม่มีคะแนนของ {missing})",
                f"indicator {number} computed from {len(present)} of {len(codes)} items "
                f"(no score for {missing})",
            )
        )
    value: float = weighted_mean(
        [items[c] for c in present], [spec.item(c).weight for c in present]
    )
    return value


def level_for(
    spec: ScoringSpec, total: float, tools: Mapping[str, float | None]
) -> LevelSpec | None:
    """Return the level of a total under the year's rules; None if a needed tool is unknown."""
    rounded_total = round2(total)
    for rule in spec.levels:
        if rounded_total < rule.total_min:
            continue
        if rule.each_tool_min is None:
            return rule
        scores = list(tools.values())
        if any(v is None for v in scores):
            return None
        if all(round2(v) >= rule.each_tool_min for v in scores if v is not None):
            return rule
    return None


def _aggregate(
    spec: ScoringSpec,
    official: OfficialScores,
    items: dict[str, float],
    findings: dict[str, float],
    respondents: dict[str, int],
    notices: list[Notice],
    basis: str,
) -> ScoreResult:
    indicators: dict[int, float | None] = {}
    for ind in spec.indicators:
        from_items = _indicator_from_items(spec, ind.number, items, notices)
        given = official.indicators.get(ind.number)
        if given is not None and from_items is not None:
            _compare(notices, given, from_items, f"ตัวชี้วัดที่ {ind.number} ", f"indicator {ind.number}")
        indicators[ind.number] = given if given is not None else from_items

    tools: dict[str, float | None] = {}
    for tool in spec.tools:
        tools[tool.code] = _tool_score(spec, tool, indicators, official, notices)

    missing = [str(n) for n, v in indicators.items() if v is None]
    total: float | None = None
    if missing:
        notices.append(
            Notice(
                "missing_indicator",
                f"คำนวณคะแนนรวมไม่ได้ เพราะไม่มีคะแนนตัวชี้วัดที่ {', '.join(missing)}",
                f"no total: no score for indicator(s) {', '.join(missing)}",
            )
        )
    else:
        total = weighted_mean(
            [indicators[i.number] for i in spec.indicators], [i.weight for i in spec.indicators]
        )
    if official.total is not None and total is not None:
        _compare(notices, official.total, total, "คะแนนรวม", "total")

    # The official total, when known, decides the level (it is what NACC's level rests on).
    basis_total = official.total if official.total is not None else total
    level = level_for(spec, basis_total, tools) if basis_total is not None else None
    if basis_total is not None and level is None:
        unknown = ", ".join(code for code, v in tools.items() if v is None)
        notices.append(
            Notice(
                "level_undecided",
                f"ตัดสินระดับไม่ได้ เพราะไม่มีคะแนนของแบบวัด {unknown}",
                f"level undecided: no score for tool(s) {unknown}",
            )
        )
    if official.level is not None and level is not None and official.level != level.name:
        notices.append(
            Notice(
                "level_disagreement",
                f"ระดับที่ประกาศ {official.level} ไม่ตรงกับระดับที่คำนวณได้ {level.name}",
                f"published level {official.level} disagrees with the computed {level.name}",
            )
        )
    passed = None if basis_total is None else round2(basis_total) >= spec.pass_mark
    return ScoreResult(
        fiscal_year=spec.fiscal_year,
        basis=basis,
        indicators=indicators,
        tools=tools,
        total=total,
        level=level,
        passed=passed,
        items=items,
        findings=findings,
        respondents=respondents,
        published_total=official.total,
        published_level=official.level,
        notices=tuple(notices),
    )


def _tool_score(
    spec: ScoringSpec,
    tool: ToolSpec,
    indicators: Mapping[int, float | None],
    official: OfficialScores,
    notices: list[Notice],
) -> float | None:
    values = [indicators[n] for n in tool.indicators]
    computed: float | None = None
    if all(v is not None for v in values):
        computed = weighted_mean(values, [spec.indicator(n).weight for n in tool.indicators])
    given = official.tools.get(tool.code)
    if given is None:
        return computed
    if computed is not None:
        _compare(notices, given, computed, f"คะแนนแบบวัด {tool.code} ", f"{tool.code} score")
    return given


# --- raw answers --------------------------------------------------------------------------


def count_answers(spec: ScoringSpec, tool: str, responses: Iterable[Answers]) -> ToolCounts:
    """Count the answers of one perception tool per item, field and option."""
    if tool not in {t.code for t in spec.perception_tools()}:
        raise ScoringInputError(
            f"แบบวัด {tool} ไม่ใช่แบบวัดการรับรู้ในกรอบปี {spec.fiscal_year}",
            f"{tool} is not a perception tool of {spec.fiscal_year}",
        )
    items = [spec.item(code) for code in spec.tool(tool).items]
    known = {item.code for item in items}
    options = {item.code: [[0] * len(f.values) for f in item.fields] for item in items}
    unfavourable = dict.fromkeys(known, 0)
    any_rule = spec.finding_rule == "any_subquestion"
    respondents = 0
    for number, response in enumerate(responses, start=1):
        extra = sorted(set(response) - known)
        if extra:
            raise ScoringInputError(
                f"ผู้ตอบรายที่ {number}: ไม่มีข้อ {', '.join(extra)} ใน {tool}",
                f"respondent {number}: {', '.join(extra)} not in {tool}",
            )
        for item in items:
            hits = _count_item(item, response.get(item.code), number, options[item.code])
            unfavourable[item.code] += min(hits, 1) if any_rule else hits
        respondents += 1
    return ToolCounts(tool, respondents, options, unfavourable)


def _count_item(
    item: ItemSpec, answer: Sequence[int] | None, number: int, counts: list[list[int]]
) -> int:
    """Add one respondent's answer to an item's counts; return its unfavourable answers."""
    if answer is None or len(answer) != len(item.fields):
        want = len(item.fields)
        raise ScoringInputError(
            f"ผู้ตอบรายที่ {number}: ข้อ {item.code} ต้องมีคำตอบ {want} ช่อง",
            f"respondent {number}: {item.code} needs {want} answer(s)",
        )
    hits = 0
    for f, option in zip(item.fields, answer, strict=True):
        if not (isinstance(option, int) and 0 <= option < len(f.values)):
            raise ScoringInputError(
                f"ผู้ตอบรายที่ {number}: คำตอบ {option!r} ของ {item.code} ไม่อยู่ในตัวเลือก",
                f"respondent {number}: answer {option!r} to {item.code} is not an option",
            )
        counts[f.index][option] += 1
        hits += option in f.unfavourable
    return hits


def scores_from_counts(
    spec: ScoringSpec, counts: ToolCounts
) -> tuple[dict[str, float], dict[str, float]]:
    """Return the item scores and findings of one tool's counts (empty without answers)."""
    if counts.respondents == 0:
        return {}, {}
    items: dict[str, float] = {}
    findings: dict[str, float] = {}
    for code, per_field in counts.options.items():
        fields = spec.item(code).fields
        items[code] = item_score_from_counts(
            per_field, [f.values for f in fields], counts.respondents
        )
        denominator = finding_denominator(spec.finding_rule, counts.respondents, len(fields))
        findings[code] = finding_from_counts(counts.unfavourable[code], denominator)
    return items, findings


def score_answers(
    spec: ScoringSpec,
    responses: Mapping[str, Iterable[Answers]],
    official: OfficialScores | None = None,
) -> ScoreResult:
    """Score raw IIT/EIT answers (an estimate), with official scores for the rest (OIT)."""
    official = official or OfficialScores()
    _check_official(spec, official)
    items: dict[str, float] = dict(official.items)
    findings: dict[str, float] = dict(official.findings)
    respondents: dict[str, int] = {}
    for tool, answers in responses.items():
        counts = count_answers(spec, tool, answers)
        clash = [c for c in spec.tool(tool).items if c in official.items] + [
            str(n) for n in spec.tool(tool).indicators if n in official.indicators
        ]
        if clash:
            raise ScoringInputError(
                f"{tool}: มีทั้งคำตอบและคะแนนทางการ ({', '.join(clash)}) ให้เลือกอย่างใดอย่างหนึ่ง",
                f"{tool}: both answers and official scores given ({', '.join(clash)}); "
                "give one or the other",
            )
        tool_items, tool_findings = scores_from_counts(spec, counts)
        items.update(tool_items)
        findings.update(tool_findings)
        respondents[tool] = counts.respondents
    notices = [
        Notice(
            "estimate",
            "คะแนนคำนวณจากคำตอบแบบสำรวจ เป็นค่าประมาณ ไม่ใช่ผลการประเมินอย่างเป็นทางการ",
            "scores computed from survey answers are an estimate, not the official result",
        )
    ]
    return _aggregate(spec, official, items, findings, respondents, notices, basis="answers")
