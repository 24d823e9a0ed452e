"""What a fetched page or document says: its kind, visible text, not-found wording, the fiscal year.

Pure functions over bytes and text; no network, no Django. The rules are described in docs/oit.md
and the not-found wording and home-page paths live in ``soft404.yaml`` next to this module.
"""

from __future__ import annotations

import codecs
import functools
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal

import yaml

from ita.thai import MONTHS_TH, MONTHS_TH_ABBR, to_arabic_digits

RULES_FILE = Path(__file__).with_name("soft404.yaml")

# A page with fewer visible characters than this (spaces and the <title> not counted), and with no
# embedded document, image or frame, is empty. Small on purpose: "ไม่มีเรื่องร้องเรียน" (19) is a
# valid answer for an OIT item and must pass.
MIN_VISIBLE_CHARS = 10  # not-domain: characters of visible text
# PDF text is read from the first pages only: the year and the title are on the cover.
MAX_PDF_PAGES_READ = 30  # not-domain: pages

Kind = Literal["html", "pdf", "other"]
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<title", b"<meta")


# --- kind and charset -------------------------------------------------------------------------


def sniff_kind(body: bytes, content_type: str | None) -> Kind:
    """Return what the body is, trusting its first bytes over the Content-Type header.

    Servers label PDFs ``application/octet-stream`` and serve their HTML error pages under
    ``.pdf`` addresses with ``application/pdf``, so the bytes decide when they can.
    """
    head = body[:1024].lstrip(b"\xef\xbb\xbf\r\n\t ")
    if head.startswith(b"%PDF-"):
        return "pdf"
    lowered = head[:512].lower()
    if lowered.startswith(b"<") and any(tag in lowered for tag in _HTML_MARKERS):
        return "html"
    media = (content_type or "").split(";")[0].strip().lower()
    if media in {"text/html", "application/xhtml+xml"}:
        return "html"
    if media == "application/pdf":
        return "pdf"  # labelled a PDF but not one: it will fail to open, as for a browser
    return "other"


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
# TIS-620 and ISO 8859-11 are subsets of Windows-874, which is what Thai sites really send.
_THAI_LEGACY = {"tis-620", "iso8859-11", "cp874"}


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        found = codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
    return "cp874" if found in _THAI_LEGACY else found


def charset_of(content_type: str | None) -> str | None:
    """Return the codec named by a Content-Type header's ``charset=``, if Python knows it."""
    match = re.search(r"charset\s*=\s*([^;]+)", content_type or "", re.I)
    return _codec(match.group(1)) if match else None


def decode_html(body: bytes, content_type: str | None) -> str:
    """Return an HTML body as text: header charset, else ``<meta charset>``, else UTF-8 or Thai.

    Thai government sites still serve TIS-620/Windows-874 pages, often without saying so; a
    body that is not valid UTF-8 and declares nothing is read as Windows-874.
    """
    declared = charset_of(content_type)
    if declared is None:
        match = _META_CHARSET.search(body[:4096])
        declared = _codec(match.group(1).decode("ascii", "replace")) if match else None
    for codec in dict.fromkeys([declared, "utf-8", "cp874"]):
        if codec is None:
            continue
        try:
            return body.decode(codec)
        except UnicodeDecodeError:
            continue
    return body.decode(declared or "utf-8", errors="replace")


# --- HTML -------------------------------------------------------------------------------------

_INVISIBLE = {"script", "style", "template"}
_HEADINGS = {"h1", "h2", "h3"}
_EMBEDS = {"iframe", "embed", "object", "img", "video", "audio", "frame"}


@dataclass(frozen=True)
class HtmlPage:
    title: str
    headings: tuple[str, ...]
    text: str  # visible text of the body, whitespace collapsed
    folded: str  # the same text through ``fold``, for matching
    embeds: int  # frames, embedded documents, images, video and audio with a source
    refresh_url: str | None  # target of <meta http-equiv="refresh" content="N; url=…">


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.headings: list[list[str]] = []
        self.text: list[str] = []
        self.embeds = 0
        self.refresh: str | None = None
        self._skip = 0
        self._in_title = False
        self._heading_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag in _INVISIBLE:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag in _HEADINGS:
            self._heading_depth += 1
            self.headings.append([])
        elif tag in _EMBEDS and (values.get("src") or values.get("data")):
            self.embeds += 1
        elif (
            tag == "meta"
            and values.get("http-equiv", "").lower() == "refresh"
            and self.refresh is None
        ):
            self.refresh = refresh_target(values.get("content", ""))
        if tag in {"br", "p", "div", "li", "tr", "td", "th"} | _HEADINGS:
            self.text.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <script/> or <h1/> open nothing; only the side effects of a start tag apply.
        if tag in _INVISIBLE or tag in _HEADINGS or tag == "title":
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _INVISIBLE:
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in _HEADINGS:
            self._heading_depth = max(0, self._heading_depth - 1)
        if tag in {"p", "div", "li", "tr", "td", "th"} | _HEADINGS:
            self.text.append(" ")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_title:
            self.title.append(data)
            return
        self.text.append(data)
        if self._heading_depth and self.headings:
            self.headings[-1].append(data)


_SPACES = re.compile(r"[\s\u200b]+")
_THAI_DIGIT_RUN = re.compile("[๐-๙]+")


def collapse(text: str) -> str:
    """Return text with every run of whitespace (and zero-width spaces) as one space."""
    return " ".join(text.replace("\u200b", " ").split())


_REFRESH = re.compile(r"""^\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?["']?\s*([^"'\s][^"']*)""", re.I)


def refresh_target(content: str) -> str | None:
    """Return the address of a meta refresh's ``content`` ("0; url=/x"), or None if none."""
    if "url" not in content.lower() and not re.search(r"[;,]\s*\S", content):
        return None
    match = _REFRESH.match(content)
    if not match:
        return None
    target = match.group(1).strip()
    return target or None


def read_html(text: str) -> HtmlPage:
    """Return the title, headings, visible text, embeds and meta refresh of an HTML page."""
    reader = _Reader()
    reader.feed(text)
    reader.close()
    text = collapse("".join(reader.text))
    return HtmlPage(
        title=collapse("".join(reader.title)),
        headings=tuple(h for h in (collapse("".join(parts)) for parts in reader.headings) if h),
        text=text,
        folded=fold(text),
        embeds=reader.embeds,
        refresh_url=reader.refresh,
    )


def visible_length(text: str) -> int:
    """Return how many characters of ``text`` are not whitespace."""
    return len(_SPACES.sub("", text))


def is_empty_page(page: HtmlPage) -> bool:
    """Return True when a page shows (almost) nothing: little visible text and nothing embedded."""
    return visible_length(page.text) < MIN_VISIBLE_CHARS and page.embeds == 0


# --- soft-404 ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SoftNotFoundRules:
    title_or_heading: tuple[str, ...]
    anywhere: tuple[str, ...]
    home_paths: frozenset[str]


def fold(text: str) -> str:
    """Return text ready for matching: Arabic digits, one space between words, case folded."""
    # Only the runs of Thai digits are translated: str.translate over a whole page is slow.
    digits = _THAI_DIGIT_RUN.sub(lambda m: to_arabic_digits(m.group()), text)
    return collapse(digits).casefold()


@functools.cache
def soft_404_rules(path: Path = RULES_FILE) -> SoftNotFoundRules:
    """Return the not-found wording and home-page paths of ``soft404.yaml``."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))

    def phrases(key: str) -> tuple[str, ...]:
        return tuple(fold(str(p)) for p in data[key])

    return SoftNotFoundRules(
        title_or_heading=phrases("title_or_heading"),
        anywhere=phrases("anywhere"),
        home_paths=frozenset(normalise_path(str(p)) for p in data["home_paths"]),
    )


def _contains(text: str, phrase: str) -> bool:
    if phrase.isdecimal():  # a number counts only on its own: "404" is not in "14040"
        return re.search(rf"(?<!\d){phrase}(?!\d)", text) is not None
    return phrase in text


def not_found_phrase(page: HtmlPage, rules: SoftNotFoundRules | None = None) -> str | None:
    """Return the not-found wording a page shows in its title, a heading or its text, if any."""
    rules = rules or soft_404_rules()
    for place in (page.title, *page.headings):
        norm = fold(place)
        for phrase in rules.title_or_heading:
            if _contains(norm, phrase):
                return phrase
    for phrase in rules.anywhere:
        if _contains(page.folded, phrase):
            return phrase
    return None


def normalise_path(path: str) -> str:
    """Return a URL path lower-cased, without trailing slashes (``/`` stays ``/``)."""
    return path.lower().rstrip("/") or "/"


def is_home(path: str, query: str, rules: SoftNotFoundRules | None = None) -> bool:
    """Return True when a path (with no query string) is one of a site's home-page paths."""
    rules = rules or soft_404_rules()
    return not query and normalise_path(path) in rules.home_paths


# --- fiscal year ------------------------------------------------------------------------------

_SHORT_YEAR_KEYWORDS = sorted(
    ["ปีงบประมาณ", "ปีงบฯ", "ปีงบ", "งบประมาณ", "ปี", "พ.ศ.", "พ.ศ", "fy", *MONTHS_TH, *MONTHS_TH_ABBR],
    key=len,
    reverse=True,
)
# What must come right before a two-digit year ("ปีงบประมาณ พ.ศ. 68", "ก.ย. 68").
_BEFORE_SHORT_YEAR = re.compile(
    "(?:" + "|".join(re.escape(k) for k in _SHORT_YEAR_KEYWORDS) + r")\s*(?:พ\.?\s*ศ\.?\s*)?$"
)
_LOOK_BACK = 1 + max(len(k) for k in _SHORT_YEAR_KEYWORDS) + len(" พ. ศ. ")
_BE_YEAR = re.compile(r"(?<!\d)(2[45]\d\d)(?!\d)")


def mentions_fiscal_year(text: str, fiscal_year: int) -> bool:
    """Return True when ``text`` names the Buddhist-era fiscal year.

    Accepted: the four digits as a number of their own in Arabic or Thai digits (``2568``,
    ``๒๕๖๘``, ``พ.ศ.2568``); the last two digits only right after ``ปีงบประมาณ``, ``ปีงบ(ฯ)``,
    ``งบประมาณ``, ``ปี``, ``พ.ศ.``, ``FY`` or a Thai month name or abbreviation (``ปีงบประมาณ 68``,
    ``ก.ย. ๖๘``). A bare ``68`` is not enough: it is any number on the page.
    """
    return fiscal_year_in_folded(fold(text), fiscal_year)


def fiscal_year_in_folded(folded: str, fiscal_year: int) -> bool:
    """Return ``mentions_fiscal_year`` for text already through ``fold``."""
    if re.search(rf"(?<!\d){fiscal_year}(?!\d)", folded):
        return True
    for match in re.finditer(rf"(?<!\d){fiscal_year % 100:02d}(?!\d)", folded):
        before = folded[max(0, match.start() - _LOOK_BACK) : match.start()]
        if _BEFORE_SHORT_YEAR.search(before):
            return True
    return False


def years_mentioned(text: str, limit: int = 5) -> list[int]:
    """Return the Buddhist-era years (24xx–25xx) written in full in ``text``, newest first."""
    return years_in_folded(fold(text), limit)


def years_in_folded(folded: str, limit: int = 5) -> list[int]:
    """Return ``years_mentioned`` for text already through ``fold``."""
    found = {int(y) for y in _BE_YEAR.findall(folded)}
    return sorted(found, reverse=True)[:limit]


# --- PDF --------------------------------------------------------------------------------------

# PDFium is not thread-safe: one PDF at a time in the whole process.
_PDFIUM_LOCK = threading.Lock()


@dataclass(frozen=True)
class PdfReport:
    opened: bool
    pages: int = 0
    text: str = ""  # text of the pages read (see read_pdf)
    has_objects: bool = False  # any text, drawing or image on the pages read
    error: str | None = None


def read_pdf(body: bytes, enough: Callable[[str], bool] | None = None) -> PdfReport:
    """Return whether a PDF opens, its page count, and the text of its first pages.

    Pages are read in order until ``enough(text so far)`` is true (the year is found) or
    ``MAX_PDF_PAGES_READ`` pages are read; without ``enough``, the first page with text ends
    the reading. ``has_objects`` is looked for only when no text was found.
    """
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    with _PDFIUM_LOCK:
        try:
            doc = pdfium.PdfDocument(body)
        except pdfium.PdfiumError as exc:
            return PdfReport(opened=False, error=str(exc))
        try:
            pages = len(doc)
            text = ""
            has_objects = False
            for index in range(min(pages, MAX_PDF_PAGES_READ)):
                page = doc[index]
                try:
                    textpage = page.get_textpage()
                    text = collapse(f"{text} {textpage.get_text_bounded()}")
                    textpage.close()
                    if not text and not has_objects:
                        has_objects = next(iter(page.get_objects(max_depth=1)), None) is not None
                finally:
                    page.close()
                if text and (enough is None or enough(text)):
                    break
        except pdfium.PdfiumError as exc:
            return PdfReport(opened=False, error=str(exc))
        finally:
            doc.close()
    return PdfReport(opened=True, pages=pages, text=text, has_objects=has_objects or bool(text))
