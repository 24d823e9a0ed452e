"""Read score tables (CSV) into engine input: ``indicator,score`` and ``item,score``.

The same rules serve ``ita score``, ``ita report`` and the web upload: Thai digits are accepted
anywhere in numbers and codes, a header row is required, every row is checked and every fault
is reported with its line number (line 1 is the header), and nothing is returned unless the
whole table is valid.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ita.scoring.engine import SCORE_MAX, SCORE_MIN
from ita.scoring.spec import ScoringSpec, normalize_code
from ita.thai import parse_number

INDICATOR_HEADERS = {("indicator", "score"), ("ตัวชี้วัด", "คะแนน")}
ITEM_HEADERS = {("item", "score"), ("ข้อ", "คะแนน"), ("ข้อคำถาม", "คะแนน")}


@dataclass(frozen=True)
class RowError:
    line: int | None  # None: about the table as a whole
    th: str
    en: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.th} / {self.en}"
        return f"แถวที่ {self.line}: {self.th} / row {self.line}: {self.en}"


class TableError(ValueError):
    """A table with faults; ``errors`` lists all of them."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(self.one_line())

    def one_line(self) -> str:
        first = str(self.errors[0])
        more = len(self.errors) - 1
        return f"{first} (และอีก {more} ข้อผิดพลาด / and {more} more)" if more else first


def _rows(
    text: str,
    headers: set[tuple[str, str]],
    what_th: str,
    what_en: str,
    optional: frozenset[str] = frozenset(),
) -> list[tuple[int, list[str]]]:
    """Return (line, cells) for each data row, after checking the header and shape.

    The header is one of ``headers`` (key, score), optionally followed by columns named in
    ``optional``; each row's cells are padded to the header's width.
    """
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text))
    errors: list[RowError] = []
    rows: list[tuple[int, list[str]]] = []
    width = 2
    header_seen = False
    for cells in reader:
        line = reader.line_num
        cells = [c.strip() for c in cells]
        while cells and not cells[-1]:
            cells.pop()  # trailing empty cells, as spreadsheets write them
        if not cells:
            continue
        if not header_seen:
            header_seen = True
            names = [c.lower() for c in cells]
            if len(names) >= 2 and (names[0], names[1]) in headers and set(names[2:]) <= optional:
                width = len(names)
                continue
            want = " / ".join(",".join(h) for h in sorted(headers))
            raise TableError(
                [
                    RowError(
                        line,
                        f"หัวตารางต้องเป็น {want} แต่พบ {','.join(cells)!r}",
                        f"the header must be {want}, found {','.join(cells)!r}",
                    )
                ]
            )
        if not 2 <= len(cells) <= width:
            errors.append(
                RowError(
                    line,
                    f"ต้องมี {width} ช่อง ({what_th}, คะแนน…) แต่มี {len(cells)} ช่อง",
                    f"expected {width} cells ({what_en}, score…), found {len(cells)}",
                )
            )
            continue
        rows.append((line, cells + [""] * (width - len(cells))))
    if not header_seen:
        raise TableError([RowError(None, "ไฟล์ว่างเปล่า", "the file is empty")])
    if errors:
        raise TableError(errors)
    return rows


def _score(line: int, text: str, errors: list[RowError]) -> float | None:
    try:
        value = parse_number(text)
    except ValueError:
        errors.append(
            RowError(line, f"คะแนน {text!r} ไม่ใช่ตัวเลข", f"score {text!r} is not a number")
        )
        return None
    if not SCORE_MIN <= value <= SCORE_MAX:
        errors.append(
            RowError(
                line,
                f"คะแนน {text} อยู่นอกช่วง 0–100",
                f"score {text} is outside 0–100",
            )
        )
        return None
    return value


K = TypeVar("K", int, str)


def _read_scores(
    text: str,
    spec: ScoringSpec,
    headers: set[tuple[str, str]],
    what: tuple[str, str],
    resolve: Callable[[str], K | None],
    optional: frozenset[str] = frozenset(),
) -> tuple[dict[K, float], list[RowError]]:
    """Return the scores of a (key, score, …) table by key, and the faults of its rows."""
    th, en = what
    errors: list[RowError] = []
    scores: dict[K, float] = {}
    first_line: dict[K, int] = {}
    for line, (cell, value, *_rest) in _rows(text, headers, th, en, optional):
        key = resolve(cell)
        score = _score(line, value, errors)
        if key is None:
            errors.append(
                RowError(
                    line,
                    f"ไม่มี{th} {cell!r} ในกรอบปี {spec.fiscal_year}",
                    f"unknown {en} {cell!r} for {spec.fiscal_year}",
                )
            )
        elif key in first_line:
            errors.append(
                RowError(
                    line,
                    f"{th} {key} ซ้ำกับแถวที่ {first_line[key]}",
                    f"{en} {key} repeats line {first_line[key]}",
                )
            )
        elif score is not None:
            scores[key] = score
            first_line[key] = line
    return scores, errors


def read_indicator_table(text: str, spec: ScoringSpec) -> dict[int, float]:
    """Return indicator scores from an ``indicator,score`` table; every indicator is required."""
    scores, errors = _read_scores(
        text, spec, INDICATOR_HEADERS, ("ตัวชี้วัด", "indicator"), spec.resolve_indicator
    )
    missing = [str(i.number) for i in spec.indicators if i.number not in scores]
    if missing and not errors:
        errors.append(
            RowError(
                None,
                f"ไม่มีคะแนนตัวชี้วัดที่ {', '.join(missing)}",
                f"missing indicator(s) {', '.join(missing)}",
            )
        )
    if errors:
        raise TableError(errors)
    return scores


FINDING_HEADERS = frozenset({"finding", "ข้อค้นพบ"})


def read_item_findings_table(
    text: str, spec: ScoringSpec
) -> tuple[dict[str, float], dict[str, float]]:
    """Return item scores and findings (%) from an ``item,score[,finding]`` table."""
    errors: list[RowError] = []
    scores = read_item_table(text, spec, FINDING_HEADERS)
    findings: dict[str, float] = {}
    for line, (cell, _score_text, *rest) in _rows(
        text, ITEM_HEADERS, "ข้อ", "item", FINDING_HEADERS
    ):
        finding_text = rest[0] if rest else ""
        if not finding_text:
            continue
        value = _score(line, finding_text, errors)
        code = normalize_code(cell)
        if value is not None and code in scores:
            if not spec.item(code).fields:
                errors.append(
                    RowError(line, f"ข้อ {code} ไม่มีข้อค้นพบ (ข้อ OIT)", f"{code} has no finding (OIT)")
                )
            else:
                findings[code] = value
    if errors:
        raise TableError(errors)
    return scores, findings


def read_item_table(
    text: str, spec: ScoringSpec, optional: frozenset[str] = frozenset()
) -> dict[str, float]:
    """Return item scores from an ``item,score`` table (codes like I9, E10, O12)."""

    def resolve(cell: str) -> str | None:
        code = normalize_code(cell)
        return code if spec.has_item(code) else None

    scores, errors = _read_scores(text, spec, ITEM_HEADERS, ("ข้อ", "item"), resolve, optional)
    if not scores and not errors:
        errors.append(RowError(None, "ไม่มีคะแนนรายข้อ", "no item scores"))
    if errors:
        raise TableError(errors)
    return scores
