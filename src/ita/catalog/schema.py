"""The framework file format: one YAML file per fiscal year, validated by these models.

A framework file is the ITA method of one fiscal year written down as data: tools and their
weights, indicators, items (questions) with their answer scales and polarity, level rules, OIT
items with their sub-indicators and required elements, and the seven issues (ประเด็น) with the
items mapped to them. Every object may carry a ``confidence`` map that marks how sure we are of
each of its fields (DOMAIN.md's confidence marks).

Structural checks live in the models; checks that need the whole file (references between
objects, weights that must add up) live in :func:`cross_check`, which reports every fault with
its path so the loader can point at the exact place in the file.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Confidence = Literal["confirmed", "secondary", "unverified-configurable", "unverified"]
Polarity = Literal["positive", "negative"]
ToolKind = Literal["perception", "disclosure"]
LevelScheme = Literal["grade", "rating"]
FindingRule = Literal["any_subquestion", "share_of_answers"]
Document = Literal["analysis_report", "measures_document", "results_report"]
Audience = Literal["internal", "external"]

Score = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Weight = Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]
Text = Annotated[str, Field(min_length=1)]

Loc = tuple[str | int, ...]

# Fields every object has that are about the data rather than the data itself.
_META_FIELDS = frozenset({"confidence", "sources", "note"})

# Float comparisons of weights that must add up (weights are written with at most 2 decimals).
_SUM_TOLERANCE = 1e-6


class Marked(BaseModel):
    """An object of the framework file, with confidence marks, sources and a note."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    confidence: dict[str, Confidence] = {}
    sources: list[Text] = []
    note: str | None = None

    @field_validator("confidence")
    @classmethod
    def _marks_name_fields(cls, marks: dict[str, Confidence]) -> dict[str, Confidence]:
        known = set(cls.model_fields) - _META_FIELDS
        unknown = sorted(set(marks) - known)
        if unknown:
            raise ValueError(
                f"confidence mark for unknown field(s) {', '.join(unknown)}; "
                f"fields of this object: {', '.join(sorted(known))}"
            )
        return marks

    def confidence_of(self, field: str) -> Confidence:
        """Return the mark of one field; unmarked fields are as sure as the sources cited."""
        return self.confidence.get(field, "confirmed")


class ScaleOption(Marked):
    label_th: Text
    label_en: str | None = None
    value: Score


class Scale(Marked):
    """An answer scale: options in display order with the value each gives a positive item."""

    code: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]*$")]
    name_th: Text
    options: Annotated[list[ScaleOption], Field(min_length=2)]
    # Labels that count as an unfavourable answer to a positive item (ข้อค้นพบ). For a
    # negative item the mirrored options count (the first option's mirror is the last).
    unfavourable: Annotated[list[Text], Field(min_length=1)]

    @field_validator("options")
    @classmethod
    def _labels_unique(cls, options: list[ScaleOption]) -> list[ScaleOption]:
        labels = [o.label_th for o in options]
        duplicates = sorted({label for label in labels if labels.count(label) > 1})
        if duplicates:
            raise ValueError(f"option labels repeated: {', '.join(duplicates)}")
        return options


class LevelRule(Marked):
    """One level; rules are tried top-down and the first that matches gives the level."""

    name: Text
    name_en: str | None = None
    meaning_th: str | None = None
    total_min: Score
    each_tool_min: Score | None = None


class Levels(Marked):
    scheme: LevelScheme
    pass_mark: Score
    rules: Annotated[list[LevelRule], Field(min_length=1)]


class ScoringRules(Marked):
    finding_rule: FindingRule


class SubQuestion(Marked):
    text_th: Text
    polarity: Polarity | None = None  # overrides the item's polarity (mixed items, e.g. I11)


class Item(Marked):
    """A question (ข้อคำถาม) of IIT or EIT, or an item (ข้อ) of the OIT checklist."""

    code: Annotated[str, Field(pattern=r"^[A-Z][0-9]{1,3}$")]
    text_th: str | None = None  # None: the wording of this year is not known
    text_en: str | None = None
    weight: Weight = 1.0
    # Perception tools (IIT, EIT)
    scale: str | None = None
    polarity: Polarity | None = None
    subquestions: list[SubQuestion] = []
    remark_th: str | None = None  # หมายเหตุ printed under the question
    # Disclosure tool (OIT)
    sub_indicator: str | None = None
    group_th: str | None = None
    elements: list[Text] = []
    period_th: str | None = None
    produced_by: Document | None = None


class SubIndicator(Marked):
    code: Annotated[str, Field(pattern=r"^[0-9]+\.[0-9]+$")]
    name_th: Text


class Indicator(Marked):
    number: Annotated[int, Field(ge=1)]
    name_th: Text
    name_en: str | None = None
    aliases: list[Text] = []
    weight: Weight
    sub_indicators: list[SubIndicator] = []
    items: list[Item] = []


class Tool(Marked):
    code: Annotated[str, Field(pattern=r"^[A-Z]{2,6}$")]
    kind: ToolKind
    name_th: Text
    name_en: Text
    weight: Weight
    respondents_th: str | None = None  # who answers, as findings name them
    indicators: Annotated[list[Indicator], Field(min_length=1)]


class Issue(Marked):
    """One of the seven issues (ประเด็น) and the items an agency maps to it."""

    number: Annotated[int, Field(ge=1)]
    title_th: Text
    aliases: list[Text] = []
    items: list[str] = []


class CalendarStep(Marked):
    label_th: Text
    start: dt.date | None = None
    end: dt.date | None = None


class SamplingRule(Marked):
    """The minimum sample of one perception tool, from the size of its population.

    minimum sample = ceil(share × population), raised to ``minimum``, lowered to ``maximum``,
    and never more than the population itself (everyone, when there are fewer).
    """

    tool: Text
    audience: Audience  # internal: the agency's staff; external: its service users
    population_th: Text  # who is counted, as the agency is asked for the number
    share: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] = 0.0
    minimum: Annotated[int, Field(ge=0)] = 0
    maximum: Annotated[int, Field(ge=1)] | None = None

    def minimum_for(self, population: int | None) -> int:
        """Return the minimum sample for a population (``minimum`` when it is not known)."""
        if population is None:
            return self.minimum
        # 0.1 × 30 is 3.0000000000000004 in binary floating point: round before the ceiling.
        wanted = max(math.ceil(round(self.share * population, 9)), self.minimum)
        if self.maximum is not None:
            wanted = min(wanted, self.maximum)
        return min(wanted, population)


class Sampling(Marked):
    """Minimum samples of the perception tools (self-assessment surveys read it)."""

    rules: Annotated[list[SamplingRule], Field(min_length=1)]


class Framework(Marked):
    schema_version: Literal[1]
    fiscal_year: Annotated[int, Field(ge=2500, le=2700)]  # Buddhist era
    agency_group: Annotated[str, Field(pattern=r"^[a-z_]+$")]
    title_th: Text
    title_en: Text
    scales: list[Scale]
    levels: Levels
    scoring: ScoringRules
    tools: Annotated[list[Tool], Field(min_length=1)]
    issues: list[Issue] = []
    calendar: list[CalendarStep] = []
    sampling: Sampling | None = None

    def iter_items(self) -> Iterator[tuple[Tool, Indicator, Item]]:
        """Yield every item with its tool and indicator, in file order."""
        for tool in self.tools:
            for indicator in tool.indicators:
                for item in indicator.items:
                    yield tool, indicator, item

    def indicators(self) -> list[tuple[Tool, Indicator]]:
        """Return every indicator with its tool, in file order."""
        return [(tool, ind) for tool in self.tools for ind in tool.indicators]


def cross_check(fw: Framework) -> list[tuple[Loc, str]]:
    """Return every fault that needs the whole file to see, each with its path."""
    problems: list[tuple[Loc, str]] = []

    def fault(loc: Loc, message: str) -> None:
        problems.append((loc, message))

    scales = {s.code: s for s in fw.scales}
    scale_codes = [s.code for s in fw.scales]
    for si, scale in enumerate(fw.scales):
        if scale_codes.count(scale.code) > 1:
            fault(("scales", si, "code"), f"scale code {scale.code!r} is used twice")
        labels = {o.label_th for o in scale.options}
        for ui, label in enumerate(scale.unfavourable):
            if label not in labels:
                fault(
                    ("scales", si, "unfavourable", ui),
                    f"{label!r} is not an option of scale {scale.code} "
                    f"(options: {', '.join(o.label_th for o in scale.options)})",
                )

    total_weight = sum(t.weight for t in fw.tools)
    if abs(total_weight - 100) > _SUM_TOLERANCE:
        fault(("tools",), f"tool weights add up to {total_weight:g}, not 100")

    seen_tools: set[str] = set()
    seen_indicators: dict[int, Loc] = {}
    seen_items: dict[str, Loc] = {}
    for ti, tool in enumerate(fw.tools):
        tloc: Loc = ("tools", ti)
        if tool.code in seen_tools:
            fault((*tloc, "code"), f"tool code {tool.code!r} is used twice")
        seen_tools.add(tool.code)
        ind_weight = sum(i.weight for i in tool.indicators)
        if abs(ind_weight - tool.weight) > _SUM_TOLERANCE:
            fault(
                (*tloc, "indicators"),
                f"indicator weights of {tool.code} add up to {ind_weight:g}, "
                f"not the tool's weight {tool.weight:g}",
            )
        if tool.kind == "perception" and not tool.respondents_th:
            fault((*tloc, "respondents_th"), "a perception tool must say who answers it")
        for ii, ind in enumerate(tool.indicators):
            iloc: Loc = (*tloc, "indicators", ii)
            if ind.number in seen_indicators:
                fault((*iloc, "number"), f"indicator {ind.number} is defined twice")
            seen_indicators[ind.number] = iloc
            subs = [s.code for s in ind.sub_indicators]
            for si, sub in enumerate(ind.sub_indicators):
                if not sub.code.startswith(f"{ind.number}."):
                    fault(
                        (*iloc, "sub_indicators", si, "code"),
                        f"sub-indicator {sub.code} does not belong to indicator {ind.number}",
                    )
                if subs.count(sub.code) > 1:
                    fault((*iloc, "sub_indicators", si, "code"), f"{sub.code} is listed twice")
            for ki, item in enumerate(ind.items):
                kloc: Loc = (*iloc, "items", ki)
                if item.code in seen_items:
                    fault((*kloc, "code"), f"item {item.code} is defined twice")
                seen_items[item.code] = kloc
                problems.extend(_check_item(tool, subs, scales, item, kloc))

    for li, rule in enumerate(fw.levels.rules):
        lloc: Loc = ("levels", "rules", li)
        if li and rule.total_min > fw.levels.rules[li - 1].total_min:
            fault(
                (*lloc, "total_min"),
                "rules must go from the highest level down "
                f"({rule.total_min:g} follows {fw.levels.rules[li - 1].total_min:g})",
            )
        if [r.name for r in fw.levels.rules].count(rule.name) > 1:
            fault((*lloc, "name"), f"level name {rule.name!r} is used twice")
    last = fw.levels.rules[-1]
    if last.total_min != 0 or last.each_tool_min is not None:
        fault(
            ("levels", "rules", len(fw.levels.rules) - 1),
            "the last rule must take every score (total_min 0, no each_tool_min)",
        )

    problems.extend(_check_sampling(fw))

    issue_numbers = [i.number for i in fw.issues]
    for xi, issue in enumerate(fw.issues):
        if issue_numbers.count(issue.number) > 1:
            fault(("issues", xi, "number"), f"issue {issue.number} is defined twice")
        for ci, code in enumerate(issue.items):
            if code not in seen_items:
                fault(("issues", xi, "items", ci), f"item {code!r} is not in this framework")
    return problems


def _check_sampling(fw: Framework) -> list[tuple[Loc, str]]:
    if fw.sampling is None:
        return []
    problems: list[tuple[Loc, str]] = []
    perception = [t.code for t in fw.tools if t.kind == "perception"]
    seen: set[str] = set()
    for ri, rule in enumerate(fw.sampling.rules):
        loc: Loc = ("sampling", "rules", ri)
        if rule.tool not in perception:
            problems.append(
                (
                    (*loc, "tool"),
                    f"{rule.tool!r} is not a perception tool of this framework "
                    f"(perception tools: {', '.join(perception)})",
                )
            )
        if rule.tool in seen:
            problems.append(((*loc, "tool"), f"a sampling rule for {rule.tool} is written twice"))
        seen.add(rule.tool)
        if rule.maximum is not None and rule.maximum < rule.minimum:
            problems.append(
                ((*loc, "maximum"), f"maximum {rule.maximum} is below minimum {rule.minimum}")
            )
    return problems


def _check_item(
    tool: Tool, subs: list[str], scales: dict[str, Scale], item: Item, loc: Loc
) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    if not item.code.startswith(tool.code[0]):
        problems.append(((*loc, "code"), f"item codes of {tool.code} start with {tool.code[0]!r}"))
    if tool.kind == "perception":
        if item.scale is None:
            problems.append(((*loc, "scale"), "a question needs an answer scale"))
        elif item.scale not in scales:
            problems.append(
                ((*loc, "scale"), f"unknown scale {item.scale!r} (known: {', '.join(scales)})")
            )
        if item.polarity is None:
            problems.append(((*loc, "polarity"), "a question needs a polarity"))
        for field in ("sub_indicator", "group_th", "elements", "period_th", "produced_by"):
            if getattr(item, field):
                problems.append(((*loc, field), f"{field} belongs to OIT items only"))
    else:
        if item.sub_indicator is None:
            problems.append(((*loc, "sub_indicator"), "an OIT item needs its sub-indicator"))
        elif item.sub_indicator not in subs:
            problems.append(
                (
                    (*loc, "sub_indicator"),
                    f"sub-indicator {item.sub_indicator} is not listed under this indicator "
                    f"(listed: {', '.join(subs) or 'none'})",
                )
            )
        for field in ("scale", "polarity", "subquestions", "remark_th"):
            if getattr(item, field):
                problems.append(((*loc, field), f"{field} belongs to IIT/EIT questions only"))
    return problems


def format_loc(loc: Loc) -> str:
    """Return a path like ``tools[0].indicators[3].items[2].scale``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


def schema_json() -> dict[str, Any]:
    """Return the JSON Schema of a framework file (for editors and docs)."""
    return Framework.model_json_schema()


def confidence_summary(obj: Marked) -> Counter[str]:
    """Count the confidence marks of an object and everything inside it."""
    counts: Counter[str] = Counter(obj.confidence.values())
    for name in type(obj).model_fields:
        value = getattr(obj, name)
        children = value if isinstance(value, list) else [value]
        for child in children:
            if isinstance(child, Marked):
                counts.update(confidence_summary(child))
    return counts
