"""Thai conventions: digits, numbers, Buddhist-era years and dates, fiscal years and quarters.

Pure Python; imports nothing from Django or the rest of the project, so every layer may use it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")

BE_OFFSET = 543  # Buddhist era = Common era + 543
FISCAL_YEAR_START_MONTH = 10  # not-domain: October; a fiscal year runs 1 Oct – 30 Sep
FISCAL_YEAR_LAST_DAY = (9, 30)  # not-domain: 30 September

MONTHS_TH = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
MONTHS_TH_ABBR = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def to_thai_digits(text: object) -> str:
    """Return ``text`` with Arabic digits written as Thai digits (๐–๙)."""
    return str(text).translate(_TO_THAI)


def to_arabic_digits(text: str) -> str:
    """Return ``text`` with Thai digits written as Arabic digits."""
    return text.translate(_TO_ARABIC)


def digits(text: object, thai: bool) -> str:
    """Return ``text`` in Thai digits when ``thai`` is true, else unchanged."""
    return to_thai_digits(text) if thai else str(text)


def parse_number(text: str) -> float:
    """Return the number written in ``text``, accepting Thai, Arabic or mixed digits.

    Surrounding spaces and a thousands comma are ignored; anything else is refused with
    ``ValueError`` (so "86.o4" or "12a" never becomes a number silently).
    """
    cleaned = to_arabic_digits(text).strip().replace(",", "")
    if not _NUMBER.match(cleaned):
        raise ValueError(f"not a number: {text!r}")
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {text!r}")
    return value


def format_score(value: float, thai: bool = False) -> str:
    """Return a score with two decimals, e.g. ``87.86`` or ``๘๗.๘๖``."""
    return digits(f"{value:.2f}", thai)


def display_width(text: str) -> int:
    """Return how many terminal columns ``text`` takes (Thai marks above/below take none)."""
    return sum(
        0 if unicodedata.combining(ch) or unicodedata.category(ch) in {"Mn", "Me", "Cf"} else 1
        for ch in text
    )


def pad(text: str, width: int, right: bool = False) -> str:
    """Pad ``text`` with spaces to ``width`` display columns."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def be_year(ce_year: int) -> int:
    return ce_year + BE_OFFSET


def ce_year(be: int) -> int:
    return be - BE_OFFSET


def fiscal_year_of(day: dt.date) -> int:
    """Return the Buddhist-era fiscal year a date falls in (named by the year it ends)."""
    return be_year(day.year) + (1 if day.month >= FISCAL_YEAR_START_MONTH else 0)


def fiscal_year_bounds(fiscal_year: int) -> tuple[dt.date, dt.date]:
    """Return the first and last day of a Buddhist-era fiscal year."""
    end_ce = ce_year(fiscal_year)
    return dt.date(end_ce - 1, FISCAL_YEAR_START_MONTH, 1), dt.date(end_ce, *FISCAL_YEAR_LAST_DAY)


def fiscal_quarter_of(day: dt.date) -> int:
    """Return the quarter (1–4) of the fiscal year a date falls in."""
    return ((day.month - FISCAL_YEAR_START_MONTH) % 12) // 3 + 1


def format_date(day: dt.date, *, thai_digits: bool = False, abbreviated: bool = False) -> str:
    """Return a date as Thai documents write it: ``13 มีนาคม 2566`` or ``13 มี.ค. 66``."""
    if abbreviated:
        text = f"{day.day} {MONTHS_TH_ABBR[day.month - 1]} {be_year(day.year) % 100:02d}"
    else:
        text = f"{day.day} {MONTHS_TH[day.month - 1]} {be_year(day.year)}"
    return digits(text, thai_digits)


def format_month_range(
    start: dt.date, end: dt.date, *, thai_digits: bool = False, abbreviated: bool = True
) -> str:
    """Return a month range like ``ต.ค. 67 - ก.ย. 68`` or ``ตุลาคม 2567 - กันยายน 2568``."""

    def month(day: dt.date) -> str:
        if abbreviated:
            return f"{MONTHS_TH_ABBR[day.month - 1]} {be_year(day.year) % 100:02d}"
        return f"{MONTHS_TH[day.month - 1]} {be_year(day.year)}"

    return digits(f"{month(start)} - {month(end)}", thai_digits)


def fiscal_year_label(fiscal_year: int, *, thai_digits: bool = False) -> str:
    """Return ``ปีงบประมาณ พ.ศ. 2568 (ต.ค. 67 - ก.ย. 68)``."""
    start, end = fiscal_year_bounds(fiscal_year)
    span = format_month_range(start, end)
    return digits(f"ปีงบประมาณ พ.ศ. {fiscal_year} ({span})", thai_digits)


# --- periods of measures (ระยะเวลาดำเนินการ) ------------------------------------------------

QUARTERS = 4  # a fiscal year has four quarters
_MONTHS_PER_QUARTER = 3


def quarter_bounds(fiscal_year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """Return the first day of the first month and of the last month of a fiscal quarter."""
    if not 1 <= quarter <= QUARTERS:
        raise ValueError(f"a quarter is 1–{QUARTERS}, not {quarter}")
    start, _ = fiscal_year_bounds(fiscal_year)
    first = (start.month - 1) + (quarter - 1) * _MONTHS_PER_QUARTER
    last = first + _MONTHS_PER_QUARTER - 1
    return (
        dt.date(start.year + first // 12, first % 12 + 1, 1),
        dt.date(start.year + last // 12, last % 12 + 1, 1),
    )


def format_quarters(first: int, last: int | None = None, *, thai_digits: bool = False) -> str:
    """Return ``ไตรมาส 1-4`` for a span of fiscal quarters, or ``ไตรมาส 2`` for one."""
    last = first if last is None else last
    if not 1 <= first <= last <= QUARTERS:
        raise ValueError(f"quarters must run forward within 1–{QUARTERS}: {first}–{last}")
    span = str(first) if first == last else f"{first}-{last}"
    return digits(f"ไตรมาส {span}", thai_digits)


def format_month(day: dt.date, *, thai_digits: bool = False, abbreviated: bool = True) -> str:
    """Return a month of a year: ``ต.ค. 67`` or ``ตุลาคม 2567``."""
    if abbreviated:
        text = f"{MONTHS_TH_ABBR[day.month - 1]} {be_year(day.year) % 100:02d}"
    else:
        text = f"{MONTHS_TH[day.month - 1]} {be_year(day.year)}"
    return digits(text, thai_digits)


def format_months(
    start: dt.date,
    end: dt.date | None = None,
    *,
    thai_digits: bool = False,
    abbreviated: bool = True,
) -> str:
    """Return a span of months (``ต.ค. 67 - ก.ย. 68``), or one month when the span is one."""
    if end is None or (start.year, start.month) == (end.year, end.month):
        return format_month(start, thai_digits=thai_digits, abbreviated=abbreviated)
    if (end.year, end.month) < (start.year, start.month):
        raise ValueError(f"a span of months must run forward: {start:%Y-%m} – {end:%Y-%m}")
    return format_month_range(start, end, thai_digits=thai_digits, abbreviated=abbreviated)
