"""The respondent form of a tool, built from the framework file exactly as it defines the questions.

Answers are kept as one byte per answer column (a question, or each of its sub-questions) in
:meth:`ScoringSpec.fields` order, each byte the index of the option chosen in display order — the
order the engine's counting expects.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from django.utils.datastructures import MultiValueDict

from ita.catalog.schema import Framework
from ita.scoring.engine import Answers
from ita.scoring.spec import ScoringSpec


class LayoutError(ValueError):
    """The framework's questions no longer match the answers a campaign stored."""


@dataclass(frozen=True)
class Option:
    index: int
    label: str


@dataclass(frozen=True)
class Field:
    """One answer: a question without sub-questions, or one sub-question."""

    column: int
    label: str | None  # the sub-question's text; None for a question answered as a whole
    options: tuple[Option, ...]

    @property
    def name(self) -> str:
        return f"a{self.column}"


@dataclass(frozen=True)
class Question:
    number: int
    code: str
    text: str
    remark: str | None
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Section:
    number: int
    name: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Questionnaire:
    tool: str
    sections: tuple[Section, ...]
    spans: tuple[tuple[str, int, int], ...]  # item code, first column, past-last column
    limits: tuple[int, ...]  # number of options of each column

    @property
    def columns(self) -> int:
        return len(self.limits)

    @property
    def question_count(self) -> int:
        return len(self.spans)

    def questions(self) -> Iterator[Question]:
        for section in self.sections:
            yield from section.questions

    def fields(self) -> Iterator[Field]:
        for question in self.questions():
            yield from question.fields

    def parse(self, data: Mapping[str, str]) -> tuple[bytes, list[int]]:
        """Return the answers as bytes and the columns left unanswered (or not an option)."""
        out = bytearray(len(self.limits))
        missing: list[int] = []
        # A QueryDict holds a list per name (the last value counts); read it without the
        # per-call overhead of QueryDict.get, which matters for a form of 51 answers.
        lists = isinstance(data, MultiValueDict)
        for column, limit in enumerate(self.limits):
            name = f"a{column}"
            if lists:
                values = dict.get(data, name)  # type: ignore[call-overload]
                value = values[-1] if values else None
            else:
                value = data.get(name)
            if value is not None and value.isdecimal() and int(value) < limit:
                out[column] = int(value)
            else:
                missing.append(column)
        return bytes(out), missing

    def chosen(self, data: Mapping[str, str]) -> dict[str, str]:
        """Return the answers a visitor gave so far (to show the form again as they left it)."""
        return {f"a{c}": data[f"a{c}"] for c in range(len(self.limits)) if f"a{c}" in data}

    def decode(self, answers: bytes) -> Answers:
        """Return one stored response as engine input: item code → option per field."""
        if len(answers) != len(self.limits):
            raise LayoutError(f"a response has {len(answers)} answers, the form {len(self.limits)}")
        return {code: list(answers[first:stop]) for code, first, stop in self.spans}

    def decode_all(self, rows: Sequence[bytes]) -> Iterator[Answers]:
        for answers in rows:
            yield self.decode(answers)


def build(fw: Framework, spec: ScoringSpec, tool: str) -> Questionnaire:
    """Return the form of a perception tool, checked against the engine's answer columns."""
    scales = {s.code: s for s in fw.scales}
    tool_schema = next(t for t in fw.tools if t.code == tool)
    sections: list[Section] = []
    spans: list[tuple[str, int, int]] = []
    limits: list[int] = []
    number = 0
    for indicator in tool_schema.indicators:
        questions: list[Question] = []
        for item in indicator.items:
            if item.scale is None:
                continue
            number += 1
            options = tuple(Option(i, o.label_th) for i, o in enumerate(scales[item.scale].options))
            labels: list[str | None] = [s.text_th for s in item.subquestions] or [None]
            first = len(limits)
            fields = tuple(Field(first + k, label, options) for k, label in enumerate(labels))
            limits.extend(len(options) for _ in labels)
            spans.append((item.code, first, len(limits)))
            questions.append(
                Question(number, item.code, item.text_th or "", item.remark_th, fields)
            )
        sections.append(Section(indicator.number, indicator.name_th, tuple(questions)))
    engine_columns = [(f.item, len(f.values)) for f in spec.fields(tool)]
    ours = [(code, limits[c]) for code, first, stop in spans for c in range(first, stop)]
    if ours != engine_columns:
        raise LayoutError(f"the form of {tool} does not match the engine's answer columns")
    return Questionnaire(tool, tuple(sections), tuple(spans), tuple(limits))


# Forms by (framework file hash, tool): a file's content never changes under its hash.
_FORMS: dict[tuple[str, str], Questionnaire] = {}


def for_framework(sha256: str, fw: Framework, spec: ScoringSpec, tool: str) -> Questionnaire:
    """Return the form of a tool of a framework file (cached by the file's hash)."""
    key = (sha256, tool)
    if key not in _FORMS:
        _FORMS[key] = build(fw, spec, tool)
    return _FORMS[key]
