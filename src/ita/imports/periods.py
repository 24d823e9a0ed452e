"""Read a measure's period as documents print it: fiscal quarters, a month range, or words.

``ไตรมาส ๑-๔`` becomes quarters 1–4; ``ต.ค. ๖๗ - ก.ย. ๖๘`` and ``ตุลาคม ๒๕๖๕-กันยายน ๒๕๖๖`` become a
month range; a range without years (``ตุลาคม - กันยายน``) is placed in the plan's fiscal year;
anything else (``ทุกเดือน``) stays words, as printed. Pure Python, no Django.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ita.thai import (
    BE_OFFSET,
    FISCAL_YEAR_START_MONTH,
    MONTHS_TH,
    MONTHS_TH_ABBR,
    QUARTERS,
    to_arabic_digits,
)

_BE_CENTURY = 2500  # a two-digit year (๖๗) is read as 25xx BE
_BE_FROM = 2400  # a four-digit year at or above this is Buddhist era, below it Common Era
_SPACES = re.compile(r"\s+")
_DASH = r"\s*(?:-|–|ถึง)\s*"
_QUARTER = r"ไตรมาส\s*(?:ที่\s*)?"
_QUARTERS = re.compile(rf"^{_QUARTER}(\d)(?:{_DASH}(?:{_QUARTER})?(\d))?$")


def _abbreviation(abbr: str) -> str:
    """Return a pattern for ``ต.ค.`` that also accepts ``ต.ค``, ``ต. ค.`` and ``ตค``."""
    letters = [c for c in abbr if c != "."]
    return r"\.?\s?".join(re.escape(c) for c in letters) + r"\.?"


_MONTH_NAMES = [(name, n) for n, name in enumerate(MONTHS_TH, start=1)]
_MONTH_PATTERNS = sorted(
    [(re.escape(name), n) for name, n in _MONTH_NAMES]
    + [(_abbreviation(abbr), n) for n, abbr in enumerate(MONTHS_TH_ABBR, start=1)],
    key=lambda pair: -len(pair[0]),
)
_MONTH = "(" + "|".join(p for p, _n in _MONTH_PATTERNS) + ")"
_YEAR = r"(?:\s*(?:พ\.?\s?ศ\.?)?\s*(\d{4}|\d{2}))?"
_ONE_MONTH = _MONTH + _YEAR
_MONTHS = re.compile(rf"^{_ONE_MONTH}(?:{_DASH}{_ONE_MONTH})?$")


@dataclass(frozen=True)
class Period:
    """A measure's period: quarters, or a month range (first days), or words; all empty = none."""

    quarters: tuple[int, int] | None = None
    months: tuple[dt.date, dt.date] | None = None
    text: str = ""

    @property
    def is_empty(self) -> bool:
        return self.quarters is None and self.months is None and not self.text


def _month_number(name: str) -> int:
    for pattern, number in _MONTH_PATTERNS:
        if re.fullmatch(pattern, name):
            return number
    raise ValueError(name)  # unreachable: the name matched one of the patterns


def _printed_year(printed: str) -> int:
    """Return the Common Era year of a printed year: ``๖๗``, ``2567`` (BE) or ``2024``."""
    year = int(printed)
    if len(printed) == 2:  # not-domain: a year printed with two digits
        year += _BE_CENTURY
    return year - BE_OFFSET if year >= _BE_FROM else year


def _ce_year(printed: str | None, month: int, fiscal_year: int | None) -> int | None:
    """Return the Common Era year of a month, from its printed year or the fiscal year (BE)."""
    if printed is not None:
        return _printed_year(printed)
    if fiscal_year is None:
        return None
    be = fiscal_year - 1 if month >= FISCAL_YEAR_START_MONTH else fiscal_year
    return be - BE_OFFSET


def read_period(printed: str | None, fiscal_year: int | None = None) -> Period:
    """Return the period a document prints; ``fiscal_year`` (BE) places months without a year."""
    text = _SPACES.sub(" ", (printed or "").replace("\u2028", " ")).strip()
    if not text:
        return Period()
    plain = to_arabic_digits(text)
    quarters = _QUARTERS.match(plain)
    if quarters:
        first = int(quarters.group(1))
        last = int(quarters.group(2) or first)
        if 1 <= first <= last <= QUARTERS:
            return Period(quarters=(first, last))
        return Period(text=text)
    months = _MONTHS.match(plain)
    if months:
        start_name, start_year, end_name, end_year = months.groups()
        start_month = _month_number(start_name)
        end_month = _month_number(end_name) if end_name else start_month
        if end_name is None:
            end_year = start_year
        elif start_year is None and end_year is not None:
            # "ตุลาคม - กันยายน ๒๕๖๖": the first month's year follows from the last's.
            last_ce = _printed_year(end_year)
            first_ce = last_ce - 1 if start_month > end_month else last_ce
            return _range(text, first_ce, start_month, last_ce, end_month)
        start_ce = _ce_year(start_year, start_month, fiscal_year)
        end_ce: int | None
        if end_year is not None or start_year is None:
            end_ce = _ce_year(end_year, end_month, fiscal_year)
        else:  # "ตุลาคม ๒๕๖๕ - กันยายน": the last month's year follows from the first's.
            end_ce = start_ce + 1 if start_ce is not None and end_month < start_month else start_ce
        if start_ce is None or end_ce is None:
            return Period(text=text)
        return _range(text, start_ce, start_month, end_ce, end_month)
    return Period(text=text)


def _range(text: str, start_year: int, start_month: int, end_year: int, end_month: int) -> Period:
    try:
        start = dt.date(start_year, start_month, 1)
        end = dt.date(end_year, end_month, 1)
    except ValueError:
        return Period(text=text)
    if end < start:
        return Period(text=text)
    return Period(months=(start, end))
