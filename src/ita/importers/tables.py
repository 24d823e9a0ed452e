"""Clean blocks and tables whose columns are known by their headers.

A table's header names what each column holds (มาตรการ, ขั้นตอน, ระยะเวลา, ผู้รับผิดชอบ, ข้อคำถาม ITA,
คะแนน, ระดับ …). Agencies word and wrap these headers freely, so a column's *role* is found by
keywords in the squashed header text; a header may span two rows (seed S0's merged
"การนำผลการวิเคราะห์ไปสู่การปฏิบัติ" over ข้อคำถาม ITA | ข้อค้นพบ).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ita.importers.normalize import arabic, parse_score, repair, squash
from ita.importers.readers import Block, Line, RawDocument, Table

# Column roles, tried in this order on the squashed, lower-cased header; the first whose
# keyword occurs in it wins. Words that only make sense alone match the whole header.
ROLE_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("outcome", ("ผลลัพธ์", "สัมฤทธิ์", "outcome")),
    ("output", ("output", "ผลการดำเนินการ", "ผลการดำเนินงาน")),
    ("steps", ("ขั้นตอน", "วิธีการปฏิบัติ", "วิธีการ", "step")),
    ("period", ("ระยะเวลา", "ช่วงเวลา", "period")),
    ("responsible", ("รับผิดชอบ", "responsible")),
    ("follow_up", ("ติดตาม", "follow")),
    ("findings", ("ข้อค้นพบ", "finding")),
    ("questions", ("ข้อคำถาม", "ข้อความita", "คำถาม", "question")),
    ("recommendations", ("ข้อเสนอแนะ", "recommend")),
    ("evidence", ("หลักฐาน", "evidence", "url", "ลิงก์", "link")),
    ("limitations", ("ข้อจำกัด", "limitation")),
    ("title", ("มาตรการ", "ประเด็น", "กิจกรรม", "โครงการ", "measure", "issue", "activit")),
    ("weight", ("น้ำหนัก", "weight")),
    ("indicator", ("ตัวชี้วัด", "indicator")),
    ("tool", ("เครื่องมือ", "แบบวัด", "แบบตรวจ", "tool")),
    ("score", ("คะแนน", "score", "ร้อยละ")),
    ("level", ("ระดับ", "level", "grade")),
    ("rank", ("อันดับ", "ลำดับ", "rank")),
)
WHOLE_WORD_ROLES = {"ข้อ": "questions", "item": "questions", "code": "questions", "no.": "rank"}
_TONE_MARKS = dict.fromkeys(map(ord, "\u0e48\u0e49\u0e4a\u0e4b"))


def _plain(text: str) -> str:
    """Return text squashed, lower-cased and without tone marks (a PDF may drop them)."""
    return squash(text).lower().translate(_TONE_MARKS)


_KEYWORDS = tuple((role, tuple(_plain(w) for w in words)) for role, words in ROLE_KEYWORDS)
_WHOLE_WORDS = {_plain(word): role for word, role in WHOLE_WORD_ROLES.items()}
MAX_HEADER_ROWS = 3
MAX_HEADER_CELL = 80  # characters: a header cell is a label, not a paragraph
_ENUMERATED = re.compile(r"^\(?\d{1,2}[.)]")


def role_of(header: str) -> str | None:
    """Return the role of a column from its header text, or None."""
    text = _plain(header)
    if not text:
        return None
    if text in _WHOLE_WORDS:
        return _WHOLE_WORDS[text]
    for role, words in _KEYWORDS:
        if any(word in text for word in words):
            return role
    return None


def _looks_like_data(cell: str) -> bool:
    """Return whether a cell holds data: a number alone, a numbered entry, or a paragraph."""
    text = squash(cell)
    return (
        len(text) > MAX_HEADER_CELL
        or parse_score(text) is not None
        or _ENUMERATED.match(arabic(text)) is not None
    )


def header_rows(rows: Sequence[Sequence[str]]) -> int:
    """Return how many leading rows of a table are its header (0 when it has none).

    A header may take up to three rows (a merged cell over two sub-headers, or a label that
    wraps into the row below); the deepest run of label-like rows whose columns, read
    together, name at least two roles (and half the labelled columns) is the header.
    """
    best = 0
    width = max((len(row) for row in rows), default=0)
    for k in range(1, min(MAX_HEADER_ROWS, len(rows)) + 1):
        filled = [c for c in rows[k - 1] if c.strip()]
        if not filled or any(_looks_like_data(c) for c in filled):
            break
        labelled = sum(any(j < len(r) and r[j].strip() for r in rows[:k]) for j in range(width))
        roles = sum(role is not None for role in column_roles(rows[:k], width))
        if roles >= max(2 if labelled > 1 else 1, (labelled + 1) // 2):
            best = k
    return best


def column_roles(header: Sequence[Sequence[str]], width: int) -> tuple[str | None, ...]:
    """Return each column's role; a lower header row (the more specific one) decides first."""
    roles: list[str | None] = []
    for j in range(width):
        role = None
        for row in reversed(header):
            if j < len(row) and (role := role_of(row[j])) is not None:
                break
        if role is None:
            role = role_of(" ".join(row[j] for row in header if j < len(row)))
        roles.append(role if role not in roles else None)
    return tuple(roles)


@dataclass(frozen=True)
class RoledTable:
    """A table's data rows with the role of each column (roles are None without a header)."""

    index: int  # position among the document's blocks
    roles: tuple[str | None, ...]
    rows: tuple[tuple[str, ...], ...]
    has_header: bool
    page: int | None

    @property
    def width(self) -> int:
        return len(self.roles)

    def column(self, role: str) -> int | None:
        return self.roles.index(role) if role in self.roles else None

    def has(self, *roles: str) -> bool:
        return all(r in self.roles for r in roles)

    def is_measures(self) -> bool:
        return "title" in self.roles and any(
            r in self.roles for r in ("steps", "period", "responsible", "output", "outcome")
        )


@dataclass(frozen=True)
class CleanDocument:
    """A document's repaired lines (with their block index) and role-annotated tables."""

    file_format: str
    lines: tuple[tuple[int, str], ...]
    tables: tuple[RoledTable, ...]
    # Everything read, in document order, for a person to compare with what was extracted:
    # one entry per line of text and per table row (its cells separated by a tab, header too).
    source_lines: tuple[str, ...] = ()

    def prose(self) -> str:
        return "\n".join(text for _i, text in self.lines)


def clean(raw: RawDocument) -> CleanDocument:
    """Repair every line and cell; tables used only for layout become lines."""
    lines: list[tuple[int, str]] = []
    tables: list[RoledTable] = []
    source: list[str] = []
    for index, block in enumerate(raw.blocks):
        for item in _clean_block(block):
            if isinstance(item, Line):
                texts = [text for text in item.text.split("\n") if text]
                lines.extend((index, text) for text in texts)
                source.extend(texts)
            else:
                tables.append(_roled(index, item))
                source.extend("\t".join(row) for row in item.rows)
    return CleanDocument(raw.file_format, tuple(lines), tuple(tables), tuple(source))


def _clean_block(block: Block) -> list[Block]:
    if isinstance(block, Line):
        text = repair(block.text)
        return [Line(text, block.page)] if text else []
    rows = [tuple(repair(cell) for cell in row) for row in block.rows]
    rows = [row for row in rows if any(row)]
    if not rows:
        return []
    if all(sum(1 for c in row if c) <= 1 for row in rows):
        # One filled cell per row: a frame around text, not a table of data.
        return [Line(next(c for c in row if c), block.page) for row in rows]
    width = max(len(row) for row in rows)
    return [Table(tuple(row + ("",) * (width - len(row)) for row in rows), block.page)]


def _roled(index: int, table: Table) -> RoledTable:
    count = header_rows(table.rows)
    width = len(table.rows[0])
    roles = column_roles(table.rows[:count], width) if count else (None,) * width
    return RoledTable(index, roles, table.rows[count:], count > 0, table.page)
