"""Bulk import of official results: every fault at once, nothing saved unless all is valid."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from ita.agencies.models import Agency
from ita.assessments.models import Assessment, IndicatorScore, Snapshot
from ita.audit.models import AuditEvent
from ita.jobs.models import Job, JobStatus
from ita.scoring.inputs import TableError
from ita.supervision import bulkimport
from tests.conftest import S1_INDICATORS, World

HEADER = [
    "itas_code", "name", "agency_type", "province", "district", "fiscal_year",
    *[f"indicator_{n}" for n in range(1, 11)], "published_total", "published_level",
]  # fmt: skip
S1 = [f"{S1_INDICATORS[n]:.2f}" for n in range(1, 11)]


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    from django.core.cache import cache

    from ita.supervision.yeartable import forget

    cache.clear()
    forget()


def as_csv(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def upload(world: World, data: bytes, name: str = "results.csv", person: str = "root") -> Any:
    return world.client(person).post(
        reverse("supervision-import"), {"file": SimpleUploadedFile(name, data)}
    )


def state() -> tuple[int, ...]:
    return (
        Agency.objects.count(),
        Assessment.objects.count(),
        IndicatorScore.objects.count(),
        Snapshot.objects.count(),
        AuditEvent.objects.count(),
    )


def test_every_row_fault_is_reported_at_once_and_nothing_is_saved(world: World) -> None:
    before = state()
    rows = [
        ["", "อบต.ใหม่หนึ่ง", "อบต.", "เชียงราย", "", "2565", *S1, "87.86", "A"],  # valid
        ["", "", "อบต.", "ไม่มีจังหวัดนี้", "", "2565", *S1, "", ""],  # no name, bad province
        ["", "อบต.ใหม่สาม", "โรงเรียน", "น่าน", "", "2565", *S1, "", ""],  # unknown type
        ["", "อบต.ใหม่สี่", "อบต.", "น่าน", "", "2599", *S1, "", ""],  # no framework
        ["", "อบต.ใหม่ห้า", "อบต.", "น่าน", "", "2565", "101", *S1[1:], "", ""],  # score > 100
        ["", "อบต.ใหม่หก", "อบต.", "น่าน", "", "2565", "", *S1[1:], "", ""],  # missing indicator
        ["", "อบต.ใหม่เจ็ด", "อบต.", "น่าน", "", "2565", *S1, "87.861", "Z"],  # decimals, level
        ["", "อบต.ใหม่หนึ่ง", "อบต.", "เชียงราย", "", "2565", *S1, "", ""],  # repeats row 2
    ]
    response = upload(world, as_csv(rows))
    assert response.status_code == 200
    page = response.content.decode()
    with pytest.raises(TableError) as caught:
        bulkimport.validate("results.csv", as_csv(rows))
    lines = sorted({e.line for e in caught.value.errors if e.line})
    assert lines == [3, 4, 5, 6, 7, 8, 9]
    assert len(caught.value.errors) >= 9  # two faults on line 3, two on line 8
    for line in lines:
        assert f"แถวที่ {line}:" in page or f"row {line}:" in page
    assert state() == before


def test_a_valid_file_creates_and_matches_agencies_and_saves_through_the_service(
    world: World,
) -> None:
    Agency.objects.filter(pk=world.b.pk).update(itas_code="B-001")
    rows = [
        # matched by ITAS code (name differs: the stored one is kept)
        ["B-001", "ทต.ทดสอบบี", "", "ลำปาง", "", "2565", *S1, "87.86", "A"],
        # matched by name and province; the code is recorded
        ["A-001", world.a.name_th, "", "เชียงราย", "แม่จัน", "๒๕๖๕", *S1, "", ""],
        # created, with Thai digits in the scores
        ["N-001", "องค์การบริหารส่วนตำบลใหม่", "องค์การบริหารส่วนตำบล", "จังหวัดน่าน", "ปัว", "2565",
         "๘๘.๘๑", *S1[1:], "87.86", ""],
        ["N-001", "องค์การบริหารส่วนตำบลใหม่", "อบต.", "น่าน", "ปัว", "2564", *S1, "", ""],
    ]  # fmt: skip
    response = upload(world, as_csv(rows))
    assert response.status_code == 302
    job = Job.objects.get(kind="supervision.import")
    assert job.status == JobStatus.DONE, job.message
    assert job.result == {
        "agencies_created": 1, "agencies_matched": 2, "assessments_created": 4,
        "results_saved": 4, "unchanged": 0,
    }  # fmt: skip
    new = Agency.objects.get(itas_code="N-001")
    assert (new.name_th, new.agency_type, new.province, new.district) == (
        "องค์การบริหารส่วนตำบลใหม่", "sao", "น่าน", "ปัว",
    )  # fmt: skip
    assert new.units.count() > 0
    assert Agency.objects.get(pk=world.a.pk).itas_code == "A-001"
    assert Agency.objects.get(pk=world.b.pk).name_th == world.b.name_th
    b2565 = Assessment.objects.get(agency=world.b, fiscal_year=2565)
    assert str(b2565.total) == "87.86" and b2565.level == "A" and b2565.published_level == "A"
    assert b2565.snapshots.count() == 1
    assert {s.number: float(s.score) for s in b2565.indicator_scores.all()} == S1_INDICATORS
    assert AuditEvent.objects.filter(agency=new, action="agency.created").exists()
    assert AuditEvent.objects.filter(agency=world.b, action="results.saved").exists()
    # importing the same file again changes nothing
    assert upload(world, as_csv(rows)).status_code == 302
    again = Job.objects.filter(kind="supervision.import").order_by("-pk").first()
    assert again is not None and again.result["unchanged"] == 4
    assert Agency.objects.filter(itas_code="N-001").count() == 1


def test_a_code_of_an_agency_in_another_province_is_refused(world: World) -> None:
    Agency.objects.filter(pk=world.b.pk).update(itas_code="B-001")
    before = state()
    rows = [["B-001", "ทต.ทดสอบบี", "", "น่าน", "", "2565", *S1, "", ""]]
    response = upload(world, as_csv(rows))
    assert response.status_code == 200 and "B-001" in response.content.decode()
    assert state() == before


def test_one_code_for_two_agencies_in_the_file_is_refused(world: World) -> None:
    rows = [
        ["X-1", "อบต.หนึ่ง", "อบต.", "น่าน", "", "2565", *S1, "", ""],
        ["X-1", "อบต.สอง", "อบต.", "น่าน", "", "2564", *S1, "", ""],
    ]
    with pytest.raises(TableError) as caught:
        bulkimport.validate("f.csv", as_csv(rows))
    assert [e.line for e in caught.value.errors] == [3]


def test_the_same_agency_with_and_without_its_code_is_refused(world: World) -> None:
    rows = [
        ["X-1", "อบต.หนึ่ง", "อบต.", "น่าน", "", "2565", *S1, "", ""],
        ["", "อบต.หนึ่ง", "อบต.", "น่าน", "", "2564", *S1, "", ""],
    ]
    with pytest.raises(TableError) as caught:
        bulkimport.validate("f.csv", as_csv(rows))
    assert [e.line for e in caught.value.errors] == [3]


def test_a_new_agency_needs_a_type(world: World) -> None:
    rows = [["", "อบต.ไม่มีประเภท", "", "น่าน", "", "2565", *S1, "", ""]]
    with pytest.raises(TableError) as caught:
        bulkimport.validate("f.csv", as_csv(rows))
    assert "type" in caught.value.errors[0].en


def test_missing_columns_and_other_files_are_refused(world: World) -> None:
    with pytest.raises(TableError, match="missing column"):
        bulkimport.validate("f.csv", as_csv([["x"]], header=["name"]))
    with pytest.raises(TableError, match=r"only \.csv and \.xlsx"):
        bulkimport.validate("f.pdf", b"%PDF")
    with pytest.raises(TableError, match="damaged"):
        bulkimport.validate("f.xlsx", b"not a zip")
    with pytest.raises(TableError, match="empty"):
        bulkimport.validate("f.csv", b"")
    with pytest.raises(TableError, match="missing column"):
        bulkimport.validate("f.csv", b"\r\x00")
    with pytest.raises(TableError, match="cannot read the CSV"):
        bulkimport.validate("f.csv", b"x" * 200_000)  # a field longer than csv allows


def test_the_template_comes_back_as_a_valid_file(world: World) -> None:
    client = world.client("root")
    response = client.get(
        reverse("supervision-import-template", kwargs={"fmt": "xlsx"}) + "?year=2565"
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    header = [c.value for c in book.worksheets[0][1]]
    assert header[0] == "รหัสหน่วยงาน ITAS (itas_code)" and "ตัวชี้วัดที่ 10 (indicator_10)" in header
    filled = Workbook()
    sheet = filled.worksheets[0]
    sheet.append(header)
    sheet.append(["T-1", "เทศบาลตำบลแม่แบบ", "เทศบาลตำบล", "ลำพูน", "", 2565,
                  *[S1_INDICATORS[n] for n in range(1, 11)], 87.86, "A"])  # fmt: skip
    out = io.BytesIO()
    filled.save(out)
    plan = bulkimport.validate("filled.xlsx", out.getvalue())
    assert plan.new_agencies == 1 and str(plan.rows[0].indicators[1]) == "88.81"
    csv_template = client.get(reverse("supervision-import-template", kwargs={"fmt": "csv"}))
    assert csv_template.content.decode("utf-8-sig").startswith("รหัสหน่วยงาน ITAS (itas_code),")


def test_only_system_administrators_import(world: World) -> None:
    rows = [["", "อบต.ใหม่", "อบต.", "น่าน", "", "2565", *S1, "", ""]]
    for person in ("alice", "sam", "dave"):
        assert upload(world, as_csv(rows), person=person).status_code == 403
    assert not Agency.objects.filter(name_th="อบต.ใหม่").exists()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=400), name=st.sampled_from(["f.csv", "f.xlsx"]))
def test_any_bytes_are_refused_with_a_message_or_read(world: World, data: bytes, name: str) -> None:
    try:
        plan = bulkimport.validate(name, data)
    except TableError as exc:
        errors = exc.errors
    else:
        errors = []
        assert plan.rows  # a file that reads must hold rows
    assert all(isinstance(e.line, int | None) for e in errors)
