"""The scores a document prints: indicators, tools, items, its total and level, its level table.

Indicator names, tool codes and names, item codes and level names all come from the fiscal
year's :class:`~ita.scoring.spec.ScoringSpec`; only the *shapes* (a letter and digits, "ตัวชี้วัดที่ n",
a number with two decimals) are written here.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ita.importers.document import BandRow
from ita.importers.normalize import (
    SCORE_RE,
    arabic,
    code_at_start,
    has_decimal,
    parse_score,
    squash,
    squash_spaces,
)
from ita.importers.tables import CleanDocument, RoledTable
from ita.scoring.engine import ROUNDING_TOLERANCE, Notice
from ita.scoring.spec import ScoringSpec

Warn = Callable[[str, str, str], None]
NAME_SIMILARITY = 0.9  # how close a misspelt indicator name must be to a framework name


# --- indicators and tools -----------------------------------------------------------------

_INDICATOR_PREFIX = re.compile(r"^(?:ตัวชี้วัดที่|ตัวชี้วัด|indicator)(?P<n>\d{1,2})[.:]?", re.I)
_ASIDE = re.compile(r"\([^()]*\)")


def resolve_indicator(spec: ScoringSpec, cell: str, *, digits_ok: bool) -> int | None:
    """Return the indicator a cell names: by name or alias (even misspelt), "ตัวชี้วัดที่ n", or a
    bare number when the column is known to hold indicators (``digits_ok``)."""
    text = _ASIDE.sub("", squash(arabic(cell))).strip(".:-–")
    match = _INDICATOR_PREFIX.match(text)
    explicit = int(match.group("n")) if match else None
    rest = (text[match.end() :] if match else text).strip(".:-–")
    if not rest:
        return explicit if explicit is not None and spec.has_indicator(explicit) else None
    if rest.isdecimal():
        number = int(rest) if digits_ok and explicit is None else None
        return number if number is not None and spec.has_indicator(number) else None
    by_name = spec.resolve_indicator(rest)
    if by_name is not None:
        return by_name
    return _similar_indicator(spec, rest)


def _similar_indicator(spec: ScoringSpec, text: str) -> int | None:
    best: tuple[float, int] | None = None
    for ind in spec.indicators:
        for name in (ind.name_th, *ind.aliases):
            ratio = difflib.SequenceMatcher(None, text, squash(name)).ratio()
            if ratio >= NAME_SIMILARITY and (best is None or ratio > best[0]):
                best = (ratio, ind.number)
    return best[1] if best else None


def resolve_tool(spec: ScoringSpec, cell: str) -> str | None:
    """Return the tool a cell names by code (``(IIT)``) or Thai name; None if none or several."""
    text = squash(cell)
    found = {
        tool.code
        for tool in spec.tools
        if re.search(rf"(?<![A-Za-z]){re.escape(tool.code)}(?![A-Za-z])", text, re.I)
        or squash(tool.name_th) in text
    }
    return found.pop() if len(found) == 1 else None


def _put(found: dict[int, float], key: int, value: float, warn: Warn, th: str, en: str) -> None:
    if key in found and abs(found[key] - value) > ROUNDING_TOLERANCE / 2:
        warn(
            "conflicting_scores",
            f"{th} พิมพ์ไว้ไม่ตรงกัน: {found[key]:.2f} และ {value:.2f} (ใช้ค่าแรก)",
            f"{en} is printed as both {found[key]:.2f} and {value:.2f} (the first is used)",
        )
    found.setdefault(key, value)


_PROSE_INDICATOR = re.compile(
    r"ตัวชี้วัดที่\s*(?P<n>\d{1,2})\s*(?P<name>[^\d]{0,60}?)\s*(?:โดยรวม)?\s*(?:ได้|มี)?\s*"
    rf"(?:ระดับ)?\s*คะแนน\s*(?:เฉลี่ย)?\s*(?:เท่ากับ|อยู่ที่|คือ)?\s*(?:ร้อยละ)?\s*(?P<score>{SCORE_RE})"
)


def read_indicators(doc: CleanDocument, spec: ScoringSpec, warn: Warn) -> dict[int, float]:
    """Return indicator scores from score tables, then from sentences the tables lack."""
    found: dict[int, float] = {}
    for table in doc.tables:
        if table.has("weight") or (table.has_header and not table.has("indicator")):
            continue
        for row in table.rows:
            pair = _indicator_row(spec, table, row)
            if pair is not None:
                n, score = pair
                _put(found, n, score, warn, f"คะแนนตัวชี้วัดที่ {n}", f"indicator {n}")
    from_prose: dict[int, float] = {}
    for match in _PROSE_INDICATOR.finditer(arabic(doc.prose().replace("\n", " "))):
        n, score = int(match.group("n")), float(match.group("score"))
        name = match.group("name").strip()
        if not spec.has_indicator(n) or score > 100:  # not-domain: the top of the scale
            continue
        if name and resolve_indicator(spec, name, digits_ok=False) not in (None, n):
            continue
        _put(from_prose, n, score, warn, f"คะแนนตัวชี้วัดที่ {n}", f"indicator {n}")
    for n, score in from_prose.items():
        _put(found, n, score, warn, f"คะแนนตัวชี้วัดที่ {n} (ตาราง/ข้อความ)", f"indicator {n}")
    return dict(sorted(found.items()))


def _indicator_row(
    spec: ScoringSpec, table: RoledTable, row: Sequence[str]
) -> tuple[int, float] | None:
    ind_col, score_col = table.column("indicator"), table.column("score")
    if ind_col is not None and score_col is not None:
        n = resolve_indicator(spec, row[ind_col], digits_ok=True)
        score = parse_score(row[score_col])
        return (n, score) if n is not None and score is not None else None
    named = [j for j, c in enumerate(row) if resolve_indicator(spec, c, digits_ok=False)]
    scored = [j for j, c in enumerate(row) if has_decimal(c) and parse_score(c) is not None]
    scored = [j for j in scored if j not in named]
    if len(named) != 1 or len(scored) != 1:
        return None
    n = resolve_indicator(spec, row[named[0]], digits_ok=False)
    score = parse_score(row[scored[0]])
    return (n, score) if n is not None and score is not None else None


def read_tools(doc: CleanDocument, spec: ScoringSpec, warn: Warn) -> dict[str, float]:
    """Return tool scores from tables with a tool column and a score column."""
    found: dict[str, float] = {}
    for table in doc.tables:
        tool_col, score_col = table.column("tool"), table.column("score")
        if tool_col is None or score_col is None or table.has("indicator"):
            continue  # an indicator table names each indicator's tool beside its score
        for row in table.rows:
            code, score = resolve_tool(spec, row[tool_col]), parse_score(row[score_col])
            if code is None or score is None:
                continue
            if code in found and abs(found[code] - score) > ROUNDING_TOLERANCE / 2:
                warn(
                    "conflicting_scores",
                    f"คะแนนแบบวัด {code} พิมพ์ไว้ไม่ตรงกัน: {found[code]:.2f} และ {score:.2f}",
                    f"the {code} score is printed as both {found[code]:.2f} and {score:.2f}",
                )
            found.setdefault(code, score)
    return found


_NUMBER = re.compile(r"\d{1,3}(?:\.\d+)?")


def check_weights(doc: CleanDocument, spec: ScoringSpec, warn: Warn) -> None:
    """Warn where the document's table of tool weights differs from the framework's."""
    for table in doc.tables:
        tool_col, weight_col = table.column("tool"), table.column("weight")
        if tool_col is None or weight_col is None:
            continue
        for row in table.rows:
            code = resolve_tool(spec, row[tool_col])
            number = _NUMBER.search(arabic(row[weight_col]))
            if code is None or number is None:
                continue
            printed, weight = float(number.group(0)), spec.tool(code).weight
            if abs(printed - weight) > ROUNDING_TOLERANCE / 2:
                warn(
                    "weight_table",
                    f"เอกสารพิมพ์น้ำหนักแบบวัด {code} ร้อยละ {printed:g} แต่กรอบปี "
                    f"{spec.fiscal_year} กำหนดร้อยละ {weight:g}",
                    f"the document prints the {code} weight as {printed:g} %, the "
                    f"{spec.fiscal_year} framework uses {weight:g} %",
                )


# --- the level table ----------------------------------------------------------------------

_RANGE = re.compile(rf"(?P<low>{SCORE_RE})\s*(?:-|–|—|ถึง)\s*(?P<high>{SCORE_RE})")


def level_names(spec: ScoringSpec) -> list[str]:
    """Return the year's level names, longest first (so AA is tried before A)."""
    return sorted((level.name for level in spec.levels), key=len, reverse=True)


def read_level_table(doc: CleanDocument, spec: ScoringSpec) -> list[BandRow]:
    """Return the rows of a level table (คะแนน | ระดับ) as printed."""
    rows: list[BandRow] = []
    for table in doc.tables:
        score_col, level_col = table.column("score"), table.column("level")
        if score_col is None or level_col is None or table.has("indicator"):
            continue
        for row in table.rows:
            level = squash_spaces(row[level_col])
            match = _RANGE.search(arabic(row[score_col]))
            if level and match:
                rows.append(BandRow(level, float(match.group("low")), float(match.group("high"))))
    return rows


def check_level_table(rows: Sequence[BandRow], spec: ScoringSpec, warn: Warn) -> None:
    """Warn where a printed level table differs from the year's level rules."""
    if not rows:
        return
    rules = list(spec.levels)
    grades = all(rule.each_tool_min is None for rule in rules)
    expected: dict[str, tuple[float, float | None]] = {}
    for index, rule in enumerate(rules):
        higher = [r.total_min for r in rules[:index] if r.total_min > rule.total_min]
        top = min(higher) - ROUNDING_TOLERANCE if higher else 100.0  # not-domain: scale top
        expected[rule.name] = (rule.total_min, top if grades else None)
    differences: list[tuple[str, str]] = []
    for row in rows:
        if row.level not in expected:
            differences.append(
                (f"ระดับ {row.level} ไม่มีในกรอบ", f"level {row.level} is not in the framework")
            )
            continue
        low, high = expected[row.level]
        off = row.low is not None and abs(row.low - low) > ROUNDING_TOLERANCE / 2
        if high is not None and row.high is not None:
            off = off or abs(row.high - high) > ROUNDING_TOLERANCE / 2
        if off:
            want = f"{low:.2f}–{high:.2f}" if high is not None else f"≥ {low:.2f}"
            printed = f"{row.level} {row.low:.2f}–{row.high:.2f}"
            differences.append((f"{printed} (กรอบ: {want})", f"{printed} (framework: {want})"))
    if differences:
        warn(
            "level_table",
            f"ตารางระดับผลการประเมินในเอกสารต่างจากกรอบปี {spec.fiscal_year}: "
            + "; ".join(th for th, _en in differences),
            f"the document's level table differs from the {spec.fiscal_year} framework: "
            + "; ".join(en for _th, en in differences),
        )


# --- the stated total and level -------------------------------------------------------------

# A total is printed with decimals; a bare number after "ภาพรวม" is a page in a table of contents.
_DECIMAL_SCORE = r"\d{1,3}\.\d{1,2}"
_TOTAL_SENTENCES = (
    re.compile(rf"(?:ภาพรวม|คะแนนรวม)[^\d\n]{{0,30}}?(?P<n>{_DECIMAL_SCORE})(?!\d)"),
    re.compile(rf"จำนวน\s*(?P<n>{_DECIMAL_SCORE})\s*คะแนน\s*จากคะแนนเต็ม"),
    re.compile(rf"คะแนน\s*อยู่ที่\s*(?P<n>{_DECIMAL_SCORE})(?!\d)"),
)
_NOT_A_TOTAL = re.compile(r"ตัวชี้วัด|มากกว่า|น้อยกว่า|เกณฑ์|ตั้งแต่|เป้าหมาย")
TOTAL_LABELS = {"คะแนนรวม", "รวม", "ภาพรวม", "คะแนนภาพรวม", "total", "ผลรวม"}
LEVEL_LABELS = {"ระดับ", "ระดับผลการประเมิน", "ผลการประเมิน", "level"}


@dataclass(frozen=True)
class Stated:
    total: float | None
    level: str | None
    other_totals: tuple[float, ...] = ()  # further totals the document states (a typo?)


def _level_pattern(spec: ScoringSpec) -> re.Pattern[str]:
    names = "|".join(re.escape(n) for n in level_names(spec))
    return re.compile(
        r"ระดับ\s*(?:ผลการประเมิน)?\s*(?:คือ|เป็น|[:=])?\s*"
        rf"(?P<level>{names})(?![A-Za-z]|เกณฑ์)"
    )


def read_stated(doc: CleanDocument, spec: ScoringSpec, warn: Warn) -> Stated:
    """Return the total and level the document states (most often; first on a tie)."""
    totals: list[float] = []
    levels: list[str] = []
    names = {level.name for level in spec.levels}
    for table in doc.tables:
        score_col = table.column("score")
        for row in table.rows:
            labels = [squash(c).lower() for c in row]
            if any(label in TOTAL_LABELS for label in labels):
                totals += _total_in_row(row, score_col)
            if any(label in LEVEL_LABELS for label in labels):
                levels += [squash(c) for c in row if squash(c) in names][:1]
    text = arabic(doc.prose())
    for line in text.split("\n"):
        for pattern in _TOTAL_SENTENCES:
            for match in pattern.finditer(line):
                before = line[max(0, match.start() - 60) : match.start("n")]
                if _NOT_A_TOTAL.search(before):
                    continue
                value = float(match.group("n"))
                if value <= 100:  # not-domain: the top of the scale
                    totals.append(value)
        levels += [m.group("level") for m in _level_pattern(spec).finditer(line)]
    total = _most_stated(totals, warn, "คะแนนรวม", "total", "{:.2f}")
    level = _most_stated(levels, warn, "ระดับ", "level", "{}")
    others = tuple(v for v in dict.fromkeys(totals) if v != total)
    return Stated(total, level, others)


def _total_in_row(row: Sequence[str], score_col: int | None) -> list[float]:
    """Return the total a "คะแนนรวม" row gives: in the score column, or its only bare score."""
    if score_col is not None:
        score = parse_score(row[score_col])
        return [score] if score is not None and has_decimal(row[score_col]) else []
    found = [
        s
        for c in row
        if has_decimal(c) and not _PERCENT_WORDS.search(c) and (s := parse_score(c)) is not None
    ]
    return found if len(found) == 1 else []


_PERCENT_WORDS = re.compile(r"ร้อยละ|%")


def _most_stated(values: list[Any], warn: Warn, th: str, en: str, fmt: str) -> Any:
    if not values:
        return None
    counts = Counter(values)
    best = max(counts, key=lambda v: (counts[v], -values.index(v)))
    if len(counts) > 1:
        listed = ", ".join(f"{fmt.format(v)} ({counts[v]}×)" for v in counts)
        warn(
            f"conflicting_{en}",
            f"เอกสารระบุ{th}ไว้ไม่ตรงกัน: {listed} — ใช้ {fmt.format(best)}",
            f"the document states its {en} differently: {listed}; using {fmt.format(best)}",
        )
    return best


# --- item scores ----------------------------------------------------------------------------

_SCORE_AFTER = re.compile(rf"คะแนน\s*(?:เท่ากับ)?\s*(?P<n>{SCORE_RE})")
_TRAILING_SCORE = re.compile(r"(?P<n>\d{1,3}\.\d{1,2})\s*(?:%|คะแนน)?\s*$")


@dataclass(frozen=True)
class ItemEntry:
    code: str
    text: str
    score: float | None
    known: bool  # the code is in the year's framework


def item_prefixes(spec: ScoringSpec) -> frozenset[str]:
    return frozenset(item.code[0] for item in spec.items)


def item_entries(cell: str, spec: ScoringSpec, *, lookalikes: bool) -> list[ItemEntry]:
    """Return the questions a cell lists: ``E๑ <question> คะแนน ๗๔.๖๒`` or ``I21 …. 100.00``."""
    prefixes = item_prefixes(spec)
    entries: list[ItemEntry] = []
    for line in cell.split("\n"):
        for piece in _pieces(line):
            got = code_at_start(piece, prefixes, lookalikes)
            if got is None:
                continue
            code, end = got
            known = spec.has_item(code)
            if not known and lookalikes and not piece.lstrip()[:1].isalpha():
                continue  # a number that merely looks like a code
            rest = piece[end:]
            view = arabic(rest)
            found = list(_SCORE_AFTER.finditer(view)) or list(_TRAILING_SCORE.finditer(view))
            score = None
            if found:
                score = float(found[-1].group("n"))
                rest = rest[: found[-1].start()]
            entries.append(ItemEntry(code, squash_spaces(rest), score, known))
    return entries


def _pieces(line: str) -> list[str]:
    """Cut a line after each "คะแนน <n>": one question ends where its score is printed."""
    view = arabic(line)
    pieces, start = [], 0
    for match in _SCORE_AFTER.finditer(view):
        pieces.append(line[start : match.end()])
        start = match.end()
    pieces.append(line[start:])
    return [p for p in pieces if p.strip()]


def read_items(doc: CleanDocument, spec: ScoringSpec, warn: Warn) -> dict[str, float]:
    """Return item scores from question columns, item tables and lines that open with a code."""
    found: dict[str, float] = {}
    entries: list[ItemEntry] = []
    for table in doc.tables:
        q_col, score_col = table.column("questions"), table.column("score")
        for row in table.rows:
            if q_col is not None:
                listed = item_entries(row[q_col], spec, lookalikes=True)
                if score_col is not None and len(listed) == 1 and listed[0].score is None:
                    only = listed[0]
                    listed = [
                        ItemEntry(only.code, only.text, parse_score(row[score_col]), only.known)
                    ]
                entries += listed
            elif not table.has_header:
                filled = [c for c in row if c.strip()]
                listed = item_entries(filled[0], spec, lookalikes=False) if filled else []
                if len(listed) == 1 and listed[0].score is None:
                    scores = [
                        s
                        for c in filled[1:]
                        if has_decimal(c) and (s := parse_score(c)) is not None
                    ]
                    if len(scores) == 1:
                        one = listed[0]
                        listed = [ItemEntry(one.code, one.text, scores[0], one.known)]
                entries += listed
    for _index, line in doc.lines:
        entries += [e for e in item_entries(line, spec, lookalikes=False) if e.score is not None]
    unknown: list[str] = []
    for entry in entries:
        if not entry.known:
            unknown.append(entry.code)
            continue
        if entry.score is None:
            continue
        if not 0 <= entry.score <= 100:  # not-domain: the ends of the scale
            continue
        if entry.code in found and abs(found[entry.code] - entry.score) > ROUNDING_TOLERANCE / 2:
            warn(
                "conflicting_scores",
                f"ข้อ {entry.code} พิมพ์คะแนนไว้ไม่ตรงกัน: {found[entry.code]:.2f} และ {entry.score:.2f}",
                f"{entry.code} is printed as both {found[entry.code]:.2f} and {entry.score:.2f}",
            )
        found.setdefault(entry.code, entry.score)
    order = {item.code: index for index, item in enumerate(spec.items)}
    found = dict(sorted(found.items(), key=lambda pair: order[pair[0]]))
    if unknown:
        codes = ", ".join(dict.fromkeys(unknown))
        warn(
            "unknown_item",
            f"ข้อ {codes} ไม่มีในกรอบปี {spec.fiscal_year} จึงไม่ได้อ่านคะแนน",
            f"{codes} not in the {spec.fiscal_year} framework; their scores were not read",
        )
    return found


def notice(code: str, th: str, en: str) -> Notice:
    return Notice(code, th, en)
