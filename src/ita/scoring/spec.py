"""The scoring view of a framework: plain frozen dataclasses the engine and batch path read.

:meth:`ScoringSpec.from_framework` compiles a validated framework file into lookups the
engine needs (answer values with polarity applied, items per indicator, weights, level rules).
Nothing here knows about Django or the database.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ita.catalog.schema import Framework
from ita.thai import to_arabic_digits


@dataclass(frozen=True)
class FieldSpec:
    """One answer field: a question, or one sub-question of it, with polarity applied."""

    item: str
    index: int
    polarity: str
    values: tuple[float, ...]  # the value each option gives, in option order
    unfavourable: frozenset[int]  # option indexes that count for a finding


@dataclass(frozen=True)
class ItemSpec:
    code: str
    tool: str
    indicator: int
    weight: float
    fields: tuple[FieldSpec, ...]  # empty for OIT items, which are scored as a whole
    text_th: str | None


@dataclass(frozen=True)
class IndicatorSpec:
    number: int
    tool: str
    weight: float
    name_th: str
    aliases: tuple[str, ...]
    items: tuple[str, ...]


@dataclass(frozen=True)
class ToolSpec:
    code: str
    kind: str
    weight: float
    name_th: str
    respondents_th: str | None
    indicators: tuple[int, ...]
    items: tuple[str, ...]


@dataclass(frozen=True)
class LevelSpec:
    name: str
    name_en: str | None
    total_min: float
    each_tool_min: float | None


_CODE_SPACES = re.compile(r"\s+")


def normalize_code(text: str) -> str:
    """Return an item code as the framework writes it: ``" e๑๐ "`` → ``"E10"``."""
    return _CODE_SPACES.sub("", to_arabic_digits(text)).upper()


@dataclass(frozen=True)
class ScoringSpec:
    fiscal_year: int
    level_scheme: str
    pass_mark: float
    finding_rule: str
    tools: tuple[ToolSpec, ...]
    indicators: tuple[IndicatorSpec, ...]
    items: tuple[ItemSpec, ...]
    levels: tuple[LevelSpec, ...]

    @classmethod
    def from_framework(cls, fw: Framework) -> ScoringSpec:
        scales = {s.code: s for s in fw.scales}
        tools, indicators, items = [], [], []
        for tool in fw.tools:
            for ind in tool.indicators:
                for item in ind.items:
                    fields: list[FieldSpec] = []
                    if item.scale is not None and item.polarity is not None:
                        scale = scales[item.scale]
                        values = tuple(o.value for o in scale.options)
                        labels = [o.label_th for o in scale.options]
                        unfavourable = frozenset(labels.index(u) for u in scale.unfavourable)
                        subs = [s.polarity or item.polarity for s in item.subquestions]
                        for index, polarity in enumerate(subs or [item.polarity]):
                            fields.append(_field(item.code, index, polarity, values, unfavourable))
                    items.append(
                        ItemSpec(
                            item.code,
                            tool.code,
                            ind.number,
                            item.weight,
                            tuple(fields),
                            item.text_th,
                        )
                    )
                indicators.append(
                    IndicatorSpec(
                        ind.number,
                        tool.code,
                        ind.weight,
                        ind.name_th,
                        tuple(ind.aliases),
                        tuple(i.code for i in ind.items),
                    )
                )
            tools.append(
                ToolSpec(
                    tool.code,
                    tool.kind,
                    tool.weight,
                    tool.name_th,
                    tool.respondents_th,
                    tuple(i.number for i in tool.indicators),
                    tuple(i.code for ind in tool.indicators for i in ind.items),
                )
            )
        levels = tuple(
            LevelSpec(r.name, r.name_en, r.total_min, r.each_tool_min) for r in fw.levels.rules
        )
        return cls(
            fiscal_year=fw.fiscal_year,
            level_scheme=fw.levels.scheme,
            pass_mark=fw.levels.pass_mark,
            finding_rule=fw.scoring.finding_rule,
            tools=tuple(tools),
            indicators=tuple(indicators),
            items=tuple(items),
            levels=levels,
        )

    @functools.cached_property
    def _tools(self) -> dict[str, ToolSpec]:
        return {t.code: t for t in self.tools}

    @functools.cached_property
    def _indicators(self) -> dict[int, IndicatorSpec]:
        return {i.number: i for i in self.indicators}

    @functools.cached_property
    def _items(self) -> dict[str, ItemSpec]:
        return {i.code: i for i in self.items}

    @functools.cached_property
    def _indicator_names(self) -> dict[str, int]:
        names = {}
        for ind in self.indicators:
            for name in (ind.name_th, *ind.aliases):
                names[_CODE_SPACES.sub("", name)] = ind.number
        return names

    def tool(self, code: str) -> ToolSpec:
        return self._tools[code]

    def indicator(self, number: int) -> IndicatorSpec:
        return self._indicators[number]

    def item(self, code: str) -> ItemSpec:
        return self._items[code]

    def has_item(self, code: str) -> bool:
        return code in self._items

    def has_indicator(self, number: int) -> bool:
        return number in self._indicators

    def perception_tools(self) -> tuple[ToolSpec, ...]:
        return tuple(t for t in self.tools if t.kind == "perception")

    @functools.cached_property
    def _fields(self) -> dict[str, tuple[FieldSpec, ...]]:
        return {
            t.code: tuple(f for code in t.items for f in self.item(code).fields) for t in self.tools
        }

    def fields(self, tool: str) -> tuple[FieldSpec, ...]:
        """Return the answer fields of a tool in the order of an answer matrix's columns."""
        return self._fields[tool]

    def resolve_indicator(self, text: str) -> int | None:
        """Return the indicator a cell names: ``"6"``, ``"๖"``, or its Thai name or alias."""
        cleaned = _CODE_SPACES.sub("", to_arabic_digits(text))
        cleaned = cleaned.removeprefix("ตัวชี้วัดที่")
        if cleaned.isdecimal():
            number = int(cleaned)
            return number if number in self._indicators else None
        return self._indicator_names.get(cleaned)


def _field(
    item: str, index: int, polarity: str, values: tuple[float, ...], unfavourable: frozenset[int]
) -> FieldSpec:
    if polarity == "negative":
        # A reversed item: the first option is the best answer, and the mirror of each
        # unfavourable option is unfavourable.
        last = len(values) - 1
        return FieldSpec(
            item, index, polarity, values[::-1], frozenset(last - u for u in unfavourable)
        )
    return FieldSpec(item, index, polarity, values, unfavourable)
