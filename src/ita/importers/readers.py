"""Read a file into lines and tables in document order: plain text, DOCX, XLSX or PDF.

The format is decided by the file's first bytes, never by its name. Every failure of a
third-party reader (a damaged, encrypted or unsupported file) becomes a :class:`DocumentError`
with one Thai/English line, and inputs beyond the limits below are refused before parsing.
Readers only split the file into blocks; :mod:`ita.importers.normalize` repairs the text.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from ita.importers.normalize import SOFT_BREAK, split_entries

MAX_FILE_BYTES = 20 * 1024 * 1024  # 20 MiB: the largest agency document we accept
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # a DOCX/XLSX inflating beyond this is refused
MAX_PDF_PAGES = 200
MAX_CHARS = 2_000_000  # text extracted from any file
MAX_CELLS = 200_000  # spreadsheet cells read from all sheets

T = TypeVar("T")


class DocumentError(Exception):
    """A file that cannot be read; the message is one Thai/English line."""

    def __init__(self, th: str, en: str) -> None:
        self.th, self.en = th, en
        super().__init__(f"{th} / {en}")


@dataclass(frozen=True)
class Line:
    text: str
    page: int | None = None


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]
    page: int | None = None


Block = Line | Table


@dataclass(frozen=True)
class RawDocument:
    """A file as blocks of raw text in document order."""

    file_format: str  # "text", "docx", "xlsx" or "pdf"
    blocks: tuple[Block, ...]


def _mib(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MiB"


def too_large(th: str, en: str) -> DocumentError:
    return DocumentError(f"ไฟล์ใหญ่เกินไป: {th}", f"file too large: {en}")


def read_path(path: Path) -> RawDocument:
    """Read a file from disk (its size is checked before a byte is read)."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise DocumentError(f"ไม่ใช่ไฟล์: {path}", f"not a file: {path}")
        if size > MAX_FILE_BYTES:
            raise too_large(
                f"{_mib(size)} (รับได้ไม่เกิน {_mib(MAX_FILE_BYTES)})",
                f"{_mib(size)} (the limit is {_mib(MAX_FILE_BYTES)})",
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise DocumentError(f"ไม่พบไฟล์ {path}", f"file not found: {path}") from None
    except PermissionError:
        raise DocumentError(f"ไม่มีสิทธิ์อ่านไฟล์ {path}", f"no permission to read {path}") from None
    except IsADirectoryError:
        raise DocumentError(f"ไม่ใช่ไฟล์: {path}", f"not a file: {path}") from None
    except OSError as exc:
        raise DocumentError(f"อ่านไฟล์ไม่ได้: {exc}", f"cannot read the file: {exc}") from None
    return read_bytes(data)


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_bytes(data: bytes) -> RawDocument:
    """Read a document from its bytes (an upload, or a file already read)."""
    if len(data) > MAX_FILE_BYTES:
        raise too_large(f"รับได้ไม่เกิน {_mib(MAX_FILE_BYTES)}", f"the limit is {_mib(MAX_FILE_BYTES)}")
    if not data.strip():
        raise DocumentError("ไฟล์ว่างเปล่า", "the file is empty")
    head = data[:1024]
    if b"%PDF-" in head:
        return RawDocument("pdf", tuple(_read_pdf(data)))
    if data.startswith(b"PK\x03\x04"):
        return _read_zip(data)
    if data.startswith(_OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise DocumentError(
                "ไฟล์ถูกตั้งรหัสผ่านไว้ ให้เปิดด้วยรหัสแล้วบันทึกใหม่โดยไม่ตั้งรหัส",
                "the file is password-protected; save a copy without a password",
            )
        raise DocumentError(
            "ไฟล์ Word/Excel รูปแบบเก่า (.doc/.xls) ให้บันทึกเป็น .docx/.xlsx หรือ PDF",
            "an old Word/Excel file (.doc/.xls); save it as .docx/.xlsx or PDF",
        )
    if data.lstrip().startswith(b"{\\rtf"):
        raise DocumentError(
            "ไฟล์ RTF ยังไม่รองรับ ให้บันทึกเป็น .docx หรือ PDF",
            "RTF is not supported; save it as .docx or PDF",
        )
    return RawDocument("text", tuple(text_blocks(_decode_text(data))))


# --- plain text -----------------------------------------------------------------------------


def _decode_text(data: bytes) -> str:
    unreadable = DocumentError(
        "อ่านไฟล์ไม่ได้: ไม่ใช่ข้อความ DOCX XLSX หรือ PDF",
        "cannot read the file: not text, DOCX, XLSX or PDF",
    )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise unreadable from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Older Thai text files are TIS-620 (Windows code page 874); accept them only when
            # they decode cleanly and actually contain Thai.
            try:
                text = data.decode("cp874")
            except UnicodeDecodeError:
                raise unreadable from None
            if not any("\u0e01" <= ch <= "\u0e5b" for ch in text):
                raise unreadable from None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if "\x00" in text or controls > len(text) // 100 + 2:
        raise unreadable
    if len(text) > MAX_CHARS:
        raise too_large(f"ข้อความเกิน {MAX_CHARS:,} ตัวอักษร", f"more than {MAX_CHARS:,} characters")
    return text


def text_blocks(text: str) -> Iterator[Block]:
    """Split extracted text into lines and tables: a line with tabs is a table row."""
    rows: list[tuple[str, ...]] = []
    for raw in text.splitlines():
        if "\t" in raw:
            rows.append(tuple(raw.split("\t")))
            continue
        if rows:
            yield Table(tuple(rows))
            rows = []
        yield Line(raw)
    if rows:
        yield Table(tuple(rows))


# --- DOCX and XLSX --------------------------------------------------------------------------


def _read_zip(data: bytes) -> RawDocument:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):  # a version from 6.4
        raise DocumentError("ไฟล์ ZIP/DOCX/XLSX เสียหาย", "a damaged ZIP/DOCX/XLSX file") from None
    if sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
        raise too_large(
            f"เนื้อหาเมื่อคลายแล้วเกิน {_mib(MAX_UNZIPPED_BYTES)}",
            f"more than {_mib(MAX_UNZIPPED_BYTES)} once unzipped",
        )
    names = {i.filename for i in infos}
    if "word/document.xml" in names:
        return RawDocument("docx", tuple(_guard("DOCX", _read_docx, data)))
    if "xl/workbook.xml" in names:
        return RawDocument("xlsx", tuple(_guard("XLSX", _read_xlsx, data)))
    raise DocumentError(
        "ไฟล์ ZIP ที่ไม่ใช่ .docx หรือ .xlsx ยังไม่รองรับ",
        "a ZIP file that is neither .docx nor .xlsx is not supported",
    )


def _guard(kind: str, reader: Callable[[T], Iterable[Block]], data: T) -> list[Block]:
    """Run a third-party reader; any failure of its own becomes one clear line."""
    try:
        blocks: list[Block] = list(reader(data))
    except DocumentError:
        raise
    except MemoryError:
        raise too_large("หน่วยความจำไม่พอ", "out of memory") from None
    except Exception as exc:
        raise DocumentError(
            f"อ่านไฟล์ {kind} ไม่ได้ (ไฟล์อาจเสียหาย): {type(exc).__name__}",
            f"cannot read the {kind} file (it may be damaged): {type(exc).__name__}",
        ) from None
    return blocks


def _count_chars(blocks: Iterable[Block]) -> Iterator[Block]:
    total = 0
    for block in blocks:
        total += len(block.text) if isinstance(block, Line) else sum(map(len, sum(block.rows, ())))
        if total > MAX_CHARS:
            raise too_large(
                f"ข้อความเกิน {MAX_CHARS:,} ตัวอักษร", f"more than {MAX_CHARS:,} characters"
            )
        yield block


def _read_docx(data: bytes) -> Iterator[Block]:
    from docx import Document as open_docx
    from docx.table import Table as DocxTable

    document = open_docx(io.BytesIO(data))
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, DocxTable):
            blocks.append(Table(_docx_rows(item)))
        else:
            blocks.extend(Line(part) for part in item.text.split("\n"))
    return _count_chars(blocks)


def _docx_rows(table: Any) -> tuple[tuple[str, ...], ...]:
    """Return a Word table's rows; a merged cell's text appears once, in its first position."""
    rows: list[tuple[str, ...]] = []
    above: list[Any] = []
    for row in table.rows:
        cells = list(row.cells)
        texts: list[str] = []
        for j, cell in enumerate(cells):
            tc = cell._tc
            spans_left = j > 0 and cells[j - 1]._tc is tc
            continues_above = j < len(above) and above[j] is tc
            if spans_left or continues_above:
                texts.append("")
            else:
                texts.append("\n".join(p.text for p in cell.paragraphs))
        above = [c._tc for c in cells]
        rows.append(tuple(texts))
    return tuple(rows)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _read_xlsx(data: bytes) -> Iterator[Block]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = 0
    blocks: list[Block] = []
    try:
        for sheet in workbook.worksheets:
            rows: list[tuple[str, ...]] = []
            for values in sheet.iter_rows(values_only=True):
                cells += len(values)
                if cells > MAX_CELLS:
                    raise too_large(f"เกิน {MAX_CELLS:,} ช่อง", f"more than {MAX_CELLS:,} cells")
                texts = tuple(_cell_text(v) for v in values)
                filled = [t for t in texts if t.strip()]
                if len(filled) >= 2:
                    rows.append(texts)
                    continue
                if rows:
                    blocks.append(Table(_trim_columns(rows)))
                    rows = []
                if filled:
                    blocks.append(Line(filled[0]))
            if rows:
                blocks.append(Table(_trim_columns(rows)))
    finally:
        workbook.close()
    return _count_chars(blocks)


def _trim_columns(rows: Sequence[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    width = max(max((j for j, t in enumerate(r) if t.strip()), default=-1) for r in rows) + 1
    return tuple(tuple(r[:width]) + ("",) * (width - len(r[:width])) for r in rows)


# --- PDF ------------------------------------------------------------------------------------


def _read_pdf(data: bytes) -> list[Block]:
    try:
        import pdfplumber

        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        # pdfplumber wraps pdfminer's own exception (PDFPasswordIncorrect…) in its arguments.
        causes = [exc, *exc.args, exc.__context__]
        name = type(exc).__name__
        if any("Password" in type(c).__name__ or "Encrypt" in type(c).__name__ for c in causes):
            raise DocumentError(
                "ไฟล์ PDF ถูกตั้งรหัสผ่านไว้ ให้บันทึกใหม่โดยไม่ตั้งรหัส",
                "the PDF is password-protected; save a copy without a password",
            ) from None
        raise DocumentError(
            f"อ่านไฟล์ PDF ไม่ได้ (ไฟล์อาจเสียหาย): {name}",
            f"cannot read the PDF (it may be damaged): {name}",
        ) from None
    with pdf:
        try:
            pages = pdf.pages
            if len(pages) > MAX_PDF_PAGES:
                raise too_large(
                    f"{len(pages)} หน้า (รับได้ไม่เกิน {MAX_PDF_PAGES} หน้า)",
                    f"{len(pages)} pages (the limit is {MAX_PDF_PAGES})",
                )
            blocks = _guard("PDF", _pdf_blocks, pages)
        except DocumentError:
            raise
        except Exception as exc:
            raise DocumentError(
                f"อ่านไฟล์ PDF ไม่ได้: {type(exc).__name__}",
                f"cannot read the PDF: {type(exc).__name__}",
            ) from None
    if not any((isinstance(b, Line) and b.text.strip()) or isinstance(b, Table) for b in blocks):
        raise DocumentError(
            "ไม่มีข้อความในไฟล์ PDF (อาจเป็นภาพสแกน ต้องแปลงเป็นข้อความก่อน)",
            "the PDF has no text (it may be a scan; run OCR first)",
        )
    return blocks


def _decomposed_am_fonts(pages: Sequence[Any]) -> set[str]:
    """Return the fonts whose SARA AM is two glyphs and whose NIKHAHIT glyph has no text.

    WeasyPrint (and others) map each glyph to the text of its first use, so in these fonts
    a later SARA AA may come out as SARA AM or the other way round; the empty NIKHAHIT is
    the only trace of a true SARA AM.
    """
    fonts: set[str] = set()
    for page in pages:
        chars = page.chars
        for this, following in itertools.pairwise(chars):
            if (
                this["text"] == ""
                and following["text"] in ("\u0e33", "\u0e32")
                and this.get("fontname") == following.get("fontname")
            ):
                fonts.add(str(this.get("fontname")))
    return fonts


def _fix_am(chars: Sequence[dict[str, Any]], fonts: set[str]) -> list[dict[str, Any]]:
    fixed: list[dict[str, Any]] = []
    previous_empty = False
    for char in chars:
        text = char["text"]
        if char.get("fontname") in fonts and text in ("\u0e33", "\u0e32"):
            text = "\u0e33" if previous_empty else "\u0e32"
            char = {**char, "text": text}
        previous_empty = text == ""
        if text:
            fixed.append(char)
    return fixed


def _is_mark(text: str) -> bool:
    import unicodedata

    return all(unicodedata.category(ch) in {"Mn", "Mc", "Me"} for ch in text)


class VisualLine(NamedTuple):
    top: float
    text: str
    right: float  # where the line's last letter ends


def _assemble(chars: Iterable[dict[str, Any]]) -> list[VisualLine]:
    """Return visual lines from characters in the order the PDF draws them.

    Thai marks are drawn after their base letter at positions that confuse a sort by x, so
    the stream order is kept; a space is added only where a gap separates two base letters.
    """
    lines: list[VisualLine] = []
    buf: list[str] = []
    top: float | None = None
    last_x1: float | None = None
    right = 0.0

    def close() -> None:
        text = "".join(buf).strip()
        if text and top is not None:
            lines.append(VisualLine(top, text, right))

    for char in chars:
        text = str(char["text"])
        size = float(char.get("size") or 10)  # not-domain: a font size when the PDF gives none
        mark = _is_mark(text)
        if not mark:
            new_line = top is None or abs(float(char["top"]) - top) > size * 0.5
            if not new_line and last_x1 is not None and float(char["x0"]) < last_x1 - 2 * size:
                new_line = True
            if new_line:
                close()
                buf, top = [], float(char["top"])
            elif (
                last_x1 is not None
                and float(char["x0"]) - last_x1 > size * 0.25
                and buf
                and buf[-1] != " "
                and text != " "
            ):
                buf.append(" ")
            last_x1 = float(char["x1"])
            if text != " ":
                right = last_x1
        if text == " " and (not buf or buf[-1] == " "):
            continue
        buf.append(text)
    close()
    return lines


def _inside(char: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    x = (float(char["x0"]) + float(char["x1"])) / 2
    y = (float(char["top"]) + float(char["bottom"])) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


PARAGRAPH_END = 0.35  # a line ending this far (share of the cell's width) from the right ended


def _cell_from_lines(lines: Sequence[VisualLine], box: tuple[float, float, float, float]) -> str:
    """Join a cell's visual lines into its text.

    A line that opens a numbered or bulleted entry, or follows a line that stopped well short
    of the cell's right edge (its paragraph ended), starts a new line; any other break is kept
    as a soft break (a wrapped sentence, or the next unit of a list).
    """
    text = ""
    previous: VisualLine | None = None
    for line in lines:
        entries = split_entries(line.text)
        ended = previous is not None and box[2] - previous.right > PARAGRAPH_END * (box[2] - box[0])
        if not text:
            text = line.text
        elif ended or (entries and entries[0].marked):
            text += "\n" + line.text
        else:
            text += SOFT_BREAK + line.text
        previous = line
    return text


def _table_settings(page: Any) -> dict[str, Any] | None:
    """Return table finding settings: ruled lines only, and tables cut by a page break closed.

    Curves (charts, logos) are left out: their many short edges chain together when pdfplumber
    snaps nearby edges and drag a table's column borders. A row split across pages has no bottom
    border on the first page and no top border on the next; a horizontal line wherever vertical
    rulings end closes those cells.
    """
    edges = [e for e in page.edges if e.get("object_type") != "curve_edge"]
    vertical = [e for e in edges if e["orientation"] == "v"]
    horizontal = [e for e in edges if e["orientation"] == "h"]
    ends = _outer_ends(vertical)
    if len(vertical) < 2 or len(horizontal) + len(ends) < 2:
        return None  # no ruled table on this page
    return {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": vertical,
        "explicit_horizontal_lines": [*horizontal, *ends],
    }


def _outer_ends(vertical: Sequence[dict[str, Any]]) -> list[float]:
    """Return the top and bottom of each run of overlapping vertical rulings (each table).

    Only the outer ends: a line at the inner end of a ruling would cut a merged cell in two.
    """
    spans = sorted((float(e["top"]), float(e["bottom"])) for e in vertical)
    ends: list[float] = []
    start, stop = spans[0] if spans else (0.0, 0.0)
    for top, bottom in spans[1:]:
        if top > stop + 1:  # not-domain: one point of slack between touching rulings
            ends += [start, stop]
            start, stop = top, bottom
        else:
            stop = max(stop, bottom)
    if spans:
        ends += [start, stop]
    return sorted({round(e, 1) for e in ends})


def _pdf_blocks(pages: Sequence[Any]) -> Iterator[Block]:
    fonts = _decomposed_am_fonts(pages)
    total = 0
    for number, page in enumerate(pages, start=1):
        chars = _fix_am(page.chars, fonts)
        placed: list[tuple[float, Block]] = []
        boxes: list[tuple[float, float, float, float]] = []
        settings = _table_settings(page)
        for found in page.find_tables(settings) if settings is not None else []:
            box = tuple(float(v) for v in found.bbox)
            boxes.append(box)  # type: ignore[arg-type]
            rows: list[tuple[str, ...]] = []
            for row in found.rows:
                texts: list[str] = []
                for cell in row.cells:
                    if cell is None:
                        texts.append("")
                        continue
                    inside = [c for c in chars if _inside(c, cell)]
                    texts.append(_cell_from_lines(_assemble(inside), cell))
                rows.append(tuple(texts))
            placed.append((box[1], Table(tuple(rows), page=number)))
        outside = [c for c in chars if not any(_inside(c, b) for b in boxes)]
        placed.extend((line.top, Line(line.text, page=number)) for line in _assemble(outside))
        for _top, block in sorted(placed, key=lambda pair: pair[0]):
            total += len(block.text) if isinstance(block, Line) else 0
            if total > MAX_CHARS:
                raise too_large(
                    f"ข้อความเกิน {MAX_CHARS:,} ตัวอักษร", f"more than {MAX_CHARS:,} characters"
                )
            yield block
