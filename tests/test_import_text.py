"""The text repairs and parsers behind ``ita import``: damage undone, lists split, rows joined,
and hypothesis on arbitrary text (no unhandled exception, idempotent repair, Thai digits)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ita.importers import DocumentError, ImportedDocument, import_text
from ita.importers.measures import similarity, units
from ita.importers.normalize import (
    code_at_start,
    parse_score,
    repair,
    split_entries,
    split_list,
)
from ita.scoring.spec import ScoringSpec
from ita.thai import to_thai_digits
from tests.conftest import S1_INDICATORS

SpecOf = Callable[[int], ScoringSpec]
PREFIXES = frozenset("IEO")


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        ("<p>E๑ ข้อความ</p> <p>E๒ ข้อความ</p>", "E๑ ข้อความ\nE๒ ข้อความ"),
        ("-กองช่าง <u>ข้อจำกัด</u> -ไม่มี-", "-กองช่าง ข้อจำกัด -ไม่มี-"),
        ("<B>ตัวหนา</B><br/>บรรทัดใหม่", "ตัวหนา\nบรรทัดใหม่"),
        ("**กรอบการประเมิน**", "กรอบการประเมิน"),
        ("การปฏิบัติหน้าที่....86.04.....", "การปฏิบัติหน้าที่ 86.04"),
        ("การเปิดเผยข้อมูล……100.00", "การเปิดเผยข้อมูล 100.00"),
        ("ค ะ แ น น  ร ว ม 87.86", "คะแนนรวม 87.86"),
        ("I T A ประจำปี", "ITA ประจำปี"),
        ("E 1 0 หน่วยงาน", "E10 หน่วยงาน"),
        ("ประจ\u0e4d\u0e32ปี น\u0e4d\u0e49\u0e32", "ประจำปี น\u0e49\u0e33"),
        ("ราย\u200bงาน\u00a0ผล&nbsp;การ", "รายงาน ผล การ"),
        ("Dos&Don't R&D &amp; co", "Dos&Don't R&D & co"),
        ("ต่าง ๆ ณ จุดบริการ", "ต่าง ๆ ณ จุดบริการ"),  # two one-letter words are real words
    ],
)
def test_repair_undoes_extraction_damage(damaged: str, repaired: str) -> None:
    assert repair(damaged) == repaired


@pytest.mark.parametrize(
    ("text", "lookalikes", "code"),
    [
        ("E๑๐ หน่วยงานมีช่องทาง", False, "E10"),
        ("1๒๑ เจ้าหน้าที่", True, "I21"),
        ("1๙ หน่วยงานของท่าน", True, "I9"),
        ("1๑๔ท่านได้รับการประเมิน", True, "I14"),
        ("l16 ท่านเคยถูก", True, "I16"),
        ("1๒๑ เจ้าหน้าที่", False, None),  # only where an item code is expected
        ("๑๒. จัดทำแผน", True, None),  # a Thai one is a number, never the letter I
        ("ITA ประจำปี", True, None),
        ("E123 ไม่ใช่รหัส", False, None),
        ("X5 ไม่มีตัวอักษรนี้", False, None),
    ],
)
def test_an_item_code_is_read_only_in_its_shape(text: str, lookalikes: bool, code: str) -> None:
    found = code_at_start(text, PREFIXES, lookalikes)
    assert (found[0] if found else None) == code


@pytest.mark.parametrize(
    ("cell", "score"),
    [("๘๘.๘๑", 88.81), ("88.81 %", 88.81), ("คะแนน ๑๐๐.๐๐", 100.0), ("ร้อยละ 75", 75.0),
     ("101.5", None), ("A", None), ("๘๘.๘๑ คือ", None), ("", None)],
)  # fmt: skip
def test_a_score_cell_holds_one_number_from_0_to_100(cell: str, score: float | None) -> None:
    assert parse_score(cell) == score


def test_numbered_lists_split_only_on_numbers_that_count_upwards() -> None:
    cell = "รายละเอียดขั้นตอน ๑.จัดทำแผน พ.ศ. ๒๕๖๘ ๒. เสนอ 10.30 น. ๓.ประกาศ ๒ ครั้ง"
    entries = split_entries(cell)
    assert [(e.number, e.text) for e in entries] == [
        (None, "รายละเอียดขั้นตอน"),
        (1, "จัดทำแผน พ.ศ. ๒๕๖๘"),
        (2, "เสนอ 10.30 น."),
        (3, "ประกาศ ๒ ครั้ง"),
    ]


def test_bullets_split_only_when_glued_to_their_word() -> None:
    assert split_list("-มีคู่มือ -มีบัญชียืม-คืน\n- ติดต่อ - สอบถาม ต.ค. ๖๗ - ก.ย. ๖๘") == [
        "มีคู่มือ",
        "มีบัญชียืม-คืน",
        "ติดต่อ - สอบถาม ต.ค. ๖๗ - ก.ย. ๖๘",
    ]


def test_responsible_units_are_split_and_wrapped_names_joined() -> None:
    assert units("-สำนักปลัด -กองสาธารณสุข และสิ่งแวดล้อม") == [
        "สำนักปลัด",
        "กองสาธารณสุขและสิ่งแวดล้อม",
    ]
    assert units("สำนักงานปลัด กองคลัง กองช่าง กองการศึกษาฯ") == [
        "สำนักงานปลัด", "กองคลัง", "กองช่าง", "กองการศึกษาฯ",
    ]  # fmt: skip
    assert units("สำนักปลัด/ ทุกกอง") == ["สำนักปลัด", "ทุกกอง"]


def test_a_finding_repeats_the_wording_of_its_own_question_most() -> None:
    finding = "ประชาชนผู้รับบริการ ๓๔.๐๔% มีความเห็นว่า ยังไม่มีช่องทางการแจ้งข้อมูลหรือร้องเรียนการทุจริต"
    own = "หน่วยงานมีช่องทางที่ท่านสามารถแจ้ง ให้ข้อมูล หรือร้องเรียน ในกรณีที่พบว่า มีเจ้าหน้าที่ทุจริต"
    other = "หน่วยงานสามารถสื่อสาร ตอบข้อซักถาม หรือให้คำอธิบายแก่ท่านได้อย่างชัดเจน มากน้อยเพียงใด"
    assert similarity(finding, own) > similarity(finding, other)


MEASURES_TEXT = """มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน องค์การบริหารส่วนตำบลทดสอบ
ปีงบประมาณ พ.ศ.๒๕๖๖

มาตรการ\tขั้นตอนหรือวิธีการ\tผู้รับผิดชอบ\tระยะเวลา
๓. ปรับปรุงเว็บไซต์\t๑.สำรวจข้อมูล ๒.ปรับปรุงหน้า\tสำนักปลัด\tไตรมาส ๑-๔
๙. ประชุมชี้แจง\t๑.จัดประชุม\tกองคลัง\tไตรมาส ๒
หน้า ๒
\t๒.รายงานผลการประชุม\t\t
(ต่อ)\t๓.ติดตามผล\tกองช่าง\t
"""


def test_rows_continued_on_the_next_page_join_the_measure_above() -> None:
    result = import_text(MEASURES_TEXT)
    assert result.kind == "measures"
    assert [m.number for m in result.measures] == [3, 9]
    second = result.measures[1]
    assert second.steps == ("จัดประชุม", "รายงานผลการประชุม", "ติดตามผล")
    assert second.responsible == ("กองคลัง", "กองช่าง")
    assert second.period == "ไตรมาส ๒"


# --- hypothesis ---------------------------------------------------------------------------

FRAGMENTS = [
    "<p>", "</p>", "<u>", "<b>", "&amp;", "&#3585;", "....", "…", "\t", "\n", " ", "**", "(ต่อ)",
    "ประเด็น", "มาตรการ", "ขั้นตอน", "ระยะเวลา", "ผู้รับผิดชอบ", "ข้อคำถาม ITA", "ข้อค้นพบ",
    "ตัวชี้วัด", "คะแนน", "ระดับ", "ตัวชี้วัดที่ ๒", "การใช้งบประมาณ", "ภาพรวม", "A", "AA",
    "ผ่านดี", "E๑๐", "1๒๑", "I9", "O43", "๘๗.๘๖", "86.81", "100.00", "%", "ร้อยละ", "๑.", "(๒)",
    "-", "-กองคลัง", "ปีงบประมาณ พ.ศ. ๒๕๖๕", "พ.ศ.2599", "องค์การบริหารส่วนตำบล", "อำเภอ",
    "จังหวัด", "รายงานการวิเคราะห์ผลการประเมิน", "รายงานผลการดำเนินการ", "ข้อจำกัด",
    "ประชาชนผู้รับบริการ", "เจ้าหน้าที่ในหน่วยงาน", "Output", "ผลลัพธ์", "https://x.go.th/a",
    "\u0e4d\u0e32", "\u0e49", "\u200b", "\u00a0", "ค ะ แ น น",
]  # fmt: skip
TITLES = ["", "รายงานการวิเคราะห์ผลการประเมิน\n", "มาตรการส่งเสริมคุณธรรม\n", "รายงานผลการดำเนินการ\n"]
documents = st.builds(
    lambda title, parts: title + "".join(parts),
    st.sampled_from(TITLES),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=80),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text() | documents)
def test_repair_is_idempotent(text: str) -> None:
    once = repair(text)
    assert repair(once) == once


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_importing_arbitrary_text_never_fails_unexpectedly(text: str) -> None:
    try:
        result = import_text(text)
    except DocumentError as exc:
        failure = str(exc)
        assert " / " in failure and "\n" not in failure  # one Thai/English line
        return
    data = result.to_json()
    assert data["kind"] in {"analysis", "measures", "results"}
    assert all(0 <= v <= 100 for v in data["indicators"].values())
    assert all(0 <= v <= 100 for v in data["items"].values())


SEEDS = sorted((Path(__file__).parent / "import_data").glob("*.txt"))


@st.composite
def damaged_seeds(draw: st.DrawFn) -> str:
    """Return a real document with random cuts, insertions and swapped cell borders."""
    text = draw(st.sampled_from(SEEDS)).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(0, 12))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["cut", "insert", "tab", "newline"]))
        if action == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 400)) :]
        elif action == "insert":
            text = text[:at] + draw(st.sampled_from(FRAGMENTS) | st.text(max_size=8)) + text[at:]
        else:
            text = text[:at] + ("\t" if action == "tab" else "\n") + text[at:]
    return text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_seeds())
def test_importing_damaged_real_documents_never_fails_unexpectedly(text: str) -> None:
    try:
        result = import_text(text)
    except DocumentError:
        return
    data = result.to_json()
    assert all(0 <= v <= 100 for v in data["items"].values())
    assert all(isinstance(m["steps"], list) for m in data["measures"])


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda v: f"{v:.2f}"))
def test_thai_and_arabic_digits_read_as_the_same_score(text: str) -> None:
    assert parse_score(to_thai_digits(text)) == parse_score(text) == float(text)


scores = st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda v: round(v, 2))


def analysis_text(spec: ScoringSpec, indicators: dict[int, float], items: dict[str, float]) -> str:
    rows = "\n".join(f"{n}\t{spec.indicator(n).name_th}\t{v:.2f}" for n, v in indicators.items())
    questions = " ".join(f"<p>{code} ข้อคำถาม คะแนน {v:.2f}</p>" for code, v in items.items())
    findings = " ".join(f"<p>-ประชาชนผู้รับบริการ {v / 10:.2f}% มีความเห็นว่า</p>" for v in items.values())
    return (
        "รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส\nประจำปีงบประมาณ พ.ศ. 2565\n"
        f"อันดับ\tตัวชี้วัด\tคะแนน\n{rows}\n\n"
        "ในภาพรวมมีระดับคะแนน 87.86 จัดอยู่ในระดับ A\n\n"
        "ประเด็น\tข้อคำถาม ITA\tข้อค้นพบ\tขั้นตอน\tระยะเวลา\n"
        f"(1) ประเด็นทดสอบ\t{questions}\t{findings}\t1.ทำ 2.ทำต่อ\tไตรมาส 1-4\n"
    )


def _numbers(result: ImportedDocument) -> tuple[object, ...]:
    return (
        result.kind,
        result.fiscal_year,
        dict(result.indicators),
        dict(result.items),
        {c: f.percent for c, f in result.findings.items()},
        result.stated_total,
        result.stated_level,
        [len(m.steps) for m in result.measures],
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(st.sampled_from(sorted(S1_INDICATORS)), scores, min_size=1),
    st.dictionaries(st.sampled_from(["E1", "E2", "E3", "E6", "E10", "E15"]), scores, max_size=4),
)
def test_a_document_in_thai_digits_reads_as_the_same_document_in_arabic_digits(
    spec: SpecOf, indicators: dict[int, float], items: dict[str, float]
) -> None:
    text = analysis_text(spec(2565), indicators, items)
    arabic = import_text(text)
    thai = import_text(to_thai_digits(text))
    assert _numbers(thai) == _numbers(arabic)
    assert dict(arabic.indicators) == dict(sorted(indicators.items()))
    assert dict(arabic.items) == items


def test_the_importers_import_no_django() -> None:
    code = (
        "import sys, ita.importers, ita.importers.pipeline; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
