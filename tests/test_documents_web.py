"""The analysis report in the web application: drafted, edited, downloaded."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from ita.assessments.services import save_results
from ita.audit.models import AuditEvent
from ita.documents.models import ReportDraft
from tests.conftest import S1_INDICATORS, World


def url(world: World, view: str, **kwargs: object) -> str:
    return reverse(view, kwargs={"agency_id": world.a.pk, "year": world.year, **kwargs})


@pytest.fixture
def s1_results(world: World) -> World:
    indicators = {n: Decimal(f"{v:.2f}") for n, v in S1_INDICATORS.items()}
    save_results(world.assessment_a, world.users["bob"], indicators=indicators)
    return world


def test_the_report_page_lists_the_drafted_paragraphs(s1_results: World) -> None:
    page = s1_results.client("carol").get(url(s1_results, "analysis-report")).content.decode()
    assert 'name="p-summary.overall"' in page
    assert "๘๗.๘๖" in page  # the drafted text states the total in Thai digits


def test_an_edited_paragraph_is_kept_and_appears_in_the_downloads(s1_results: World) -> None:
    client = s1_results.client("bob")
    form = {
        "p-summary.overall": "ข้อความที่หน่วยงานเขียนเอง ได้คะแนนรวม ๘๗.๘๖",
        "weak_indicators": ["2", "4"],
    }
    assert client.post(url(s1_results, "analysis-report"), form).status_code == 302
    draft = ReportDraft.objects.get(assessment=s1_results.assessment_a)
    assert draft.overrides == {"summary.overall": "ข้อความที่หน่วยงานเขียนเอง ได้คะแนนรวม ๘๗.๘๖"}
    assert draft.weak_indicators == [2, 4]
    html = client.get(url(s1_results, "analysis-report-file", fmt="html")).content.decode()
    assert "ข้อความที่หน่วยงานเขียนเอง" in html
    assert AuditEvent.objects.filter(action="report.edited", agency=s1_results.a).exists()


@pytest.mark.parametrize(("fmt", "magic"), [("docx", b"PK"), ("pdf", b"%PDF")])
def test_the_report_downloads_as_docx_and_pdf(s1_results: World, fmt: str, magic: bytes) -> None:
    response = s1_results.client("carol").get(url(s1_results, "analysis-report-file", fmt=fmt))
    assert response.status_code == 200
    assert response.content.startswith(magic)
    assert f"analysis.{fmt}" in response["Content-Disposition"]


def test_a_viewer_reads_the_draft_but_cannot_change_it(s1_results: World) -> None:
    client = s1_results.client("carol")
    assert (
        client.post(url(s1_results, "analysis-report"), {"p-summary.overall": "x"}).status_code
        == 403
    )
    assert not ReportDraft.objects.exists()


def test_without_every_indicator_the_page_says_what_is_missing(world: World) -> None:
    save_results(world.assessment_a, world.users["bob"], indicators={1: Decimal("90")})
    page = world.client("bob").get(url(world, "analysis-report")).content.decode()
    assert "ไม่มีคะแนนตัวชี้วัดที่" in page
    response = world.client("bob").get(url(world, "analysis-report-file", fmt="pdf"))
    assert response.status_code == 302


# --- the same report from the command line: ita report analysis --assessment ID -------------


def test_the_command_writes_the_stored_report_with_the_agencys_edits(s1_results: World) -> None:
    from click.testing import CliRunner

    from ita.cli import cli

    draft = ReportDraft(assessment=s1_results.assessment_a, overrides={"summary.overall": "แก้แล้ว"})
    draft.save()
    assessment = s1_results.assessment_a.pk
    result = CliRunner().invoke(
        cli,
        [
            "report",
            "analysis",
            "--assessment",
            str(assessment),
            "--arabic-digits",
            "-o",
            "-",
            "--format",
            "html",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert "87.86" in result.stdout and "แก้แล้ว" in result.stdout
    web = s1_results.client("carol").get(
        url(s1_results, "analysis-report-file", fmt="html") + "?digits=arabic"
    )
    assert result.stdout == web.content.decode()  # the same document as the web app's download
    page = s1_results.client("carol").get(url(s1_results, "analysis-report")).content.decode()
    assert f"--assessment {assessment} " in page  # where people find the id


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--assessment", "999999"], "no assessment with id 999999"),
        (["--assessment", "{id}", "--year", "2566"], "is of fiscal year 2568"),
        (["--assessment", "{id}", "--agency-name", "x"], "drop --agency-name"),
        (["--year", "2568"], "give --year and --agency-name (or --assessment ID)"),
    ],
)
def test_the_command_refuses_what_does_not_fit_a_stored_assessment(
    s1_results: World, args: list[str], message: str
) -> None:
    from click.testing import CliRunner

    from ita.cli import cli

    args = [a.replace("{id}", str(s1_results.assessment_a.pk)) for a in args]
    result = CliRunner().invoke(cli, ["report", "analysis", *args, "-o", "-", "--format", "html"])
    assert result.exit_code == 2
    assert message in result.stderr and result.stdout == ""
