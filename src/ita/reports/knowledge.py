"""The knowledge base: our own Thai texts about each indicator, tool and level, per framework year.

One file per fiscal year, ``knowledge/ita-YYYY.yaml``, validated by :class:`KnowledgeFile`. A
file may start from another year's content with ``reuse: YYYY``: every text it gives replaces
the reused one (per indicator and per tool, field by field; ``preface_th``, ``guidelines_th``
and ``levels`` as a whole), everything else is taken over. Chains are allowed
(2568 → 2567 → 2566 …); a loop is a fault.

Texts may name a few values with placeholders, filled when a report is drafted: ``{agency}``
(the agency's full name), ``{year}`` (the fiscal year analysed) and ``{pass_mark}`` (the year's
pass mark, two decimals). Digits are written in Arabic; a report in Thai digits converts them.

:func:`load_knowledge` resolves a year's chain and checks it against that year's framework:
every tool and indicator of the framework needs its texts, and the file may name no tool,
indicator or level the framework does not have. Faults carry file, line and path.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ita.catalog.loader import FILE_PATTERN, Problem, line_of, year_files
from ita.catalog.schema import Framework, Loc
from ita.reports.yamlfile import DataFileError, read_text, read_yaml, validate

PLACEHOLDERS = frozenset({"agency", "year", "pass_mark"})
_SOURCE_TREE_DIR = Path(__file__).resolve().parents[3] / "knowledge"


def _known_placeholders(text: str) -> str:
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as exc:
        raise ValueError(f"bad placeholder: {exc} (write a literal brace as {{{{ or }}}})") from exc
    unknown = sorted(set(fields) - PLACEHOLDERS)
    if unknown:
        raise ValueError(
            f"unknown placeholder(s) {', '.join('{' + u + '}' for u in unknown)}; "
            f"known: {', '.join('{' + p + '}' for p in sorted(PLACEHOLDERS))}"
        )
    return text


Para = Annotated[str, Field(min_length=1), AfterValidator(_known_placeholders)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IndicatorText(_Strict):
    measures_th: Para | None = None  # what the indicator measures
    improve_th: Para | None = None  # how an agency can raise it (การพัฒนาหรือแก้ไข)


class ToolText(_Strict):
    maintain_th: Para | None = None  # when every indicator of the tool passes
    improve_th: Para | None = None  # when some indicator of the tool is below the pass mark


class KnowledgeFile(_Strict):
    """One ``knowledge/ita-YYYY.yaml`` file as written (every text optional when reusing)."""

    schema_version: Literal[1]
    fiscal_year: Annotated[int, Field(ge=2500, le=2700)]  # Buddhist era
    reuse: Annotated[int, Field(ge=2500, le=2700)] | None = None
    note: str | None = None
    sources: list[str] = []
    preface_th: Annotated[list[Para], Field(min_length=1)] | None = None
    guidelines_th: Annotated[list[Para], Field(min_length=1)] | None = None
    levels: dict[str, Para] | None = None  # level name → what it means
    tools: dict[str, ToolText] = {}
    indicators: dict[int, IndicatorText] = {}


@dataclass(frozen=True)
class IndicatorKnowledge:
    measures_th: str
    improve_th: str


@dataclass(frozen=True)
class ToolKnowledge:
    maintain_th: str
    improve_th: str


@dataclass(frozen=True)
class Knowledge:
    """The resolved texts of one fiscal year (its file and the files it reuses)."""

    fiscal_year: int
    files: tuple[Path, ...]  # the year's own file first, then the files it reuses
    preface_th: tuple[str, ...]
    guidelines_th: tuple[str, ...]
    levels: Mapping[str, str]
    tools: Mapping[str, ToolKnowledge]
    indicators: Mapping[int, IndicatorKnowledge]


def knowledge_dir() -> Path:
    """Return the checkout's ``knowledge/`` folder (the default for every loader)."""
    return _SOURCE_TREE_DIR


def knowledge_paths(directory: Path | None = None) -> dict[int, Path]:
    """Return the knowledge files of a folder by fiscal year, oldest first."""
    return year_files(directory or knowledge_dir(), "knowledge")


@dataclass(frozen=True)
class _Read:
    path: Path
    file: KnowledgeFile
    node: yaml.Node | None


def read_knowledge_file(path: Path) -> _Read:
    """Read and validate one file (without resolving what it reuses)."""
    data, node = read_yaml(read_text(path), path)
    kf = validate(KnowledgeFile, data, node, path)
    match = FILE_PATTERN.match(path.name)
    if match and int(match.group(1)) != kf.fiscal_year:
        loc: Loc = ("fiscal_year",)
        raise DataFileError(
            path,
            [Problem(loc, f"file is named for {match.group(1)} but says {kf.fiscal_year}",
                     line_of(node, loc))],
        )  # fmt: skip
    return _Read(path, kf, node)


def _chain(year: int, paths: Mapping[int, Path]) -> list[_Read]:
    """Return the year's file followed by every file it reuses, newest first."""
    chain: list[_Read] = []
    seen: list[int] = []
    current: int | None = year
    while current is not None:
        if current in seen:
            first = chain[0]
            loop = " → ".join(str(y) for y in [*seen, current])
            raise DataFileError(
                first.path,
                [Problem(("reuse",), f"reuse goes round in a loop: {loop}",
                         line_of(first.node, ("reuse",)))],
            )  # fmt: skip
        if current not in paths:
            if not chain:
                known = ", ".join(str(y) for y in paths) or "none"
                raise LookupError(
                    f"ไม่มีฐานความรู้ของปีงบประมาณ {year} (มี: {known}) / "
                    f"no knowledge file for fiscal year {year} (available: {known})"
                )
            last = chain[-1]
            raise DataFileError(
                last.path,
                [Problem(("reuse",), f"there is no knowledge file for {current} to reuse",
                         line_of(last.node, ("reuse",)))],
            )  # fmt: skip
        seen.append(current)
        read = read_knowledge_file(paths[current])
        chain.append(read)
        current = read.file.reuse
    return chain


def _merge_fields(models: list[Any]) -> dict[str, Any]:
    """Merge partial text objects, the first given value of each field winning."""
    merged: dict[str, Any] = {}
    for model in models:
        for name in type(model).model_fields:
            value = getattr(model, name)
            if value is not None and name not in merged:
                merged[name] = value
    return merged


def resolve(chain: list[_Read], framework: Framework) -> Knowledge:
    """Merge a chain of files (newest first) and check it against the year's framework."""
    own = chain[0]
    problems: list[Problem] = []
    where: list[Path] = []

    def fault(loc: Loc, message: str) -> None:
        # A fault belongs to the first file of the chain that writes this place, else to the
        # year's own file.
        read = next((r for r in chain if _has(r.node, loc)), own)
        problems.append(Problem(loc, message, line_of(read.node, loc)))
        where.append(read.path)

    def first(field: str) -> Any:
        return next((getattr(r.file, field) for r in chain if getattr(r.file, field)), None)

    years = ", ".join(str(r.file.fiscal_year) for r in chain)
    preface, guidelines = first("preface_th"), first("guidelines_th")
    if preface is None:
        fault(("preface_th",), f"no preface in {years}")
    if guidelines is None:
        fault(("guidelines_th",), f"no guidelines for action in {years}")
    levels: dict[str, str] = first("levels") or {}
    known_levels = [r.name for r in framework.levels.rules]
    for name in levels:
        if name not in known_levels:
            fault(
                ("levels", name),
                f"level {name!r} is not in the {framework.fiscal_year} framework "
                f"(levels: {', '.join(known_levels)})",
            )

    tool_codes = [t.code for t in framework.tools]
    tools: dict[str, ToolKnowledge] = {}
    for read in chain:
        for code in read.file.tools:
            if code not in tool_codes:
                fault(("tools", code), f"tool {code} is not in the {framework.fiscal_year} "
                      f"framework (tools: {', '.join(tool_codes)})")  # fmt: skip
    for code in tool_codes:
        merged = _merge_fields([r.file.tools[code] for r in chain if code in r.file.tools])
        missing = [f for f in ToolText.model_fields if f not in merged]
        for name in missing:
            fault(("tools", code, name), f"no text for tool {code} in {years}")
        if not missing:
            tools[code] = ToolKnowledge(**merged)

    numbers = [ind.number for _, ind in framework.indicators()]
    indicators: dict[int, IndicatorKnowledge] = {}
    for read in chain:
        for number in read.file.indicators:
            if number not in numbers:
                fault(("indicators", number), f"indicator {number} is not in the "
                      f"{framework.fiscal_year} framework")  # fmt: skip
    for number in numbers:
        merged = _merge_fields(
            [r.file.indicators[number] for r in chain if number in r.file.indicators]
        )
        missing = [f for f in IndicatorText.model_fields if f not in merged]
        for name in missing:
            fault(("indicators", number, name), f"no text for indicator {number} in {years}")
        if not missing:
            indicators[number] = IndicatorKnowledge(**merged)

    if problems:
        raise DataFileError(own.path, problems, where)
    return Knowledge(
        fiscal_year=own.file.fiscal_year,
        files=tuple(r.path for r in chain),
        preface_th=tuple(preface or ()),
        guidelines_th=tuple(guidelines or ()),
        levels=levels,
        tools=tools,
        indicators=indicators,
    )


def _has(node: yaml.Node | None, loc: Loc) -> bool:
    """Return whether every part of ``loc`` exists in the node tree."""
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if 0 <= part < len(node.value) else None
        else:
            return False
        if node is None:
            return False
    return True


def load_knowledge(year: int, framework: Framework, directory: Path | None = None) -> Knowledge:
    """Return the resolved knowledge of a fiscal year, checked against its framework.

    Raises :class:`LookupError` when the year has no file, and
    :class:`~ita.reports.yamlfile.DataFileError` with every fault otherwise.
    """
    return resolve(_chain(year, knowledge_paths(directory)), framework)
