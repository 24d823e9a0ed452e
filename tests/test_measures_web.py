"""The measures plan in the web application: proposals, edits, progress, snapshots, reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ita.agencies.models import ResponsibleUnit
from ita.audit.models import AuditEvent
from ita.measures.models import Measure, Plan, PlanSnapshot, Progress, Step
from ita.measures.services import overdue_steps
from tests.conftest import World


def url(world: World, view: str, **kwargs: object) -> str:
    return reverse(view, kwargs={"agency_id": world.a.pk, "year": world.year, **kwargs})


@pytest.fixture
def plan(s0_results: World) -> Plan:
    client = s0_results.client("bob")
    client.post(url(s0_results, "plan"))
    return Plan.objects.get(agency=s0_results.a, fiscal_year=s0_results.year)


def accept_all(world: World, plan: Plan) -> None:
    form = {f"issue-{n}": "1" for n in range(1, 8)} | {f"suggest-{n}-0": "1" for n in range(1, 8)}
    world.client("bob").post(url(world, "proposals"), form)


def test_starting_a_plan_links_it_to_the_years_results(plan: Plan, s0_results: World) -> None:
    assert plan.assessment == s0_results.assessment_a
    assert AuditEvent.objects.filter(action="plan.created", agency=s0_results.a).exists()


def test_the_proposals_page_ranks_the_issues(plan: Plan, s0_results: World) -> None:
    page = s0_results.client("carol").get(url(s0_results, "proposals")).content.decode()
    assert (
        page.index("(3) ช่องทางและรูปแบบ")
        < page.index("(7) กลไกและมาตรการ")
        < page.index("(1) กระบวนการปฏิบัติงาน")
    )
    assert "มีความเห็นว่า" in page


def test_accepting_proposals_puts_issues_measures_and_steps_into_the_plan(
    plan: Plan, s0_results: World
) -> None:
    accept_all(s0_results, plan)
    assert plan.issues.count() == 7
    issue_3 = plan.issues.get(number=3)
    assert issue_3.items[0]["code"] == "E10" and issue_3.items[0]["score"] == 66.0
    assert issue_3.items[0]["finding"].startswith("ประชาชนผู้รับบริการ")
    assert plan.measures.count() == 7
    measure = plan.measures.get(issue_number=3)
    assert measure.steps.count() >= 3
    assert measure.period_label() == "ไตรมาส 1-4"
    assert AuditEvent.objects.filter(action="plan.proposals_accepted").exists()


def test_a_viewer_cannot_accept_proposals(plan: Plan, s0_results: World) -> None:
    response = s0_results.client("carol").post(url(s0_results, "proposals"), {"issue-3": "1"})
    assert response.status_code == 403
    assert plan.issues.count() == 0


def measure_form(world: World, **changes: object) -> dict[str, object]:
    unit = world.a.units.first()
    data: dict[str, object] = {
        "issue_number": "3",
        "title": "ประชาสัมพันธ์ช่องทางร้องเรียนการทุจริตผ่านเว็บไซต์และป้ายหน้าสำนักงาน",
        "period_kind": "months",
        "month_start": "2024-10",
        "month_end": "2025-09",
        "target_output": "ป้ายประชาสัมพันธ์ 3 จุด",
        "target_indicator": "ผู้รับบริการรู้จักช่องทางร้องเรียนไม่น้อยกว่าร้อยละ 80",
        "budget": "2500",
        "follow_up": "รายงานในการประชุมประจำเดือน",
        "steps-TOTAL_FORMS": "3",
        "steps-INITIAL_FORMS": "0",
        "steps-0-text": "ออกแบบป้ายและข้อความ",
        "steps-0-due": "2024-11-30",
        "steps-1-text": "ติดตั้งป้ายและเผยแพร่บนเว็บไซต์",
        "steps-1-due": "2025-01-31",
        "steps-2-text": "",
    }
    if unit is not None:
        data["units"] = [str(unit.pk)]
    data.update(changes)
    return data


@pytest.fixture
def units(world: World) -> list[ResponsibleUnit]:
    return [ResponsibleUnit.objects.create(agency=world.a, name=n, position=i, email=e) for i, (n, e) in enumerate(
        [("สำนักปลัด", "palad@example.go.th"), ("กองคลัง", "")]
    )]  # fmt: skip


def test_adding_a_measure_with_steps_and_a_month_range(
    plan: Plan, s0_results: World, units: list[ResponsibleUnit]
) -> None:
    response = s0_results.client("bob").post(
        url(s0_results, "measure-new"), measure_form(s0_results)
    )
    assert response.status_code == 302
    measure = Measure.objects.get(plan=plan)
    assert measure.period_label() == "ต.ค. 67 - ก.ย. 68"
    assert [s.text for s in measure.steps.all()] == [
        "ออกแบบป้ายและข้อความ",
        "ติดตั้งป้ายและเผยแพร่บนเว็บไซต์",
    ]
    assert [u.name for u in measure.units.all()] == ["สำนักปลัด"]
    assert measure.budget == Decimal("2500")
    assert AuditEvent.objects.filter(action="measure.created").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"period_kind": "quarters", "quarter_first": "3", "quarter_last": "2"}, "เลือกไตรมาส"),
        ({"period_kind": "months", "month_start": "2025-05", "month_end": "2025-01"}, "เลือกเดือน"),
        ({"period_kind": "text", "period_text": ""}, "ระบุช่วงเวลา"),
        ({"title": ""}, "This field is required"),
    ],
)
def test_a_bad_measure_is_refused_and_nothing_saved(
    plan: Plan,
    s0_results: World,
    units: list[ResponsibleUnit],
    changes: dict[str, object],
    message: str,
) -> None:
    response = s0_results.client("bob").post(
        url(s0_results, "measure-new"), measure_form(s0_results, **changes)
    )
    assert response.status_code == 200
    assert not Measure.objects.filter(plan=plan).exists()


def test_editing_steps_keeps_their_order_and_logs_the_change(
    plan: Plan, s0_results: World, units: list[ResponsibleUnit]
) -> None:
    client = s0_results.client("bob")
    client.post(url(s0_results, "measure-new"), measure_form(s0_results))
    measure = Measure.objects.get(plan=plan)
    edited = measure_form(
        s0_results, **{"steps-0-text": "ขั้นแรกใหม่", "steps-1-text": "", "steps-2-text": "ขั้นที่สอง"}
    )
    client.post(url(s0_results, "measure", measure_id=measure.pk), edited)
    assert [s.text for s in measure.steps.all()] == ["ขั้นแรกใหม่", "ขั้นที่สอง"]
    event = AuditEvent.objects.filter(action="measure.updated").get()
    assert "steps" in event.changes


def test_progress_with_evidence_marks_a_step_done(
    plan: Plan, s0_results: World, units: list[ResponsibleUnit]
) -> None:
    client = s0_results.client("bob")
    client.post(url(s0_results, "measure-new"), measure_form(s0_results))
    measure = Measure.objects.get(plan=plan)
    step = measure.steps.first()
    assert step is not None
    response = client.post(
        url(s0_results, "progress", measure_id=measure.pk),
        {
            "on": "2024-11-29", "step": str(step.pk), "status": "done", "percent": "50",
            "output": "ป้าย 3 จุด", "outcome": "ผู้รับบริการเห็นช่องทางร้องเรียน",
            "evidence_urls": "https://www.example.go.th/news/123\n",
            "evidence_files": SimpleUploadedFile("ภาพป้าย.jpg", b"\xff\xd8\xff fake jpeg"),
        },
    )  # fmt: skip
    assert response.status_code == 302
    progress = Progress.objects.get(measure=measure)
    assert {e.url for e in progress.evidence.all()} >= {"https://www.example.go.th/news/123"}
    assert progress.evidence.filter(file__endswith=".jpg").exists()
    step.refresh_from_db()
    assert step.done_on == dt.date(2024, 11, 29)
    evidence = progress.evidence.exclude(file="").get()
    download = client.get(url(s0_results, "evidence-file", evidence_id=evidence.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"\xff\xd8\xff fake jpeg"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("www.example.go.th", "ไม่ใช่ที่อยู่เว็บไซต์"),
        ("https://example.go.th/" + "a" * 1000, "ยาวเกิน 1,000 ตัวอักษร"),
    ],
)
def test_an_evidence_link_must_be_a_web_address(
    plan: Plan, s0_results: World, units: list[ResponsibleUnit], link: str, message: str
) -> None:
    client = s0_results.client("bob")
    client.post(url(s0_results, "measure-new"), measure_form(s0_results))
    measure = Measure.objects.get(plan=plan)
    response = client.post(
        url(s0_results, "progress", measure_id=measure.pk),
        {
            "on": "2024-12-01",
            "status": "in_progress",
            "percent": "10",
            "evidence_urls": link,
        },
    )
    assert message in response.content.decode()
    assert not Progress.objects.exists()


def test_overdue_steps_are_flagged_and_reminders_go_to_the_unit(
    plan: Plan, s0_results: World, units: list[ResponsibleUnit]
) -> None:
    client = s0_results.client("bob")
    client.post(url(s0_results, "measure-new"), measure_form(s0_results))
    today = dt.date(2025, 1, 15)
    overdue = overdue_steps(plan, today)
    assert [s.text for s in overdue] == ["ออกแบบป้ายและข้อความ"]  # due 30 Nov 2024, not done
    page = client.get(url(s0_results, "plan")).content.decode()
    assert 'id="overdue"' in page  # the real today is long after both due dates
    client.post(url(s0_results, "remind"))
    assert [m.to for m in mail.outbox] == [["palad@example.go.th"]]
    assert "ออกแบบป้ายและข้อความ" in mail.outbox[0].body


def test_a_snapshot_freezes_the_plan_as_reported(plan: Plan, s0_results: World) -> None:
    accept_all(s0_results, plan)
    client = s0_results.client("bob")
    assert (
        "Freeze"
        not in client.get(url(s0_results, "plan-snapshot", kind="six_months")).content.decode()
    )
    client.post(url(s0_results, "plan-snapshot", kind="six_months"))
    snapshot = PlanSnapshot.objects.get(plan=plan)
    titles = [m["title"] for m in snapshot.data["measures"]]
    Measure.objects.filter(plan=plan).update(title="เปลี่ยนชื่อภายหลัง")
    snapshot.refresh_from_db()
    assert [m["title"] for m in snapshot.data["measures"]] == titles


def test_copy_forward_brings_last_years_measures_a_year_later(
    s0_results: World, units: list[ResponsibleUnit]
) -> None:
    client = s0_results.client("bob")
    last = reverse("plan", kwargs={"agency_id": s0_results.a.pk, "year": 2567})
    client.post(last)
    client.post(
        reverse("measure-new", kwargs={"agency_id": s0_results.a.pk, "year": 2567}),
        measure_form(s0_results),
    )
    client.post(url(s0_results, "plan"))
    client.post(url(s0_results, "copy-forward"))
    copied = Measure.objects.get(plan__fiscal_year=2568)
    assert copied.month_start == dt.date(2025, 10, 1)
    assert [s.due for s in copied.steps.all()] == [dt.date(2025, 11, 30), dt.date(2026, 1, 31)]
    assert [u.name for u in copied.units.all()] == ["สำนักปลัด"]


def test_only_the_agency_admin_changes_the_issue_mapping(s0_results: World) -> None:
    form = {f"issue-{n}": "" for n in range(1, 8)} | {"issue-4": "I21, i๑๖", "issue-3": "E6"}
    assert s0_results.client("bob").post(url(s0_results, "issue-mapping"), form).status_code == 403
    s0_results.client("alice").post(url(s0_results, "issue-mapping"), form)
    from ita.measures.models import IssueMapping

    assert IssueMapping.objects.get(agency=s0_results.a, fiscal_year=2568, number=4).items == [
        "I21",
        "I16",
    ]
    bad = form | {"issue-4": "I21, X9"}
    page = s0_results.client("alice").post(url(s0_results, "issue-mapping"), bad).content.decode()
    assert "X9" in page


def test_deleting_a_measure_asks_first(plan: Plan, s0_results: World) -> None:
    accept_all(s0_results, plan)
    measure = plan.measures.first()
    assert measure is not None
    client = s0_results.client("bob")
    assert client.get(url(s0_results, "measure-delete", measure_id=measure.pk)).status_code == 200
    assert Measure.objects.filter(pk=measure.pk).exists()
    client.post(url(s0_results, "measure-delete", measure_id=measure.pk))
    assert not Measure.objects.filter(pk=measure.pk).exists()
    assert not Step.objects.filter(measure_id=measure.pk).exists()
    assert AuditEvent.objects.filter(action="measure.deleted").exists()


def test_a_plan_page_without_a_plan_offers_to_start_one(world: World) -> None:
    page = Client()
    page.force_login(world.users["bob"])
    assert "เริ่มจัดทำมาตรการ" in page.get(url(world, "plan")).content.decode()


@pytest.mark.parametrize(
    ("command", "option", "kind"),
    [
        ("measures", "--form=simple", "measures-simple"),
        ("results", "--columns=7", "results-evidence"),
    ],
)
def test_the_command_writes_a_stored_plans_documents_as_the_web_app_does(
    plan: Plan, s0_results: World, command: str, option: str, kind: str
) -> None:
    from click.testing import CliRunner

    from ita.cli import cli

    accept_all(s0_results, plan)
    assessment = str(s0_results.assessment_a.pk)
    args = ["report", command, "--assessment", assessment, option, "--format", "html", "-o", "-"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    web = s0_results.client("carol").get(url(s0_results, "plan-document", kind=kind, fmt="html"))
    assert result.stdout == web.content.decode()
    assert Measure.objects.filter(plan=plan).first().title in result.stdout  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--assessment", "999999"], "no measures plan answers assessment 999999"),
        ([], "give either --input or --assessment"),
        (["--assessment", "1", "--input", "plan.yaml"], "give either --input or --assessment"),
    ],
)
def test_the_command_needs_one_source_of_measures(
    s0_results: World, args: list[str], message: str
) -> None:
    from click.testing import CliRunner

    from ita.cli import cli

    result = CliRunner().invoke(cli, ["report", "measures", *args, "--format", "html", "-o", "-"])
    assert result.exit_code == 2
    assert message in result.stderr
