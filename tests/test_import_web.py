"""Importing a document on the web: upload, preview beside the source text, correct, save.

The files are real: the seed texts in tests/import_data and the DOCX, XLSX and PDF documents of
tests/test_import_formats.py. The preview is submitted as a browser would: every field of the
page's form, as rendered, with only what a person changes changed.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ita.agencies.models import ResponsibleUnit
from ita.assessments.models import Assessment, Snapshot, Source
from ita.assessments.services import save_results, start_assessment
from ita.audit.models import AuditEvent
from ita.importers import MAX_FILE_BYTES, DocumentError, import_bytes
from ita.imports.periods import read_period
from ita.measures.models import Measure, Plan, PlanIssue, Progress, Status
from ita.scoring.engine import OfficialScores, round2, score_official
from ita.scoring.spec import ScoringSpec
from tests.conftest import S0_ITEMS, S1_INDICATORS, World
from tests.test_import_formats import BAD_FILES, build_docx, build_pdf, build_xlsx

DATA = Path(__file__).parent / "import_data"
S0 = DATA / "000_32d122ba1c902492.txt"  # measures document 2566 (detailed form)
S1 = DATA / "001_0716c6b80218a866.txt"  # analysis report 2565, total 87.86 A, four measures
S2 = DATA / "002_c532c33424e92c7e.txt"  # results report 2568


class FormReader(HTMLParser):
    """The fields a browser would submit with one form of a page (named by its action)."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._text = ""
        self._select: str | None = None
        self._first_option: str | None = None
        self._selected = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action") == self.action
        if not self.inside or (not a.get("name") and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value", "on")))
            elif kind not in {"file", "submit", "button"}:
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], ""
        elif tag == "select":
            self._select, self._first_option, self._selected = a["name"], None, False
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a and not self._selected:
                self.fields.append((self._select, value))
                self._selected = True

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            text = self._text[1:] if self._text.startswith("\n") else self._text
            self.fields.append((self._textarea, html.unescape(text)))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            if not self._selected and self._first_option is not None:
                self.fields.append((self._select, self._first_option))
            self._select = None


def form_of(response: Any, action: str) -> dict[str, str]:
    reader = FormReader(action)
    reader.feed(response.content.decode())
    assert reader.fields, f"no form posting to {action}"
    return dict(reader.fields)


def import_url(world: World, agency: str = "a") -> str:
    return reverse("import-document", kwargs={"agency_id": getattr(world, agency).pk})


def save_url(world: World, agency: str = "a") -> str:
    return reverse("import-save", kwargs={"agency_id": getattr(world, agency).pk})


def upload(client: Client, world: World, data: bytes, name: str, **extra: str) -> Any:
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(import_url(world), {"file": file, **extra})


def preview_of(client: Client, world: World, path: Path) -> tuple[Any, dict[str, str]]:
    response = upload(client, world, path.read_bytes(), path.name)
    assert response.status_code == 200
    return response, form_of(response, save_url(world))


def choose_issues(fields: dict[str, str], issues: list[int]) -> None:
    for index, number in enumerate(issues):
        fields[f"m-{index}-issue"] = str(number)


def stored_state(world: World) -> tuple[Any, ...]:
    return (
        sorted(Assessment.objects.filter(agency=world.a).values_list("fiscal_year", "total")),
        Snapshot.objects.filter(assessment__agency=world.a).count(),
        Measure.objects.filter(plan__agency=world.a).count(),
        Plan.objects.filter(agency=world.a).count(),
        AuditEvent.objects.filter(agency=world.a).count(),
    )


@pytest.fixture
def units_of_a(world: World) -> World:
    for position, name in enumerate(["สำนักงานปลัด", "กองคลัง", "กองช่าง"]):
        ResponsibleUnit.objects.create(agency=world.a, name=name, position=position)
    return world


# --- what the importer keeps for the preview, and how periods are read -----------------------


def test_the_importer_keeps_the_text_it_read_but_not_in_its_json(spec: Any, tmp_path: Path) -> None:
    doc = import_bytes(S1.read_bytes())
    lines = [line.strip() for line in S1.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert doc.source_lines[:3] == tuple(lines[:3])
    rows = [line for line in doc.source_lines if "\t" in line]
    assert any(row.split("\t")[0] == "มาตรการ" for row in rows), "a table's header row is kept"
    assert "source_lines" not in doc.to_json() and "source" not in doc.to_json()
    path = tmp_path / "analysis.docx"
    build_docx(path, spec(2565))
    from_docx = import_bytes(path.read_bytes())
    assert "ลำดับ\tตัวชี้วัด\tคะแนน" in from_docx.source_lines


@pytest.mark.parametrize(
    ("printed", "year", "quarters", "months", "text"),
    [
        ("ไตรมาส๑-๔", 2566, (1, 4), None, ""),
        ("ไตรมาสที่ 2", 2566, (2, 2), None, ""),
        ("ไตรมาส 1 - ไตรมาส 3", 2566, (1, 3), None, ""),
        ("ต.ค. ๖๗ - ก.ย. ๖๘", 2568, None, ("2024-10", "2025-09"), ""),
        ("ต.ค.67-ก.ย.68", None, None, ("2024-10", "2025-09"), ""),
        ("ตุลาคม ๒๕๖๕-กันยายน ๒๕๖๖", 2566, None, ("2022-10", "2023-09"), ""),
        ("มกราคม ๒๕๖๖ - กันยายน ๒๕๖๖", 2566, None, ("2023-01", "2023-09"), ""),
        ("พฤศจิกายน 2567 ถึง มีนาคม 2568", 2568, None, ("2024-11", "2025-03"), ""),
        ("มิถุนายน 2566", 2566, None, ("2023-06", "2023-06"), ""),
        ("ตุลาคม - กันยายน", 2568, None, ("2024-10", "2025-09"), ""),
        ("ตุลาคม - กันยายน ๒๕๖๖", None, None, ("2022-10", "2023-09"), ""),
        ("ตุลาคม ๒๕๖๕ - กันยายน", None, None, ("2022-10", "2023-09"), ""),
        ("ตุลาคม - กันยายน", None, None, None, "ตุลาคม - กันยายน"),  # no year anywhere
        ("ก.ย. 68 - ต.ค. 67", 2568, None, None, "ก.ย. 68 - ต.ค. 67"),  # runs backwards
        ("ไตรมาส 5", 2568, None, None, "ไตรมาส 5"),
        ("ทุกเดือน", 2568, None, None, "ทุกเดือน"),
        ("  ", 2568, None, None, ""),
    ],
)
def test_a_printed_period_becomes_quarters_months_or_words(
    printed: str,
    year: int | None,
    quarters: tuple[int, int] | None,
    months: tuple[str, str] | None,
    text: str,
) -> None:
    period = read_period(printed, year)
    assert period.quarters == quarters
    got = None if period.months is None else tuple(f"{d:%Y-%m}" for d in period.months)
    assert got == months
    assert period.text == text


# --- upload and preview ----------------------------------------------------------------------


def test_the_preview_shows_every_value_read_beside_the_source_text(world: World) -> None:
    before = stored_state(world)
    response, fields = preview_of(world.client("bob"), world, S1)
    page = response.content.decode()
    for number, value in S1_INDICATORS.items():
        assert fields[f"indicator-{number}"] == f"{value:.2f}"
    assert (fields["stated_total"], fields["stated_level"]) == ("87.86", "A")
    assert (fields["kind"], fields["fiscal_year"]) == ("analysis", "2565")
    assert (fields["scores_fiscal_year"], fields["measures_fiscal_year"]) == ("2565", "2566")
    assert fields["m-TOTAL_FORMS"] == "4"
    assert fields["m-0-title"].startswith("ประชาสัมพันธ์ ช่องทางที่องค์การบริหาร")
    assert fields["m-0-steps"] == "จัดประชุมชี้แจงแผนการใช้จ่าย งบประมาณประจำปีให้แก่บุคลากร ภายในหน่วยงานทราบ"
    assert fields["m-0-period"] == "ตุลาคม ๒๕๖๕-กันยายน ๒๕๖๖"
    assert fields["m-0-responsible"] == "สำนักงานปลัด"
    # The source text, line by line, on the same page.
    source = page.split('class="import-source"', 1)[1]
    for line in S1.read_text(encoding="utf-8").splitlines()[:6]:
        if line.strip() and "\t" not in line:
            assert html.escape(line.strip()) in source, line
    # The document names another agency: said, not blocking.
    assert "องค์การบริหารส่วนตำบลศรีคำ" in page.split('id="import-warnings"', 1)[1]
    assert stored_state(world) == before, "a preview saves nothing"


def test_the_importers_warnings_are_shown_above_the_preview(world: World, tmp_path: Path) -> None:
    text = S1.read_text(encoding="utf-8").replace("๘๗.๘๖", "๘๙.๐๐")
    doc = import_bytes(text.encode())
    assert doc.warnings, "the changed total disagrees with the indicators"
    response = upload(world.client("bob"), world, text.encode(), "changed.txt")
    warnings = response.content.decode().split('id="import-warnings"', 1)[1].split("</ul>", 1)[0]
    for notice in doc.warnings:
        assert html.escape(notice.th, quote=False) in warnings


@pytest.mark.parametrize("build", ["docx", "xlsx", "pdf"])
def test_docx_xlsx_and_pdf_documents_are_previewed_too(
    world: World, tmp_path: Path, spec: Callable[[int], ScoringSpec], build: str
) -> None:
    path = tmp_path / f"document.{build}"
    if build == "docx":
        build_docx(path, spec(2565))
    elif build == "xlsx":
        build_xlsx(path, spec(2565))
    else:
        build_pdf(path, 2568)
    response, fields = preview_of(world.client("bob"), world, path)
    doc = import_bytes(path.read_bytes())
    for number, value in doc.indicators.items():
        assert fields[f"indicator-{number}"] == f"{value:.2f}"
    for code, value in doc.items.items():
        assert fields[f"item-{code}-score"] == f"{value:.2f}"
    assert fields["m-TOTAL_FORMS"] == str(len(doc.measures))
    for index, measure in enumerate(doc.measures):
        assert fields[f"m-{index}-title"] == measure.title
    assert fields["kind"] == doc.kind
    source = response.content.decode().split('class="import-source"', 1)[1]
    assert html.escape(doc.source_lines[0].split("\t")[0]) in source


# --- refusals ---------------------------------------------------------------------------------


def test_a_file_over_the_limit_is_refused_with_a_message_and_nothing_is_saved(
    world: World,
) -> None:
    before = stored_state(world)
    response = upload(world.client("bob"), world, b"x" * (MAX_FILE_BYTES + 1), "big.pdf")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page and "20.0 MB" in page
    assert 'action="' + save_url(world) + '"' not in page
    assert stored_state(world) == before


def test_a_post_without_a_file_or_with_too_many_rows_for_one_page_is_refused(
    world: World, settings: Any
) -> None:
    client = world.client("bob")
    before = stored_state(world)
    response = client.post(import_url(world), {"year": "2565"})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    # Django refuses forms with more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS; such a
    # document is refused at the upload, with the number of its measures, not at the save.
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 40
    response = upload(client, world, S1.read_bytes(), S1.name)
    page = response.content.decode()
    assert 'role="alert"' in page and "4" in page.split('role="alert"', 1)[1].split("</ul>")[0]
    assert 'action="' + save_url(world) + '"' not in page
    assert stored_state(world) == before


def _zip_of_a_later_version() -> bytes:
    """Return a DOCX whose central directory asks for ZIP version 6.4 (Python reads up to 6.3)."""
    document = docx.Document()
    document.add_paragraph("รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส")
    buffer = io.BytesIO()
    document.save(buffer)
    data = bytearray(buffer.getvalue())
    entry = data.find(b"PK\x01\x02")
    data[entry + 6] = 64  # "version needed to extract": 6.4
    return bytes(data)


@pytest.mark.parametrize(
    "name", ["binary.bin", "encrypted.pdf", "old.doc", "damaged.docx", "later-version.docx"]
)
def test_an_unreadable_file_shows_the_readers_thai_message(world: World, name: str) -> None:
    data = _zip_of_a_later_version() if name == "later-version.docx" else BAD_FILES[name][0]
    with pytest.raises(DocumentError) as refused:
        import_bytes(data)
    before = stored_state(world)
    response = upload(world.client("bob"), world, data, name)
    page = response.content.decode()
    assert html.escape(refused.value.th, quote=False) in page
    assert stored_state(world) == before


def test_viewers_may_not_import_and_other_agencies_are_not_found(world: World) -> None:
    data = S1.read_bytes()
    carol = world.client("carol")
    assert carol.get(import_url(world)).status_code == 403
    assert upload(carol, world, data, S1.name).status_code == 403
    assert carol.post(save_url(world), {"payload": "x"}).status_code == 403
    dave = world.client("dave")  # editor of B only
    assert dave.get(import_url(world)).status_code == 404
    assert upload(dave, world, data, S1.name).status_code == 404
    assert world.client("sam").get(import_url(world)).status_code == 404
    assert world.client("alice").get(import_url(world)).status_code == 200
    assert world.client("bob").get(save_url(world)).status_code == 405


def test_a_preview_cannot_be_saved_into_another_agency_or_changed(world: World) -> None:
    _response, fields = preview_of(world.client("bob"), world, S1)
    choose_issues(fields, [5, 3, 7, 7])
    before = stored_state(world)
    # dave edits B: A's preview posted to B's save address is refused (it belongs to A).
    response = world.client("dave").post(save_url(world, "b"), fields)
    assert response.status_code == 302 and response["Location"] == import_url(world, "b")
    assert not Assessment.objects.filter(agency=world.b, fiscal_year=2565).exists()
    # A changed payload is refused too.
    token = fields["payload"]
    tampered = {**fields, "payload": token[:-3] + ("abc" if token[-3:] != "abc" else "xyz")}
    response = world.client("bob").post(save_url(world), tampered)
    assert response.status_code == 302
    # Another person of A cannot replay bob's preview.
    assert world.client("alice").post(save_url(world), fields).status_code == 302
    assert stored_state(world) == before
    with pytest.raises(signing.BadSignature):
        signing.loads(tampered["payload"], salt="ita.imports.preview")


# --- saving -----------------------------------------------------------------------------------


def test_a_corrected_score_is_saved_and_the_engine_computes_the_total_again(
    world: World, spec: Callable[[int], ScoringSpec]
) -> None:
    client = world.client("bob")
    _response, fields = preview_of(client, world, S1)
    fields["indicator-2"] = "95.00"  # the person corrects one indicator
    fields.pop("save_measures")
    response = client.post(save_url(world), fields)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "dashboard", kwargs={"agency_id": world.a.pk, "year": 2565}
    )
    assessment = Assessment.objects.get(agency=world.a, fiscal_year=2565)
    stored = {s.number: s.score for s in assessment.indicator_scores.all()}
    assert stored == {
        n: Decimal("95.00") if n == 2 else Decimal(f"{v:.2f}") for n, v in S1_INDICATORS.items()
    }
    expected = score_official(spec(2565), OfficialScores({**S1_INDICATORS, 2: 95.0}))
    assert expected.total is not None
    assert assessment.total == Decimal(f"{round2(expected.total):.2f}")
    assert assessment.total != Decimal("87.86")
    assert (assessment.published_total, assessment.published_level) == (Decimal("87.86"), "A")
    snapshot = assessment.snapshots.get()
    assert snapshot.source == Source.IMPORT and snapshot.created_by == world.users["bob"]
    actions = list(
        AuditEvent.objects.filter(agency=world.a).order_by("pk").values_list("action", flat=True)
    )
    assert actions[-3:] == ["assessment.created", "results.saved", "import.saved"]
    event = AuditEvent.objects.filter(action="import.saved").get()
    assert event.changes["file"] == [None, S1.name] and S1.name in event.summary
    assert event.username == "bob"
    assert not Plan.objects.filter(agency=world.a).exists(), "measures were not chosen"


def test_measures_are_saved_with_steps_periods_and_the_agencys_units(
    units_of_a: World,
) -> None:
    world = units_of_a
    client = world.client("bob")
    _response, fields = preview_of(client, world, S1)
    fields.pop("save_scores")
    choose_issues(fields, [5, 3, 7, 7])
    fields["m-1-title"] = "จัดทำเว็บไซต์ใหม่ให้เข้าถึงง่าย"  # corrected on the preview
    fields["m-1-responsible"] = "สำนักงานปลัด\nกองช่าง\nกองสวัสดิการ"  # one unknown unit
    response = client.post(save_url(world), fields)
    assert response.status_code == 302
    assert response["Location"] == reverse("plan", kwargs={"agency_id": world.a.pk, "year": 2566})
    plan = Plan.objects.get(agency=world.a, fiscal_year=2566)
    measures = list(plan.measures.order_by("pk"))
    doc = import_bytes(S1.read_bytes())
    assert [m.title for m in measures] == [
        doc.measures[0].title, "จัดทำเว็บไซต์ใหม่ให้เข้าถึงง่าย", doc.measures[2].title,
        doc.measures[3].title,
    ]  # fmt: skip
    assert [m.issue_number for m in measures] == [5, 3, 7, 7]
    assert [m.position for m in measures] == [0, 0, 0, 1]
    first = measures[0]
    assert [s.text for s in first.steps.all()] == list(doc.measures[0].steps)
    assert [u.name for u in first.units.all()] == ["สำนักงานปลัด"]
    assert first.period_label() == "ต.ค. 65 - ก.ย. 66"  # ตุลาคม ๒๕๖๕-กันยายน ๒๕๖๖
    assert first.follow_up == doc.measures[0].follow_up
    assert sorted(u.name for u in measures[1].units.all()) == ["กองช่าง", "สำนักงานปลัด"]
    event = AuditEvent.objects.get(action="import.saved")
    # S1's third measure names กองการศึกษาฯ, which agency A does not have either.
    assert event.changes["units_not_matched"] == [None, ["กองสวัสดิการ", "กองการศึกษาฯ"]]
    assert AuditEvent.objects.filter(action="measure.created").count() == 4
    assert not Assessment.objects.filter(agency=world.a, fiscal_year=2565).exists()


def test_a_results_report_records_outputs_and_outcomes_as_progress(world: World) -> None:
    client = world.client("bob")
    _response, fields = preview_of(client, world, S2)
    doc = import_bytes(S2.read_bytes())
    assert doc.kind == "results" and fields["measures_fiscal_year"] == "2568"
    fields["progress_on"] = "2025-09-30"
    response = client.post(save_url(world), fields)
    assert response.status_code == 302, form_errors(response)
    plan = Plan.objects.get(agency=world.a, fiscal_year=2568)
    measures = list(plan.measures.order_by("pk"))
    assert len(measures) == len(doc.measures)
    for measure, read in zip(measures, doc.measures, strict=True):
        assert measure.issue_number == read.issue.number if read.issue else None
        progress = measure.progress.get() if read.output or read.outcome else None
        if progress is not None:
            assert progress.output.splitlines() == list(read.output)
            assert progress.outcome.splitlines() == list(read.outcome)
            assert (progress.status, progress.percent) == (Status.DONE, 100)
            assert progress.on.isoformat() == "2025-09-30"
    assert Progress.objects.filter(measure__plan=plan).count() == sum(
        1 for m in doc.measures if m.output or m.outcome
    )


def test_a_detailed_measures_document_keeps_questions_findings_and_limitations(
    world: World,
) -> None:
    client = world.client("bob")
    _response, fields = preview_of(client, world, S0)
    doc = import_bytes(S0.read_bytes())
    for code, value in S0_ITEMS.items():
        assert fields[f"item-{code}-score"] == f"{value:.2f}"
    response = client.post(save_url(world), fields)
    assert response.status_code == 302, form_errors(response)
    assessment = Assessment.objects.get(agency=world.a, fiscal_year=2566)
    assert {r.code: float(r.score) for r in assessment.item_scores.all() if r.score} == S0_ITEMS
    plan = Plan.objects.get(agency=world.a, fiscal_year=2566)
    first = next(m for m in doc.measures if m.items)
    assert first.issue is not None and first.issue.number is not None
    issue = PlanIssue.objects.get(plan=plan, number=first.issue.number)
    assert [i["code"] for i in issue.items] == list(first.items)
    assert issue.items[0]["score"] == S0_ITEMS[first.items[0]]
    finding = next(i for i in issue.items if i["finding"])
    assert finding["finding_percent"] is not None and finding["opinion"]
    assert not finding["opinion"].startswith("ประชาชน")
    assert issue.limitations == list(first.limitations)
    logged = AuditEvent.objects.filter(action="issue.updated", object_id=str(issue.pk)).get()
    assert logged.changes["items"] == [[], list(first.items)]


def form_errors(response: Any) -> str:
    page = response.content.decode()
    return str(
        page.split('id="import-errors"', 1)[1][:2000]
        if 'id="import-errors"' in page
        else page[:500]
    )


def test_nothing_is_saved_when_a_later_part_is_refused(units_of_a: World) -> None:
    world = units_of_a
    client = world.client("bob")
    _response, fields = preview_of(client, world, S1)
    choose_issues(fields, [5, 3, 7, 7])
    fields["m-2-title"] = "ก" * 501  # longer than a measure's title may be
    fields["m-3-issue"] = ""  # and no issue chosen for the last one
    before = stored_state(world)
    response = client.post(save_url(world), fields)
    assert response.status_code == 200
    errors = response.content.decode().split('id="import-errors"', 1)[1].split("</ul>", 1)[0]
    assert errors.count("<li>") == 2
    assert "3" in errors and "4" in errors
    # The scores come first in the transaction; they were rolled back with the rest.
    assert stored_state(world) == before
    assert not Assessment.objects.filter(agency=world.a, fiscal_year=2565).exists()
    # The preview comes back with what was typed.
    again = form_of(response, save_url(world))
    assert again["m-2-title"] == "ก" * 501 and again["indicator-1"] == "88.81"
    # Corrected, it saves.
    again["m-2-title"], again["m-3-issue"] = "มาตรการที่สาม", "7"
    assert client.post(save_url(world), again).status_code == 302
    assert Assessment.objects.get(agency=world.a, fiscal_year=2565).total == Decimal("87.86")
    assert Measure.objects.filter(plan__agency=world.a).count() == 4


def test_stored_results_are_replaced_only_when_the_person_confirms(world: World) -> None:
    assessment = start_assessment(world.a, 2565, world.users["alice"])
    save_results(assessment, world.users["alice"], indicators={1: Decimal("50.00")})
    client = world.client("bob")
    response, fields = preview_of(client, world, S1)
    fields.pop("save_measures")
    confirm = response.content.decode().split('id="import-confirm"', 1)[1]
    assert "50.00" in confirm and "88.81" in confirm and 'name="replace_results"' in confirm
    assert "replace_results" not in fields, "not ticked for the person"
    snapshots = assessment.snapshots.count()
    response = client.post(save_url(world), fields)
    assert response.status_code == 200 and 'id="import-errors"' in response.content.decode()
    assert assessment.indicator_scores.get().score == Decimal("50.00")
    assert assessment.snapshots.count() == snapshots
    fields["replace_results"] = "on"
    assert client.post(save_url(world), fields).status_code == 302
    assert assessment.indicator_scores.get(number=1).score == Decimal("88.81")
    assert assessment.indicator_scores.count() == len(S1_INDICATORS)


def test_measures_are_added_to_an_existing_plan_only_when_the_person_confirms(
    world: World,
) -> None:
    plan = Plan.objects.create(agency=world.a, fiscal_year=2566)
    Measure.objects.create(plan=plan, issue_number=5, title="มาตรการเดิม")
    client = world.client("bob")
    response, fields = preview_of(client, world, S1)
    fields.pop("save_scores")
    choose_issues(fields, [5, 3, 7, 7])
    assert 'name="add_measures"' in response.content.decode().split('id="import-confirm"', 1)[1]
    assert client.post(save_url(world), fields).status_code == 200
    assert plan.measures.count() == 1
    fields["add_measures"] = "on"
    assert client.post(save_url(world), fields).status_code == 302
    titles = list(plan.measures.filter(issue_number=5).order_by("position").values_list("title"))
    assert titles[0] == ("มาตรการเดิม",) and len(titles) == 2
    assert plan.measures.count() == 5


def test_the_uploaded_file_is_not_kept(world: World, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "uploads"
    (tmp_path / "uploads").mkdir()
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # Django spools the upload to a temporary file
    client = world.client("bob")
    response = upload(client, world, S1.read_bytes(), S1.name)
    fields = form_of(response, save_url(world))
    choose_issues(fields, [5, 3, 7, 7])
    assert client.post(save_url(world), fields).status_code == 302
    assert list(tmp_path.rglob("*.*")) == []


@pytest.mark.browser
def test_an_editor_uploads_corrects_and_saves_a_document_in_the_browser(
    as_user: Any, world: World, spec: Callable[[int], ScoringSpec]
) -> None:
    page = as_user("bob")
    page.goto(page.base_url + reverse("agency", kwargs={"agency_id": world.a.pk}))
    page.locator(f"a[href='{import_url(world)}']").first.click()
    page.set_input_files("input[name=file]", str(S1))
    page.locator("form.stack button[type=submit]").click()
    page.locator("form.import-preview").wait_for()
    source = page.locator("aside.import-source")
    assert source.is_visible() and "องค์การบริหารส่วนตำบลศรีคำ" in source.inner_text()
    fields, side = page.locator(".import-fields").bounding_box(), source.bounding_box()
    assert fields is not None and side is not None and side["x"] > fields["x"] + fields["width"] - 1
    assert page.locator("input[name=indicator-1]").input_value() == "88.81"
    page.locator("input[name=indicator-2]").fill("95.00")
    for index, number in enumerate([5, 3, 7, 7]):
        page.select_option(f"select[name=m-{index}-issue]", str(number))
    page.locator("#import-confirm button[type=submit]").click()
    page.wait_for_url("**" + reverse("dashboard", kwargs={"agency_id": world.a.pk, "year": 2565}))
    expected = score_official(spec(2565), OfficialScores({**S1_INDICATORS, 2: 95.0}))
    assert expected.total is not None
    assert f"{round2(expected.total):.2f}" in page.locator("section.summary").inner_text()
    assert S1.name in page.locator("ul.messages").inner_text()
    assert Measure.objects.filter(plan__agency=world.a, plan__fiscal_year=2566).count() == 4
