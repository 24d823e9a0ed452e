"""Template filters for Thai numbers and dates: the one place they are formatted."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from ita import thai

register = template.Library()


@register.filter
def digits(value: object, thai_digits: bool = True) -> str:
    """Write the digits of a value in Thai when ``thai_digits`` is true."""
    return thai.digits(value, bool(thai_digits))


@register.filter
def score(value: float | str | None, thai_digits: bool = False) -> str:
    """Format a score with two decimals (``87.86``); a dash when there is none."""
    if value is None or value == "":
        return "–"
    return thai.format_score(float(value), bool(thai_digits))


@register.filter
def weight(value: float) -> str:
    """Format a weight without needless decimals (``6``, ``12.5``)."""
    return f"{float(value):g}"


@register.filter
def thai_date(value: dt.date | None, thai_digits: bool = False) -> str:
    """Format a date with a Buddhist-era year (``13 มีนาคม 2566``)."""
    if value is None:
        return ""
    return thai.format_date(value, thai_digits=bool(thai_digits))


@register.filter
def thai_datetime(value: dt.datetime | None, thai_digits: bool = False) -> str:
    """Format a moment in Thailand's time: ``13 มี.ค. 66 14:05``."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    text = f"{thai.format_date(local.date(), abbreviated=True)} {local:%H:%M}"
    return thai.digits(text, bool(thai_digits))


@register.filter
def fraction(value: float | None, thai_digits: bool = False) -> str:
    """Format a small ratio with up to three decimals (``0.06``, ``0.2``)."""
    if value is None:
        return "–"
    text = f"{float(value):.3f}".rstrip("0").rstrip(".")
    return thai.digits(text, bool(thai_digits))


@register.filter
def minus(value: float | None, other: float | None) -> float | None:
    """Return ``value - other`` (None when either is missing)."""
    if value is None or other is None:
        return None
    return float(value) - float(other)


@register.filter
def period(measure: object, thai_digits: bool = False) -> str:
    """Write a measure's period as documents do (``ไตรมาส 1-4``, ``ต.ค. 67 - ก.ย. 68``)."""
    label = getattr(measure, "period_label", None)
    return str(label(bool(thai_digits))) if callable(label) else ""
