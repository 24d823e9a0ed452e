"""The OIT evidence registry: the year's checklist, evidence with its audit trail, readiness
through the engine, the ITAS sheet, the public page, and who may see and change what."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from ita.agencies.models import ResponsibleUnit
from ita.assessments.services import save_results, start_assessment
from ita.audit.models import AuditEvent
from ita.catalog.loader import get_framework
from ita.oit import services
from ita.oit.models import EvidenceFile, EvidenceLink, ItemEvidence, PublicPage, Status
from ita.oit.readiness import disclosure_items
from ita.scoring.engine import OfficialScores, score_official
from ita.scoring.whatif import levers
from tests.conftest import S1_INDICATORS, World

NOTES = "บันทึกภายใน: รอนายกลงนาม ห้ามเผยแพร่"
EXPLANATION = "คำอธิบายสำหรับ ITAS: หน้าแผนดำเนินงานประจำปี"
UNIT = "สำนักปลัด"


def url(world: World, view: str, year: int | None = None, **kwargs: Any) -> str:
    return reverse(view, kwargs={"agency_id": world.a.pk, "year": year or world.year, **kwargs})


def oit_codes(year: int) -> list[str]:
    fw = get_framework(year)
    return [item.code for tool, _ind, item in fw.iter_items() if tool.kind == "disclosure"]


def fill(world: World, code: str, status: str = Status.READY, **extra: Any) -> Any:
    form = {
        "status": status,
        "urls": extra.pop("urls", f"https://www.example.go.th/ita/{code.lower()}"),
        "explanation": extra.pop("explanation", EXPLANATION),
        "notes": extra.pop("notes", NOTES),
        **extra,
    }
    return world.client(extra.pop("who", "bob")).post(url(world, "oit-item", code=code), form)


# --- the checklist comes from the framework file --------------------------------------------


def test_the_2566_checklist_is_o1_to_o43_with_sub_indicators_elements_and_periods(
    world: World,
) -> None:
    checklist = services.build_checklist(world.a, 2566)
    assert [row.code for row in checklist.rows] == [f"O{n}" for n in range(1, 44)]
    fw = get_framework(2566)
    for tool, ind, item in fw.iter_items():
        if tool.kind != "disclosure":
            continue
        row = checklist.row(item.code)
        assert row is not None
        assert row.indicator.number == ind.number
        assert row.item.sub_indicator == item.sub_indicator
        assert row.sub_indicator is not None and row.sub_indicator.code == item.sub_indicator
        assert row.item.elements == item.elements
        assert row.item.period_th == item.period_th
    assert all(row.state is services.State.MISSING for row in checklist.rows)
    assert checklist.readiness is not None and checklist.readiness.oit_score == 0


def test_the_page_shows_each_item_with_what_it_must_show_and_its_period(world: World) -> None:
    entry = next(
        item
        for tool, _ind, item in get_framework(world.year).iter_items()
        if tool.kind == "disclosure" and item.elements and item.period_th is None
    )
    dated = next(
        item
        for tool, _ind, item in get_framework(world.year).iter_items()
        if tool.kind == "disclosure" and item.period_th
    )
    page = world.client("carol").get(url(world, "oit")).content.decode()
    assert all(f'id="item-{code}"' in page for code in oit_codes(world.year))
    detail = world.client("carol").get(url(world, "oit-item", code=entry.code)).content.decode()
    assert entry.elements[0] in detail
    detail = world.client("carol").get(url(world, "oit-item", code=dated.code)).content.decode()
    assert dated.period_th is not None and dated.period_th in detail


def test_2563_has_no_oit_items_and_the_page_says_so(world: World) -> None:
    assert oit_codes(2563) == []
    start_assessment(world.a, 2563, world.users["root"])
    checklist = services.build_checklist(world.a, 2563)
    assert not checklist.has_items and checklist.readiness is None
    page = world.client("bob").get(url(world, "oit", year=2563)).content.decode()
    assert 'id="no-items"' in page
    assert "ไม่มีรายการ OIT" in page or "no OIT items" in page
    sheet = world.client("bob").get(url(world, "oit-xlsx", year=2563))
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1  # the header only


def test_an_unknown_item_code_is_not_found(world: World) -> None:
    assert world.client("bob").get(url(world, "oit-item", code="O999")).status_code == 404
    assert world.client("bob").get(url(world, "oit-item", code="E1")).status_code == 404


# --- evidence: status, links, unit, explanation, notes, files — and the audit log ----------


def test_an_editor_records_evidence_and_every_change_goes_to_the_audit_log(world: World) -> None:
    unit = ResponsibleUnit.objects.create(agency=world.a, name=UNIT)
    upload = SimpleUploadedFile("โครงสร้าง.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    response = fill(
        world,
        "O1",
        urls="https://www.example.go.th/ita/o1\n\nhttps://www.example.go.th/ita/o1-chart.pdf\n",
        unit=str(unit.pk),
        uploads=upload,
    )
    assert response.status_code == 302 and response["Location"].endswith("#item-O1")
    evidence = ItemEvidence.objects.get(agency=world.a, fiscal_year=world.year, code="O1")
    assert (evidence.status, evidence.unit, evidence.explanation, evidence.notes) == (
        Status.READY,
        unit,
        EXPLANATION,
        NOTES,
    )
    assert [link.url for link in evidence.links.all()] == [
        "https://www.example.go.th/ita/o1",
        "https://www.example.go.th/ita/o1-chart.pdf",
    ]
    assert evidence.files.get().title == "โครงสร้าง.pdf"
    event = AuditEvent.objects.get(action="oit.evidence.saved", agency=world.a)
    assert event.user == world.users["bob"]
    assert event.changes["status"] == [Status.NOT_STARTED, Status.READY]
    assert event.changes["unit"] == [None, UNIT]
    assert event.changes["files"] == [None, ["โครงสร้าง.pdf"]]

    # Changing one address keeps the other's row (and so its check history).
    kept = evidence.links.get(url="https://www.example.go.th/ita/o1")
    fill(
        world,
        "O1",
        status=Status.SUBMITTED,
        urls="https://www.example.go.th/ita/o1",
        unit=str(unit.pk),
    )
    assert list(evidence.links.values_list("pk", flat=True)) == [kept.pk]
    latest = AuditEvent.objects.filter(action="oit.evidence.saved").first()
    assert latest is not None
    assert latest.changes["status"] == [Status.READY, Status.SUBMITTED]
    assert latest.changes["urls"][1] == ["https://www.example.go.th/ita/o1"]
    assert "notes" not in latest.changes  # unchanged fields are not logged


def test_saving_without_a_change_writes_no_audit_event(world: World) -> None:
    fill(world, "O2")
    fill(world, "O2")
    assert AuditEvent.objects.filter(action="oit.evidence.saved").count() == 1


def test_an_item_marked_ready_needs_a_link(world: World) -> None:
    response = fill(world, "O3", urls="")
    assert response.status_code == 200
    assert not ItemEvidence.objects.filter(code="O3").exists()
    response = fill(world, "O3", status=Status.IN_PROGRESS, urls="www.no-scheme.go.th/o3")
    assert response.status_code == 200 and not ItemEvidence.objects.exists()


def test_removing_a_file_is_logged(world: World) -> None:
    fill(world, "O4", uploads=SimpleUploadedFile("o4.pdf", b"%PDF-1.4"))
    stored = EvidenceFile.objects.get()
    response = world.client("bob").post(url(world, "oit-file-delete", file_id=stored.pk))
    assert response.status_code == 302
    assert not EvidenceFile.objects.exists()
    assert AuditEvent.objects.filter(action="oit.file.deleted", agency=world.a).exists()


# --- access ---------------------------------------------------------------------------------


def test_viewers_and_supervisors_read_and_only_editors_change(world: World) -> None:
    fill(world, "O5")
    for person in ("carol", "alice", "bob", "root"):
        assert world.client(person).get(url(world, "oit")).status_code == 200, person
        assert world.client(person).get(url(world, "oit-item", code="O5")).status_code == 200
    assert fill(world, "O5", status=Status.IN_PROGRESS, who="carol").status_code == 403
    assert world.client("carol").post(url(world, "oit-check")).status_code == 403
    assert (
        world.client("carol").post(url(world, "oit-publish"), {"publish": "1"}).status_code == 403
    )
    assert ItemEvidence.objects.get(code="O5").status == Status.READY
    page = world.client("carol").get(url(world, "oit-item", code="O5")).content.decode()
    assert '<form method="post" enctype' not in page and NOTES in page  # read-only, for members
    # Agency B's supervisor and editor read B's checklist; they do not see A's.
    b_url = reverse("oit", kwargs={"agency_id": world.b.pk, "year": world.year})
    assert world.client("sam").get(b_url).status_code == 200
    assert (
        world.client("sam")
        .post(
            reverse("oit-item", kwargs={"agency_id": world.b.pk, "year": world.year, "code": "O5"}),
            {"status": Status.IN_PROGRESS},
        )
        .status_code
        == 403
    )
    assert world.client("dave").get(url(world, "oit")).status_code == 404


def test_files_are_served_only_to_the_agencys_people(world: World) -> None:
    fill(world, "O6", uploads=SimpleUploadedFile("o6.pdf", b"%PDF-1.4 the agency's copy"))
    file_url = url(world, "oit-file", file_id=EvidenceFile.objects.get().pk)
    response = world.client("carol").get(file_url)
    assert response.status_code == 200
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert content == b"%PDF-1.4 the agency's copy"
    assert world.client("dave").get(file_url).status_code == 404
    assert world.client("sam").get(file_url).status_code == 404
    anonymous = world.client(None).get(file_url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


# --- readiness: the engine's numbers --------------------------------------------------------


def _with_iit_eit(world: World) -> dict[int, float]:
    """Give agency A official IIT/EIT indicator scores (seed S1's) and an OIT to be replaced."""
    spec = world.assessment_a.framework.spec
    perception = {n: S1_INDICATORS[n] for tool in spec.perception_tools() for n in tool.indicators}
    disclosure = [n for tool in spec.tools if tool.kind == "disclosure" for n in tool.indicators]
    official = {n: Decimal(f"{v:.2f}") for n, v in perception.items()}
    official |= {n: Decimal("100.00") for n in disclosure}  # the real result: replaced below
    save_results(world.assessment_a, world.users["bob"], indicators=official)
    return perception


def test_readiness_is_the_engines_score_with_ready_items_at_100_and_the_rest_at_0(
    world: World,
) -> None:
    perception = _with_iit_eit(world)
    spec = world.assessment_a.framework.spec
    codes = disclosure_items(spec)
    ready, broken = codes[:5], codes[5]
    for code in ready:
        fill(world, code)
    fill(world, broken)
    fill(world, codes[6], status=Status.IN_PROGRESS)
    EvidenceLink.objects.filter(evidence__code=broken).update(last_verdict="not_found")

    checklist = services.build_checklist(world.a, world.year)
    assert checklist.counts == {"ready": 5, "broken": 1, "missing": len(codes) - 6}
    expected = score_official(
        spec,
        OfficialScores(
            indicators=perception, items={c: 100.0 if c in ready else 0.0 for c in codes}
        ),
    )
    readiness = checklist.readiness
    assert readiness is not None
    oit = next(t.code for t in spec.tools if t.kind == "disclosure")
    assert readiness.oit_score == expected.tools[oit]
    assert readiness.total == expected.total
    assert readiness.result.level == expected.level
    assert readiness.result.indicators == expected.indicators
    # What a missing item costs: the engine's points per point of that item, × 100.
    per_point = {lv.key: lv.points_per_point for lv in levers(spec, expected)}
    assert set(readiness.costs) == set(codes) - set(ready)
    for code, cost in readiness.costs.items():
        assert cost == pytest.approx(per_point[code] * 100)
        item = spec.item(code)
        indicator = spec.indicator(item.indicator)
        share = item.weight / sum(spec.item(c).weight for c in indicator.items)
        weights = sum(i.weight for i in spec.indicators)
        assert cost == pytest.approx(share * indicator.weight / weights * 100)
    # Every cost together is what stands between this total and the one with every item passing.
    assert readiness.total is not None
    assert readiness.total + readiness.missing_points == pytest.approx(readiness.best.total)
    page = world.client("carol").get(url(world, "oit")).content.decode()
    assert f'<span class="value oit-score">{expected.tools[oit]:.2f}</span>' in page


def test_without_iit_and_eit_results_readiness_gives_the_oit_score_but_no_total(
    world: World,
) -> None:
    fill(world, "O1")
    checklist = services.build_checklist(world.a, world.year)
    assert checklist.readiness is not None
    assert checklist.readiness.oit_score is not None and checklist.readiness.oit_score > 0
    assert checklist.readiness.total is None and not checklist.perception_known


def test_a_broken_link_makes_an_item_broken_whatever_its_status(world: World) -> None:
    fill(world, "O7", status=Status.IN_PROGRESS)
    EvidenceLink.objects.update(last_verdict="soft_404")
    row = services.build_checklist(world.a, world.year).row("O7")
    assert row is not None and row.state is services.State.BROKEN


def test_the_dashboard_panel_flags_newly_broken_items(world: World) -> None:
    fill(world, "O8")
    fill(world, "O9")
    EvidenceLink.objects.filter(evidence__code="O9").update(
        last_verdict="not_found", newly_broken=True
    )
    page = world.client("carol").get(url(world, "dashboard")).content.decode()
    assert 'id="oit-panel"' in page
    panel = page[page.index('id="oit-panel"') :]
    assert "O9" in panel[: panel.index("</section>")]
    assert (
        reverse("oit-item", kwargs={"agency_id": world.a.pk, "year": world.year, "code": "O9"})
        in panel
    )


# --- outputs: the ITAS sheet and the public page --------------------------------------------


def test_the_itas_sheet_has_item_answer_url_and_explanation_and_no_notes(world: World) -> None:
    fill(world, "O1", urls="https://www.example.go.th/a\nhttps://www.example.go.th/b")
    fill(world, "O2", status=Status.IN_PROGRESS)
    response = world.client("carol").get(url(world, "oit-xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2:4] == ("มี/ไม่มี", "URL")
    assert [r[0] for r in rows[1:]] == oit_codes(world.year)
    o1, o2, o3 = rows[1], rows[2], rows[3]
    assert o1[:5] == (
        "O1",
        next(i for _t, _i, i in get_framework(world.year).iter_items() if i.code == "O1").text_th,
        "มี",
        "https://www.example.go.th/a\nhttps://www.example.go.th/b",
        EXPLANATION,
    )
    assert o2[2] == "ไม่มี"  # in progress: not yet to be declared
    assert o3[2] == "ไม่มี" and o3[3] in (None, "")
    every_cell = " ".join(str(v) for r in rows for v in r if v is not None)
    assert NOTES not in every_cell


def test_the_public_page_shows_published_fields_only(world: World) -> None:
    unit = ResponsibleUnit.objects.create(agency=world.a, name="กองยุทธศาสตร์ลับเฉพาะ")
    fill(world, "O1", unit=str(unit.pk), uploads=SimpleUploadedFile("private-scan.pdf", b"%PDF"))
    fill(world, "O2", status=Status.IN_PROGRESS, urls="https://www.example.go.th/draft-o2")
    assert world.client("bob").post(url(world, "oit-publish"), {"publish": "1"}).status_code == 302
    page = PublicPage.objects.get(agency=world.a, fiscal_year=world.year)
    public_url = reverse("oit-public", kwargs={"token": page.token})
    response = world.client(None).get(public_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert world.a.name_th in html
    assert "https://www.example.go.th/ita/o1" in html  # a ready item's link
    assert "draft-o2" not in html  # an item in progress: not published yet
    for secret in (NOTES, EXPLANATION, "กองยุทธศาสตร์ลับเฉพาะ", "private-scan", "/files/"):
        assert secret not in html, secret
    assert AuditEvent.objects.filter(action="oit.page.published", agency=world.a).exists()
    # The address is long and random; withdrawn, it answers 404, and publishing again restores it.
    assert len(page.token) >= 20
    world.client("bob").post(url(world, "oit-publish"), {"publish": "0"})
    assert world.client(None).get(public_url).status_code == 404
    world.client("bob").post(url(world, "oit-publish"), {"publish": "1"})
    assert world.client(None).get(public_url).status_code == 200
    assert (
        world.client(None).get(reverse("oit-public", kwargs={"token": "guess"})).status_code == 404
    )
    checklist_page = world.client("carol").get(url(world, "oit")).content.decode()
    assert public_url in checklist_page


def test_the_readiness_rule_and_the_link_monitor_import_no_django() -> None:
    import subprocess
    import sys

    code = (
        "import sys, ita.oit.checker, ita.oit.content, ita.oit.history, ita.oit.readiness; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
