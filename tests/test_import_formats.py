"""``ita import`` on DOCX, XLSX and PDF files this suite builds from known data, and on files
that cannot be read: one Thai/English line, exit code 2, no traceback, nothing written."""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from weasyprint import HTML

from ita.catalog.loader import get_framework
from ita.cli import cli
from ita.importers import DocumentError, ImportedDocument, import_bytes, import_path, readers
from ita.scoring.spec import ScoringSpec
from ita.thai import to_thai_digits
from tests.conftest import S1_INDICATORS

FONT = (
    Path(__file__).resolve().parents[1] / "src" / "ita" / "static" / "fonts" / "Sarabun-Regular.ttf"
)
SpecOf = Callable[[int], ScoringSpec]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


# --- DOCX: an analysis report with a merged two-row header and a row continued "(ต่อ)" -------


def build_docx(path: Path, spec: ScoringSpec) -> None:
    document = docx.Document()
    document.add_paragraph("รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส")
    document.add_paragraph("ประจำปีงบประมาณ พ.ศ. ๒๕๖๕")
    document.add_paragraph("องค์การบริหารส่วนตำบลทดสอบ อำเภอเมือง จังหวัดลำปาง")
    scores = document.add_table(rows=1, cols=3)
    for cell, text in zip(scores.rows[0].cells, ("ลำดับ", "ตัวชี้วัด", "คะแนน"), strict=True):
        cell.text = text
    for n, value in S1_INDICATORS.items():
        row = scores.add_row().cells
        row[0].text, row[1].text = to_thai_digits(n), spec.indicator(n).name_th
        row[2].text = to_thai_digits(f"{value:.2f}")
    document.add_paragraph("ในภาพรวมมีระดับคะแนน ๘๗.๘๖ จัดอยู่ในระดับ A")
    document.add_paragraph("การกำหนดมาตรการส่งเสริมคุณธรรม ประจำปีงบประมาณ พ.ศ. ๒๕๖๖")
    table = document.add_table(rows=2, cols=5)
    top = table.rows[0].cells
    top[0].text, top[1].text, top[3].text, top[4].text = (
        "มาตรการ", "การดำเนินการ", "ผู้รับผิดชอบ", "การติดตามผล",
    )  # fmt: skip
    table.cell(0, 1).merge(table.cell(0, 2))
    for column in (0, 3, 4):
        table.cell(0, column).merge(table.cell(1, column))
    table.cell(1, 1).text, table.cell(1, 2).text = "ขั้นตอนหรือวิธีการ", "ระยะเวลา"
    rows = [
        ("๑. ประชาสัมพันธ์ช่องทางการใช้จ่ายงบประมาณ", "๑. จัดประชุมชี้แจงแผน\n๒. ติดประกาศ",
         "ตุลาคม ๒๕๖๕ - กันยายน ๒๕๖๖", "สำนักงานปลัด กองคลัง", "รายงานผลทุกเดือน"),
        ("๒. จัดทำเว็บไซต์ใหม่", "๑. ขออนุมัติโครงการ", "มกราคม ๒๕๖๖ - กันยายน ๒๕๖๖",
         "สำนักงานปลัด", "รายงานความก้าวหน้า"),
        ("(ต่อ)", "๒. เผยแพร่ข่าวสารบนเว็บไซต์", "", "", ""),
        ("๖. จัดทำแผนปฏิบัติการป้องกันการทุจริต", "ลงระบบ e-PlanNACC", "", "สำนักงานปลัด/ กองช่าง",
         "รายงานผลรอบ ๖ เดือน"),
    ]  # fmt: skip
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            first, *rest = text.split("\n")
            cell.text = first
            for more in rest:
                cell.add_paragraph(more)
    document.save(str(path))


@pytest.fixture(scope="module")
def from_docx(tmp_path_factory: pytest.TempPathFactory, spec: SpecOf) -> ImportedDocument:
    path = tmp_path_factory.mktemp("docx") / "analysis.docx"
    build_docx(path, spec(2565))
    return import_path(path)


def test_docx_analysis_report_gives_agency_years_indicators_total_and_level(
    from_docx: ImportedDocument,
) -> None:
    assert from_docx.file_format == "docx"
    assert from_docx.kind == "analysis"
    assert (from_docx.agency, from_docx.district, from_docx.province) == (
        "องค์การบริหารส่วนตำบลทดสอบ", "เมือง", "ลำปาง",
    )  # fmt: skip
    assert (from_docx.fiscal_year, from_docx.measures_fiscal_year) == (2565, 2566)
    assert dict(from_docx.indicators) == S1_INDICATORS
    assert (from_docx.stated_total, from_docx.stated_level) == (87.86, "A")
    assert from_docx.warnings == ()


def test_docx_measures_keep_printed_numbers_merged_headers_and_continued_rows(
    from_docx: ImportedDocument,
) -> None:
    assert [m.number for m in from_docx.measures] == [1, 2, 6]
    first, second, sixth = from_docx.measures
    assert first.steps == ("จัดประชุมชี้แจงแผน", "ติดประกาศ")
    assert first.period == "ตุลาคม ๒๕๖๕ - กันยายน ๒๕๖๖"
    assert first.responsible == ("สำนักงานปลัด", "กองคลัง")
    assert first.follow_up == "รายงานผลทุกเดือน"
    assert second.steps == ("ขออนุมัติโครงการ", "เผยแพร่ข่าวสารบนเว็บไซต์")  # "(ต่อ)" row
    assert sixth.period is None
    assert sixth.responsible == ("สำนักงานปลัด", "กองช่าง")


# --- XLSX: scores as spreadsheet numbers and damaged codes ----------------------------------


def build_xlsx(path: Path, spec: ScoringSpec) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. 2565"])
    sheet.append(["องค์การบริหารส่วนตำบลตัวอย่าง จังหวัดแพร่"])
    sheet.append([])
    sheet.append(["ตัวชี้วัด", "คะแนน"])
    for n, value in S1_INDICATORS.items():
        sheet.append([spec.indicator(n).name_th, value])
    sheet.append(["คะแนนรวม", 87.86])
    sheet.append(["ระดับ", "A"])
    items = workbook.create_sheet("items")
    items.append(["ข้อ", "คะแนน"])
    items.append(["E1", 74.62])
    items.append(["E๒", "๗๘.๙๔"])  # Thai digits in a text cell
    items.append(["1๙", 93.94])  # the letter I typed as the digit one
    workbook.save(str(path))


def test_xlsx_gives_indicators_total_level_and_items(tmp_path: Path, spec: SpecOf) -> None:
    path = tmp_path / "scores.xlsx"
    build_xlsx(path, spec(2565))
    result = import_path(path)
    assert result.file_format == "xlsx"
    assert (result.kind, result.fiscal_year) == ("analysis", 2565)
    assert (result.agency, result.province) == ("องค์การบริหารส่วนตำบลตัวอย่าง", "แพร่")
    assert dict(result.indicators) == S1_INDICATORS
    assert (result.stated_total, result.stated_level) == (87.86, "A")
    assert dict(result.items) == {"I9": 93.94, "E1": 74.62, "E2": 78.94}
    assert result.warnings == ()


# --- PDF: a results report whose rows WeasyPrint splits across pages --------------------------


def results_report_html(spec_year: int, repeat: int = 1) -> str:
    """Return a results report whose table WeasyPrint splits across pages (rows ``repeat`` times)."""
    issues = get_framework(spec_year).issues
    rows = ""
    for r in range(repeat):
        for issue in issues:
            n = issue.number
            activity = f"{n}" if repeat == 1 else f"{n}.{r}"
            steps = "".join(
                f"<p>{k}.ขั้นตอนที่ {k} ของมาตรการ {n} ทำให้ครบถ้วนตามแผนงานและรายงานผู้บริหาร</p>"
                for k in range(1, 5)
            )
            rows += (
                f"<tr><td><p>{n}.{issue.title_th}</p><p>-กิจกรรมที่ {activity} ประชาสัมพันธ์ให้ทราบ</p></td>"
                f"<td>{steps}</td><td>ต.ค. ๖๗ - ก.ย. ๖๘</td><td>สำนักปลัด/ กองคลัง</td>"
                "<td><p>-คู่มือ จำนวน ๑ ฉบับ</p><p>-รายงานผล ๒ เรื่อง/เดือน</p></td>"
                "<td><p>๑. เจ้าหน้าที่ทราบแนวทาง</p><p>๒. ลดปัญหาข้อร้องเรียน</p></td></tr>"
            )
    return f"""<html><head><style>
      @font-face {{ font-family: Sarabun; src: url({FONT.as_uri()}); }}
      body {{ font-family: Sarabun; font-size: 13pt; }}
      @page {{ size: A4 landscape; margin: 1.5cm; }}
      table {{ border-collapse: collapse; width: 100%; }}
      td, th {{ border: 1px solid black; padding: 3px; vertical-align: top; }}
      p {{ margin: 0; }}
    </style></head><body>
    <p>รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสในหน่วยงาน</p>
    <p>ประจำปีงบประมาณ พ.ศ.๒๕๖๘</p>
    <p>องค์การบริหารส่วนตำบลบ้านใหม่ อำเภอเมือง จังหวัดน่าน</p>
    <table><thead><tr><th>มาตรการ/ กิจกรรมที่ดำเนินการ</th><th>ขั้นตอนหรือวิธีการปฏิบัติ</th>
    <th>ระยะเวลาในการดำเนินการ</th><th>หน่วยงานที่รับผิดชอบ</th><th>ผลการดำเนินการ (Output)</th>
    <th>ผลลัพธ์หรือสัมฤทธิ์ในการดำเนินการ (Outcome/result)</th></tr></thead>
    <tbody>{rows}</tbody></table></body></html>"""


def build_pdf(path: Path, spec_year: int) -> None:
    HTML(string=results_report_html(spec_year)).write_pdf(str(path))


@pytest.fixture(scope="module")
def from_pdf(tmp_path_factory: pytest.TempPathFactory) -> ImportedDocument:
    path = tmp_path_factory.mktemp("pdf") / "results.pdf"
    build_pdf(path, 2568)
    return import_path(path)


def test_pdf_results_report_gives_kind_year_and_agency(from_pdf: ImportedDocument) -> None:
    assert from_pdf.file_format == "pdf"
    assert (from_pdf.kind, from_pdf.fiscal_year) == ("results", 2568)
    assert (from_pdf.agency, from_pdf.district, from_pdf.province) == (
        "องค์การบริหารส่วนตำบลบ้านใหม่", "เมือง", "น่าน",
    )  # fmt: skip


def test_pdf_rows_split_across_pages_are_joined_again(from_pdf: ImportedDocument) -> None:
    assert len({m.page for m in from_pdf.measures}) > 1, "the table should span pages"
    assert [m.number for m in from_pdf.measures] == [1, 2, 3, 4, 5, 6, 7]
    assert [m.issue.number if m.issue else None for m in from_pdf.measures] == [1, 2, 3, 4, 5, 6, 7]
    for n, measure in enumerate(from_pdf.measures, start=1):
        assert measure.title == f"กิจกรรมที่ {n} ประชาสัมพันธ์ให้ทราบ"
        assert measure.steps == tuple(
            f"ขั้นตอนที่ {k} ของมาตรการ {n} ทำให้ครบถ้วนตามแผนงานและรายงานผู้บริหาร" for k in range(1, 5)
        )
        assert measure.period == "ต.ค. ๖๗ - ก.ย. ๖๘"
        assert measure.responsible == ("สำนักปลัด", "กองคลัง")
        assert measure.output == ("คู่มือ จำนวน ๑ ฉบับ", "รายงานผล ๒ เรื่อง/เดือน")
        assert measure.outcome == ("เจ้าหน้าที่ทราบแนวทาง", "ลดปัญหาข้อร้องเรียน")
    assert from_pdf.warnings == ()


def test_pdf_from_weasyprint_keeps_sara_am_and_sara_aa_apart(tmp_path: Path) -> None:
    # WeasyPrint maps each glyph to the text of its first use, so after "ประจำ" every "า" would
    # read as "ำ"; the reader repairs it from the empty NIKHAHIT that marks a true SARA AM.
    path = tmp_path / "am.pdf"
    HTML(
        string=f"""<html><head><style>@font-face {{ font-family: S; src: url({FONT.as_uri()}); }}
        body {{ font-family: S; }}</style></head><body>
        <p>มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ ดำเนินการ</p>
        <p>องค์การบริหารส่วนตำบลคำอาน</p></body></html>"""
    ).write_pdf(str(path))
    blocks = readers.read_path(path).blocks
    assert [b.text for b in blocks if isinstance(b, readers.Line)] == [
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ ดำเนินการ",
        "องค์การบริหารส่วนตำบลคำอาน",
    ]


# --- files that cannot be read --------------------------------------------------------------


def encrypted_pdf() -> bytes:
    """Return a PDF that needs a user password (a standard security handler, revision 2)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32
        + b"> /P -44 >>",
    ]  # fmt: skip
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    file_id = b"<" + b"ab" * 16 + b">"
    out += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [%s %s] >>\n" % (
        len(objects) + 1, file_id, file_id,
    )  # fmt: skip
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def damaged_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<not really xml")
    return buffer.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
BAD_FILES: dict[str, tuple[bytes, str]] = {
    "empty.txt": (b"", "the file is empty"),
    "blank.txt": (b" \n\t\n", "the file is empty"),
    "binary.bin": (bytes(range(256)) * 8, "not text, DOCX, XLSX or PDF"),
    "unrelated.txt": ("สวัสดีครับ hello world\n".encode(), "not an ITA document"),
    "encrypted.pdf": (encrypted_pdf(), "the PDF is password-protected"),
    "encrypted.docx": (OLE + b"\0" * 512 + "EncryptionInfo".encode("utf-16-le"), "password"),
    "old.doc": (OLE + b"\0" * 512, "an old Word/Excel file"),
    "damaged.docx": (damaged_docx(), "cannot read the DOCX file"),
    "damaged.pdf": (b"%PDF-1.4\n garbage", "cannot read the PDF"),
    "other.zip": (b"PK\x03\x04" + b"\0" * 100, "damaged ZIP"),
    "scan.pdf": (b"", "the PDF has no text"),  # built below: a page without text
}


def _scan_pdf() -> bytes:
    buffer = io.BytesIO()
    HTML(
        string="<html><body><div style='height:5cm;background:#000'></div></body></html>"
    ).write_pdf(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_an_unreadable_file_fails_with_one_line_and_exit_code_2(tmp_path: Path, name: str) -> None:
    data, message = BAD_FILES[name]
    if name == "scan.pdf":
        data = _scan_pdf()
    path = tmp_path / name
    path.write_bytes(data)
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run("import", str(path), "--json")
    assert code == 2
    assert out == ""
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert " / " in err  # Thai / English
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written
    assert path.read_bytes() == data


def test_a_missing_file_or_a_folder_fails_cleanly(tmp_path: Path) -> None:
    for target, message in ((tmp_path / "nope.pdf", "file not found"), (tmp_path, "not a file")):
        code, out, err = run("import", str(target))
        assert (code, out) == (2, "")
        assert message in err


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as handle:
        handle.truncate(readers.MAX_FILE_BYTES + 1)  # sparse: nothing is actually written
    code, out, err = run("import", str(path))
    assert (code, out) == (2, "")
    assert "file too large" in err and "20 MiB" in err


def test_a_zip_that_inflates_beyond_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_UNZIPPED_BYTES", 1000)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "0" * 5000)
    with pytest.raises(DocumentError, match="once unzipped"):
        import_bytes(buffer.getvalue())


def test_a_bad_year_option_fails_with_exit_code_2(tmp_path: Path) -> None:
    code, out, err = run("import", str(tmp_path / "x.txt"), "--year", "ปีหน้า")
    assert (code, out) == (2, "")
    assert "is not a number" in err


def test_year_option_names_the_year_a_document_leaves_out(tmp_path: Path, spec: SpecOf) -> None:
    lines = ["ผลการประเมินภาพรวม", "ตัวชี้วัด\tคะแนน"] + [
        f"{spec(2565).indicator(n).name_th}\t{v:.2f}" for n, v in S1_INDICATORS.items()
    ]
    path = tmp_path / "no-year.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    code, out, _ = run("import", str(path), "--json")
    assert code == 0
    assert json.loads(out)["fiscal_year"] is None
    assert any("states no fiscal year" in w for w in json.loads(out)["warnings"])
    code, out, _ = run("import", str(path), "--json", "--year", "๒๕๖๕")
    data = json.loads(out)
    assert (data["fiscal_year"], data["framework_year"]) == (2565, 2565)
    assert data["computed"]["total"] == 87.86
    assert data["warnings"] == []


def test_the_reader_never_writes_next_to_the_file(tmp_path: Path) -> None:
    source = Path(__file__).parent / "import_data" / "001_0716c6b80218a866.txt"
    copy = tmp_path / "s1.txt"
    copy.write_bytes(source.read_bytes())
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path)
        code, _out, _err = run("import", "s1.txt")
    finally:
        os.chdir(cwd)
    assert code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["s1.txt"]
