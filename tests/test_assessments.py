"""Entering official results: forms, uploads, snapshots, audit, and the published result."""

from __future__ import annotations

import io
from collections.abc import Mapping
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from ita.assessments import tables
from ita.assessments.models import Snapshot
from ita.assessments.services import ItemEntry, save_results
from ita.audit.models import AuditEvent
from ita.scoring.engine import ENGINE_VERSION
from ita.scoring.inputs import TableError
from tests.conftest import S1_INDICATORS, World


def url(world: World, view: str, **kwargs: object) -> str:
    return reverse(view, kwargs={"agency_id": world.a.pk, "year": world.year, **kwargs})


def indicator_form(values: Mapping[int, object]) -> dict[str, str]:
    return {f"indicator-{n}": str(v) for n, v in values.items()}


def test_indicator_scores_by_form_are_saved_scored_snapshotted_and_audited(world: World) -> None:
    client = world.client("bob")
    response = client.post(url(world, "results", part="indicators"), indicator_form(S1_INDICATORS))
    assert response.status_code == 302
    assessment = world.assessment_a
    assessment.refresh_from_db()
    assert assessment.total == Decimal("87.86")
    assert assessment.level == "ผ่าน"  # 2568 rating rule: IIT and EIT below 85
    snapshot = assessment.snapshots.get()
    assert snapshot.engine_version == ENGINE_VERSION
    assert snapshot.framework_sha256 == assessment.framework.sha256
    assert snapshot.inputs["indicators"]["2"] == 75.15
    assert snapshot.outputs["tools"] == {"IIT": 80.89, "EIT": 78.65, "OIT": 100.0}
    event = AuditEvent.objects.get(agency=world.a, action="results.saved")
    assert event.username == "bob"
    assert event.changes["indicator 2"] == [None, "75.15"]


def test_thai_digits_are_accepted_in_the_form(world: World) -> None:
    thai = {
        n: f"{v:.2f}".translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
        for n, v in S1_INDICATORS.items()
    }
    world.client("bob").post(url(world, "results", part="indicators"), indicator_form(thai))
    world.assessment_a.refresh_from_db()
    assert world.assessment_a.total == Decimal("87.86")


@pytest.mark.parametrize(
    ("value", "message"),
    [("101", "ระหว่าง 0 ถึง 100"), ("88.812", "ทศนิยมไม่เกิน 2 ตำแหน่ง"), ("แปดสิบ", "กรุณากรอกตัวเลข")],
)
def test_a_bad_value_in_the_form_saves_nothing_and_says_why(
    world: World, value: str, message: str
) -> None:
    values = dict(S1_INDICATORS) | {1: value}
    response = world.client("bob").post(
        url(world, "results", part="indicators"), indicator_form(values)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert world.assessment_a.indicator_scores.count() == 0
    assert not Snapshot.objects.filter(assessment=world.assessment_a).exists()


def test_items_by_tool_form_with_findings_and_oit_answers(world: World) -> None:
    client = world.client("bob")
    client.post(url(world, "results", part="IIT"), {"I9-score": "93.94", "I9-finding": "6.06"})
    client.post(
        url(world, "results", part="OIT"),
        {"O1-present": "yes", "O1-score": "100", "O1-remark": "ครบ"},
    )
    rows = {r.code: r for r in world.assessment_a.item_scores.all()}
    assert rows["I9"].score == Decimal("93.94") and rows["I9"].finding == Decimal("6.06")
    assert rows["O1"].present is True and rows["O1"].remark == "ครบ"
    world.assessment_a.refresh_from_db()
    assert world.assessment_a.result["indicators"]["2"] == 93.94
    assert world.assessment_a.snapshots.count() == 2


def test_clearing_a_field_removes_the_stored_result(world: World) -> None:
    client = world.client("bob")
    client.post(url(world, "results", part="IIT"), {"I9-score": "93.94"})
    client.post(url(world, "results", part="IIT"), {"I9-score": ""})
    assert not world.assessment_a.item_scores.filter(code="I9").exists()


def test_saving_the_same_values_again_changes_nothing(world: World) -> None:
    client = world.client("bob")
    client.post(url(world, "results", part="indicators"), indicator_form(S1_INDICATORS))
    response = client.post(
        url(world, "results", part="indicators"), indicator_form(S1_INDICATORS), follow=True
    )
    assert "ไม่มีการเปลี่ยนแปลง" in response.content.decode()
    assert world.assessment_a.snapshots.count() == 1


def test_the_published_total_is_compared_with_the_computed_one(world: World) -> None:
    client = world.client("bob")
    client.post(url(world, "results", part="indicators"), indicator_form(S1_INDICATORS))
    client.post(url(world, "results", part="published"), {"total": "86.81", "level": "ผ่าน"})
    page = client.get(url(world, "dashboard")).content.decode()
    assert "คะแนนรวมที่ประกาศ 86.81 ไม่ตรงกับที่คำนวณได้ 87.86" in page


def test_a_viewer_reads_results_but_cannot_save_them(world: World) -> None:
    client = world.client("carol")
    assert client.get(url(world, "results", part="indicators")).status_code == 200
    response = client.post(url(world, "results", part="indicators"), indicator_form(S1_INDICATORS))
    assert response.status_code == 403
    assert world.assessment_a.indicator_scores.count() == 0
    assert client.get(url(world, "upload")).status_code == 200
    assert client.post(url(world, "upload"), {}).status_code == 403


def test_save_results_rolls_back_everything_when_the_engine_refuses(world: World) -> None:
    from ita.assessments.services import ResultsError

    with pytest.raises(ResultsError):
        save_results(
            world.assessment_a, world.users["bob"],
            indicators={1: Decimal("90")}, items={"I9": ItemEntry(score=Decimal("150"))},
        )  # fmt: skip
    assert world.assessment_a.indicator_scores.count() == 0
    assert world.assessment_a.item_scores.count() == 0
    assert not AuditEvent.objects.filter(action="results.saved").exists()


# --- upload ---------------------------------------------------------------------------


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEADER: list[object] = [
    "ประเภท (kind)",
    "รหัส (code)",
    "ชื่อ/ข้อคำถาม (name)",
    "คะแนน (score)",
    "ข้อค้นพบ % (finding)",
    "มี/ไม่มี (present)",
    "หมายเหตุผู้ตรวจประเมิน (remark)",
]


def upload(world: World, name: str, data: bytes, user: str = "bob") -> str:
    response = world.client(user).post(
        url(world, "upload"), {"file": SimpleUploadedFile(name, data)}, follow=True
    )
    return response.content.decode()


def test_the_template_downloads_prefilled_and_uploads_back_unchanged(world: World) -> None:
    client = world.client("bob")
    client.post(url(world, "results", part="indicators"), indicator_form(S1_INDICATORS))
    body = client.get(url(world, "results-template", fmt="xlsx")).content
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][3] == "คะแนน (score)"
    assert rows[1][:4] == ("ตัวชี้วัด", 1, "การปฏิบัติหน้าที่", 88.81)
    assert sum(1 for r in rows if r[0] == "ข้อ") == 88  # every item of the 2568 framework
    before = world.assessment_a.snapshots.count()
    page = upload(world, "back.xlsx", body)
    assert "ไม่มีการเปลี่ยนแปลง" in page
    assert world.assessment_a.snapshots.count() == before


def test_an_uploaded_file_with_errors_saves_nothing_and_lists_every_error(world: World) -> None:
    data = xlsx(
        [
            HEADER,
            ["ตัวชี้วัด", 1, "", 88.81, "", "", ""],
            ["ตัวชี้วัด", 11, "", 50, "", "", ""],
            ["ข้อ", "E99", "", 50, "", "", ""],
            ["ข้อ", "I9", "", 120, "", "", ""],
            ["ข้อ", "O1", "", 100, "", "บางส่วน", ""],
            ["แถว", "I1", "", 10, "", "", ""],
            ["ตัวชี้วัด", 1, "", 70, "", "", ""],
        ]
    )
    page = upload(world, "bad.xlsx", data)
    assert "ไฟล์มีปัญหา 6 จุด" in page
    for expected in ("แถวที่ 3", "แถวที่ 4", "แถวที่ 5", "แถวที่ 6", "แถวที่ 7", "แถวที่ 8"):
        assert expected in page
    assert world.assessment_a.indicator_scores.count() == 0
    assert world.assessment_a.item_scores.count() == 0


def test_a_csv_in_thai_windows_encoding_is_read(world: World) -> None:
    text = "kind,code,name,score\nตัวชี้วัด,๑,การปฏิบัติหน้าที่,๘๘.๘๑\n"
    upload(world, "thai.csv", text.encode("cp874"))
    assert world.assessment_a.indicator_scores.get(number=1).score == Decimal("88.81")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("scores.pdf", b"%PDF-1.4", "รองรับเฉพาะไฟล์ .csv และ .xlsx"),
        ("broken.xlsx", b"not a zip", "ไฟล์ XLSX เสียหาย"),
        ("empty.csv", b"", "ไฟล์ว่างเปล่า"),
        ("header.csv", b"a,b,c\n1,2,3\n", "ไม่มีคอลัมน์ kind, code, score"),
        ("huge-cell.csv", b"kind,code,score\nitem,E1," + b"9" * 200_000, "ไฟล์ CSV ผิดรูปแบบ"),
    ],
)
def test_unreadable_uploads_are_refused_with_a_message(
    world: World, name: str, data: bytes, message: str
) -> None:
    assert message in upload(world, name, data)
    assert world.assessment_a.snapshots.count() == 0


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (tables.MAX_XLSX_UNCOMPRESSED + 1))
    with pytest.raises(TableError, match="unpacks too large"):
        tables.read_upload("bomb.xlsx", buffer.getvalue())


# --- dashboard and what-if --------------------------------------------------------------


def test_the_dashboard_shows_total_level_tools_weak_items_and_a_plan(world: World) -> None:
    client = world.client("carol")
    world.client("bob").post(
        url(world, "results", part="indicators"), indicator_form(S1_INDICATORS)
    )
    world.client("bob").post(
        url(world, "results", part="IIT"), {"I9-score": "60.61", "I9-finding": "39.39"}
    )
    page = client.get(url(world, "dashboard")).content.decode()
    assert "87.86" in page and "ผ่าน" in page
    assert "80.89" in page  # IIT
    assert "I9" in page and "เจ้าหน้าที่ในหน่วยงาน 39.39% ให้คำตอบเชิงลบ" in page
    assert "เพื่อให้ถึงระดับ ผ่านดี" in page
    assert client.get(url(world, "chart", name="results")).content.startswith(b"<?xml")


def test_the_whatif_form_returns_the_new_total_and_level(world: World) -> None:
    world.client("bob").post(
        url(world, "results", part="indicators"), indicator_form(S1_INDICATORS)
    )
    changed = {"indicator-2": "95", "indicator-3": "95", "indicator-4": "95", "indicator-5": "95",
               "indicator-6": "95", "indicator-7": "95", "indicator-8": "95"}  # fmt: skip
    fragment = world.client("carol").post(url(world, "whatif"), changed).content.decode()
    assert "<html" not in fragment
    assert "96.63" in fragment  # 0.06·(88.81+95·4) + 0.10·(95·3) + 0.20·200 = 96.6286
    assert "ผ่านดี" in fragment and "(เดิม ผ่าน)" in fragment


def test_the_whatif_form_reports_a_bad_number(world: World) -> None:
    world.client("bob").post(
        url(world, "results", part="indicators"), indicator_form(S1_INDICATORS)
    )
    fragment = (
        world.client("carol").post(url(world, "whatif"), {"indicator-2": "๑๒๐"}).content.decode()
    )
    assert "คะแนนต้องอยู่ระหว่าง 0 ถึง 100" in fragment


def test_an_empty_year_invites_the_editor_to_enter_results(world: World) -> None:
    page = world.client("bob").get(url(world, "dashboard")).content.decode()
    assert "ยังไม่มีการบันทึกผลการประเมินของปีนี้" in page
    assert url(world, "results", part="indicators") in page


def test_history_lists_every_computation(world: World) -> None:
    client = world.client("bob")
    client.post(url(world, "results", part="indicators"), indicator_form(S1_INDICATORS))
    client.post(url(world, "results", part="indicators"), indicator_form(S1_INDICATORS | {1: 90}))
    page = client.get(url(world, "history")).content.decode()
    assert page.count(ENGINE_VERSION) == 2


def test_a_zip_of_an_unsupported_version_is_refused_as_damaged() -> None:
    # The sheet is read lazily, row by row: the fault shows only then (zipfile's
    # NotImplementedError "zip file version 6.4"), after the workbook opened fine.
    book = Workbook()
    book.active.append(["kind", "code", "score"])
    buffer = io.BytesIO()
    book.save(buffer)
    data = bytearray(buffer.getvalue())
    name = b"xl/worksheets/sheet1.xml"
    for signature, offset in ((b"PK\x03\x04", 4), (b"PK\x01\x02", 6)):
        at = data.find(signature)
        while at != -1:
            header_name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[header_name_at : header_name_at + len(name)] == name:
                data[at + offset : at + offset + 2] = (64).to_bytes(2, "little")
            at = data.find(signature, at + 4)
    with pytest.raises(TableError, match="damaged"):
        tables.read_upload("new.xlsx", bytes(data))
