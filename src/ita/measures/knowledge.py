"""The measures knowledge base: finding statements per question and suggested measures per issue.

Two data files, written by the project in its own words, validated by these models:

* ``knowledge/findings.yaml`` — for each family of fiscal years that share question wording,
  what respondents who answered a question unfavourably (or all favourably) think, so that a
  finding reads as agencies write it: "ประชาชนผู้รับบริการ 4.26% มีความเห็นว่า…".
* ``knowledge/measures.yaml`` — for each of the seven issues, measures agencies actually take,
  with their steps, a countable output, an indicator and a follow-up.

Pure Python (pydantic); no Django.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from ita.catalog.loader import FrameworkError, parse_yaml_model

KNOWLEDGE_DIR = Path(__file__).resolve().parents[3] / "knowledge"

Text = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Statement(_Strict):
    """What respondents think, completing "<audience> <pct>% มีความเห็นว่า…"."""

    unfavourable: Text  # e.g. "การให้บริการยังไม่เป็นไปตามขั้นตอนและระยะเวลาที่กำหนด"
    favourable: Text  # used when nobody answered unfavourably


class Family(_Strict):
    name: Text
    years: Annotated[list[int], Field(min_length=1)]
    statements: dict[str, Statement]  # item code → statement


class Findings(_Strict):
    schema_version: int
    families: list[Family]

    def statement(self, fiscal_year: int, code: str) -> Statement | None:
        for family in self.families:
            if fiscal_year in family.years:
                return family.statements.get(code)
        return None


class SuggestedMeasure(_Strict):
    title_th: Text
    steps: Annotated[list[Text], Field(min_length=1)]
    output_th: Text  # a countable output, e.g. "คู่มือการยืมทรัพย์สินของราชการ จำนวน 1 ฉบับ"
    indicator_th: Text  # how success is measured
    follow_up_th: Text
    period_quarters: tuple[int, int] = (1, 4)


class IssueAdvice(_Strict):
    number: Annotated[int, Field(ge=1)]
    why_th: Text  # one sentence: what this issue is about, for the proposal page
    measures: Annotated[list[SuggestedMeasure], Field(min_length=1)]


class MeasuresKnowledge(_Strict):
    schema_version: int
    issues: list[IssueAdvice]

    def advice(self, number: int) -> IssueAdvice | None:
        return next((i for i in self.issues if i.number == number), None)


@functools.cache
def findings(directory: Path = KNOWLEDGE_DIR) -> Findings:
    """Return the finding statements (cached)."""
    return parse_yaml_model(directory / "findings.yaml", Findings)


@functools.cache
def measures(directory: Path = KNOWLEDGE_DIR) -> MeasuresKnowledge:
    """Return the suggested measures (cached)."""
    return parse_yaml_model(directory / "measures.yaml", MeasuresKnowledge)


__all__ = ["FrameworkError", "findings", "measures"]
