"""Repair the damage that extraction leaves in agency documents, and read numbers and lists.

Documents reach us as text pulled out of PDFs and Word files: HTML fragments (``<p>``, ``<u>``),
Markdown bold, dotted leaders (``....86.04.....``), letters spaced apart (``ค ะ แ น น``),
a decomposed SARA AM, zero-width characters, Thai digits mixed with Arabic ones. :func:`repair`
undoes what can be undone without guessing and is idempotent (a hypothesis test pins it).

Numbers are always read through :func:`arabic`, a one-to-one character mapping, so a regular
expression can run on the Arabic view while the printed text (with its Thai digits) is kept.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from ita.thai import to_arabic_digits

# --- repair -------------------------------------------------------------------------------

# Tags that only format text. Block tags end a line (a paragraph inside a table cell is one
# entry of a list); inline tags vanish.
_BLOCK_TAGS = r"p|br|div|li|ul|ol|tr|table|tbody|thead|h[1-6]"
_INLINE_TAGS = r"u|b|i|s|em|strong|span|font|sup|sub|strike|td|th"
_BLOCK_TAG = re.compile(rf"</?\s*(?:{_BLOCK_TAGS})(?:\s[^<>]*)?/?\s*>", re.IGNORECASE)
_INLINE_TAG = re.compile(rf"</?\s*(?:{_INLINE_TAGS})(?:\s[^<>]*)?/?\s*>", re.IGNORECASE)
# Only entities closed by ";" — "Dos&Don't" and "R&D" are text, not markup.
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,8});")
_LEADER = re.compile(r"\.{3,}|…+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# A soft line break: where a PDF table cell wrapped a line. Whether it separates two entries
# (units listed one per line) or joins two halves of a sentence is for the reader of the cell.
SOFT_BREAK = "\u2028"
_SPACES = re.compile(r"[^\S\n\u2028]+")
_AROUND_SOFT = re.compile(r" *\u2028[ \u2028]*")
# SARA AM drawn as NIKHAHIT + SARA AA (a tone mark may sit between them).
_SARA_AM = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2029]")
_MAX_PASSES = 50  # not-domain: a bound on repair passes (a handful are ever needed)


def _unescape(match: re.Match[str]) -> str:
    text = html.unescape(match.group(0))
    # An entity for a control character or a lone surrogate is damage, not text.
    if any(unicodedata.category(ch) in {"Cc", "Cs"} and ch not in "\t\n" for ch in text):
        return " "
    return text


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in {"Mn", "Mc", "Me"}


def _single(token: str) -> bool:
    """Return whether a token is one character (with its combining marks)."""
    return bool(token) and all(_is_mark(ch) for ch in token[1:])


def _join_spaced_letters(line: str) -> str:
    """Join runs of three or more one-letter tokens: ``ค ะ แ น น`` → ``คะแนน``."""
    tokens = line.split(" ")
    out: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if token and _single(token):
            run.append(token)
            continue
        if len(run) >= 3:  # not-domain: two single letters are too often real words
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if token:
            out.append(token)
    return " ".join(out)


def _pass(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _ENTITY.sub(_unescape, text)
    text = text.translate(_INVISIBLE).replace("\u00a0", " ").replace("\u3000", " ")
    text = _BLOCK_TAG.sub("\n", text)
    text = _INLINE_TAG.sub("", text)
    text = text.replace("**", "")
    text = _LEADER.sub(" ", text)
    text = _SARA_AM.sub("\\1\u0e33", text)
    text = _CONTROL.sub(" ", text)
    lines = (_line(line) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _line(line: str) -> str:
    pieces = _AROUND_SOFT.sub(SOFT_BREAK, _SPACES.sub(" ", line)).strip(" " + SOFT_BREAK)
    return SOFT_BREAK.join(_join_spaced_letters(p) for p in pieces.split(SOFT_BREAK))


def repair(text: str) -> str:
    """Return ``text`` with extraction damage repaired; lines kept, empty lines dropped.

    Every change shortens the text or keeps it as long (digits are left as printed), so the
    loop ends; it runs until nothing changes, which makes the result idempotent.
    """
    for _ in range(_MAX_PASSES):
        repaired = _pass(text)
        if repaired == text:
            break
        text = repaired
    return text


def squash(text: str) -> str:
    """Return ``text`` without any whitespace, for comparing names that PDFs wrap anywhere."""
    return "".join(text.split())


def arabic(text: str) -> str:
    """Return ``text`` with Thai digits as Arabic ones (same length, same positions)."""
    return to_arabic_digits(text)


def is_thai_letter(ch: str) -> bool:
    """Return whether ``ch`` is a Thai letter, vowel or mark (not a Thai digit)."""
    return "\u0e01" <= ch <= "\u0e4e"


def join_wrapped(left: str, right: str) -> str:
    """Join two pieces of one sentence that a page or a cell wrapped.

    Thai wraps between words without a space, so two Thai letters join directly; anything else
    (Latin, digits) gets a space.
    """
    left, right = left.rstrip(), right.lstrip()
    if not left or not right:
        return left or right
    thai = is_thai_letter(left[-1]) and is_thai_letter(right[0])
    hyphen = left[-1] in "-/" and len(left) > 1 and not left[-2].isspace()  # "E-" + "Service"
    glue = "" if thai or hyphen else " "
    return left + glue + right


# --- numbers ------------------------------------------------------------------------------

SCORE_RE = r"\d{1,3}(?:\.\d+)?"
_SCORE_CELL = re.compile(
    rf"^(?:คะแนน|ร้อยละ|score)?\s*[:=]?\s*(?P<n>{SCORE_RE})\s*(?:%|คะแนน|points?)?$",
    re.IGNORECASE,
)
_DECIMAL = re.compile(r"\d+\.\d+")


def parse_score(cell: str) -> float | None:
    """Return the 0–100 score a table cell holds (``๘๘.๘๑``, ``88.81 %``), else None."""
    match = _SCORE_CELL.match(squash_spaces(arabic(cell)))
    if match is None:
        return None
    value = float(match.group("n"))
    return value if 0 <= value <= 100 else None  # not-domain: the ends of every score


def unwrap(text: str) -> str:
    """Return text with its soft line breaks joined like wrapped text (:func:`join_wrapped`)."""
    joined = ""
    for piece in text.split(SOFT_BREAK):
        joined = join_wrapped(joined, piece)
    return joined


def squash_spaces(text: str) -> str:
    """Return text on one line: soft breaks joined, runs of whitespace as one space."""
    return " ".join(unwrap(text).split())


def has_decimal(text: str) -> bool:
    return _DECIMAL.search(arabic(text)) is not None


# --- item codes ---------------------------------------------------------------------------

# An item code's shape: a letter and one or two digits (E๑๐, I21, O9). Which letters and numbers
# exist is the framework's business; the caller checks the code against it.
_CODE_AT_START = re.compile(r"^\s*(?P<letter>[A-Za-z1|])\s?(?P<number>\d{1,2})(?!\d)")
# Seed S0 types the letter I as the digit one ("1๒๑" = I21): accepted only where a code is
# expected, and only for the letter the framework's IIT codes use.
_LOOKALIKES_OF_I = "1l|"


def code_at_start(text: str, prefixes: frozenset[str], lookalikes: bool) -> tuple[str, int] | None:
    """Return the item code a text starts with and where the code ends, else None.

    ``prefixes`` are the code letters of the year's framework. With ``lookalikes``, a
    ``1``/``l``/``|`` before the digits stands for ``I`` (only where an item code is expected).
    """
    match = _CODE_AT_START.match(arabic(text))
    if match is None:
        return None
    letter = text[match.start("letter")]  # as printed: a Thai "๑" is a number, never an "I"
    if letter in _LOOKALIKES_OF_I:
        if not lookalikes or "I" not in prefixes:
            return None
        letter = "I"
    letter = letter.upper()
    if letter not in prefixes:
        return None
    return f"{letter}{int(match.group('number'))}", match.end()


# --- lists (steps, units, outputs) --------------------------------------------------------

_ENUMERATOR = re.compile(
    r"(?:^|(?<=\s))(?:\((?P<paren>\d{1,2})\)|(?P<dot>\d{1,2})\s?[.)](?!\d))\s*"
)
_BULLET_AT_START = re.compile(r"^\s*[-–•▪●◦*]+\s*")
_BULLET_INSIDE = re.compile(r"(?<=\s)[-–•▪●◦]+(?=[^\s\d-])")


@dataclass(frozen=True)
class Entry:
    """One entry of a list in a cell: its printed number (if any) and text."""

    number: int | None
    text: str
    marked: bool  # begins with a number or a bullet (else it continues the previous entry)


def _enumerated(line: str, last: int | None) -> list[tuple[int | None, str, bool]]:
    """Split a line at enumerators ``๑.`` / ``(๒)`` that count upwards."""
    view = arabic(line)
    cuts: list[tuple[int, int, int]] = []  # (start, end, number)
    for match in _ENUMERATOR.finditer(view):
        number = int(match.group("paren") or match.group("dot"))
        if last is not None and number <= last:
            continue
        if cuts and match.start() < cuts[-1][1]:
            continue
        cuts.append((match.start(), match.end(), number))
        last = number
    pieces: list[tuple[int | None, str, bool]] = []
    head = line[: cuts[0][0]] if cuts else line
    if head.strip():
        pieces.append((None, head.strip(), False))
    for index, (_start, end, number) in enumerate(cuts):
        stop = cuts[index + 1][0] if index + 1 < len(cuts) else len(line)
        pieces.append((number, line[end:stop].strip(), True))
    return pieces


def split_entries(text: str) -> list[Entry]:
    """Return the entries of a list cell: numbered (``๑.``, ``(๒)``) or bulleted (``-``).

    Lines are entries; a line is further cut at numbers that count upwards and at bullets
    glued to their word (``-กองคลัง``). Entries keep their printed text without the marker.
    """
    entries: list[Entry] = []
    last: int | None = None
    for raw_line in text.split("\n"):
        line = unwrap(raw_line).strip()
        if not line:
            continue
        opening = _ENUMERATOR.match(arabic(line))
        if opening and int(opening.group("paren") or opening.group("dot")) == 1:
            last = None  # a line opening with "๑." starts a new list (a second measure's steps)
        bulleted = _BULLET_AT_START.match(line) is not None
        line = _BULLET_AT_START.sub("", line)
        parts = _BULLET_INSIDE.split(line)
        for index, part in enumerate(parts):
            first_marked = bulleted or index > 0
            for number, piece, marked in _enumerated(part, last):
                if number is not None:
                    last = number
                piece = _BULLET_AT_START.sub("", piece).strip()
                if piece:
                    entries.append(Entry(number, piece, marked or first_marked))
                first_marked = False
    return entries


def split_list(text: str) -> list[str]:
    """Return the entries of a list cell as texts."""
    return [e.text for e in split_entries(text)]


def leading_number(text: str) -> tuple[int | None, str]:
    """Return the number a title is printed with (``๖.การจัดทำ…``, ``(๓) ช่องทาง…``) and the rest."""
    match = _ENUMERATOR.match(arabic(text.strip()))
    if match is None:
        return None, text.strip()
    return int(match.group("paren") or match.group("dot")), text.strip()[match.end() :].strip()


def fuzzy_phrase(phrase: str) -> str:
    """Return a regular expression for a phrase that tolerates spaces anywhere inside it."""
    return r"\s*".join(re.escape(ch) for ch in squash(phrase))
