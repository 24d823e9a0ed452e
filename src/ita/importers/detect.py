"""What a document is and whose: its kind, fiscal years, agency, district and province.

The kind is read from the title first (the opening lines), because every document mentions the
others in its body (a results report says the analysis was made; an analysis report appends
measures); only a document without a recognisable title is judged by its tables.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ita.importers.normalize import arabic, fuzzy_phrase, squash
from ita.importers.tables import CleanDocument

TITLE_LINES = 8

# Title phrases of each kind (squashed); the one that starts earliest in the title wins.
KIND_MARKERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("analysis", ("รายงานการวิเคราะห์ผลการประเมิน", "รายงานผลการวิเคราะห์", "การวิเคราะห์ผลการประเมิน")),
    ("results", ("รายงานผลการดำเนินการ", "รายงานผลการดำเนินงาน", "ผลการดำเนินการตามมาตรการ")),
    ("measures", ("มาตรการส่งเสริมคุณธรรม", "การกำหนดมาตรการ", "มาตรการภายในเพื่อส่งเสริม")),
)


def detect_kind(doc: CleanDocument) -> str | None:
    """Return "analysis", "measures" or "results", or None for an unrelated document."""
    title = squash(" ".join(text for _i, text in doc.lines[:TITLE_LINES]))
    kind = _earliest(title)
    if kind is not None:
        return kind
    tables = doc.tables
    if any(t.has("outcome") or t.has("output") for t in tables):
        return "results"
    if any(t.has("questions", "findings") for t in tables):
        return "measures"
    if any(t.has("indicator", "score") for t in tables):
        return "analysis"
    if any(t.is_measures() for t in tables):
        return "measures"
    return _earliest(squash(doc.prose()))


def _earliest(text: str) -> str | None:
    best: tuple[int, str] | None = None
    for kind, markers in KIND_MARKERS:
        for marker in markers:
            at = text.find(marker)
            if at >= 0 and (best is None or at < best[0]):
                best = (at, kind)
    return best[1] if best else None


# --- fiscal years -------------------------------------------------------------------------

_YEAR = r"(?P<year>2[5-7]\d{2})(?!\d)"
_FISCAL_YEAR = re.compile(rf"(?:ปีงบประมาณ|ประจำปี|ปี)\s*(?:พ\s*\.\s*ศ\s*\.?)?\s*{_YEAR}")
_BE_YEAR = re.compile(rf"พ\s*\.\s*ศ\s*\.?\s*{_YEAR}")
_SCORES_YEAR = re.compile(
    rf"(?:ITA|ผลการประเมิน|ผลคะแนน)[^\n]{{0,120}}?(?:ปีงบประมาณ|ประจำปี)\s*"
    rf"(?:พ\s*\.\s*ศ\s*\.?)?\s*{_YEAR}"
)
_MEASURES_YEAR = re.compile(
    rf"มาตรการ[^\n]{{0,200}}?(?:ปีงบประมาณ|ประจำปี)\s*(?:พ\s*\.\s*ศ\s*\.?)?\s*{_YEAR}"
)
MEASURES_HEADING_LINES = 4


def _years(pattern: re.Pattern[str], text: str) -> list[int]:
    return [int(m.group("year")) for m in pattern.finditer(arabic(text))]


def fiscal_year(doc: CleanDocument) -> int | None:
    """Return the fiscal year the document is about: the year its title names."""
    title = " ".join(text for _i, text in doc.lines[:TITLE_LINES])
    for pattern in (_FISCAL_YEAR, _BE_YEAR):
        found = _years(pattern, title)
        if found:
            return found[0]
    found = _years(_FISCAL_YEAR, doc.prose())
    return found[0] if found else None


def scores_fiscal_year(doc: CleanDocument, kind: str, year: int | None) -> int | None:
    """Return the ITA year whose scores the document reads, when it says so.

    An analysis report's title names the assessment it analyses; other documents say it in a
    sentence such as "วิเคราะห์ผลคะแนน … ITA ประจำปีงบประมาณ พ.ศ. ๒๕๖๖".
    """
    if kind == "analysis" and year is not None:
        return year
    found = Counter(_years(_SCORES_YEAR, doc.prose()))
    return found.most_common(1)[0][0] if found else None


def measures_fiscal_year(doc: CleanDocument, kind: str, year: int | None) -> int | None:
    """Return the fiscal year the measures are for, when the document says so.

    A measures document or a results report names it in its title; an analysis report that
    appends measures names it in the heading above the table (seed S1: FY2566 for ITA 2565).
    """
    if kind != "analysis":
        return year
    first = next((t for t in doc.tables if t.is_measures()), None)
    if first is None:
        return None
    heading = [text for index, text in doc.lines if index < first.index][-MEASURES_HEADING_LINES:]
    found = _years(_MEASURES_YEAR, " ".join(heading))
    return found[-1] if found else None


# --- agency -------------------------------------------------------------------------------

AGENCY_PREFIXES = (
    "องค์การบริหารส่วนตำบล", "องค์การบริหารส่วนจังหวัด", "เทศบาลนคร", "เทศบาลเมือง",
    "เทศบาลตำบล", "อบต.", "อบจ.", "ทต.", "ทม.", "ทน.",
)  # fmt: skip
# A name runs until one of these words (Thai writes no space after it).
NAME_ENDS = (
    "จึง", "ได้", "ซึ่ง", "โดย", "ของ", "และ", "กับ", "ที่", "ให้", "ประจำ", "อำเภอ",
    "จังหวัด", "ปีงบ", "ในการ", "เพื่อ", "จำนวน", "ดังนี้", "ภายใน",
)  # fmt: skip
_THAI_WORD = r"[ก-ฮะ-ฺเ-๎]+"
_AGENCY = re.compile(
    "(?P<prefix>" + "|".join(re.escape(p) for p in AGENCY_PREFIXES) + rf")\s*(?P<name>{_THAI_WORD})"
)
_DISTRICT = re.compile(rf"อำเภอ\s*(?P<name>{_THAI_WORD})")
_PROVINCE = re.compile(rf"(?<!ส่วน)จังหวัด\s*(?P<name>{_THAI_WORD})")
_FUZZY_PREFIX = re.compile("|".join(fuzzy_phrase(p) for p in AGENCY_PREFIXES[:5]))


def _cut_name(name: str) -> str:
    cut = len(name)
    for word in NAME_ENDS:
        at = name.find(word)
        if at == 0:
            return ""
        if at > 0:
            cut = min(cut, at)
    return name[:cut]


@dataclass(frozen=True)
class Agency:
    name: str | None
    district: str | None
    province: str | None
    variants: tuple[tuple[str, int], ...]  # every name the document gives, with its count


def _names(pattern: re.Pattern[str], text: str) -> list[str]:
    return [n for m in pattern.finditer(text) if (n := _cut_name(m.group("name")))]


def agency(doc: CleanDocument) -> Agency:
    """Return the agency the document names first (title first), with district and province."""
    lines = [_FUZZY_PREFIX.sub(lambda m: squash(m.group(0)), t) for _i, t in doc.lines]
    title = lines[:TITLE_LINES]
    found: list[tuple[str, str]] = [
        (m.group("prefix"), n)
        for line in lines
        for m in _AGENCY.finditer(line)
        if (n := _cut_name(m.group("name")))
    ]
    if not found:
        return Agency(None, None, None, ())
    in_title = [
        (m.group("prefix"), n)
        for line in title
        for m in _AGENCY.finditer(line)
        if (n := _cut_name(m.group("name")))
    ]
    prefix, name = in_title[0] if in_title else Counter(found).most_common(1)[0][0]
    full = f"{prefix}{name}"
    near = [line for line in title if name in line] + title
    district = next(iter(_first(_DISTRICT, near)), None)
    province = next(iter(_first(_PROVINCE, near)), None)
    counts = Counter(n for _p, n in found)
    return Agency(full, district, province, tuple(counts.most_common()))


def _first(pattern: re.Pattern[str], lines: Sequence[str]) -> list[str]:
    for line in lines:
        names = _names(pattern, line)
        if names:
            return names[:1]
    return []
