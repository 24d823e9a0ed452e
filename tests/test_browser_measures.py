"""Browser journey of the year's measures, in Debian's Chromium driven by Playwright."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from ita.measures.models import Evidence, PlanSnapshot
from tests.conftest import World

pytestmark = pytest.mark.browser


def test_from_results_to_a_plan_progress_a_snapshot_and_the_results_report(
    as_user: Any, s0_results: World, tmp_path: Path
) -> None:
    world = s0_results
    page = as_user("bob")
    base = page.base_url
    page.goto(base + reverse("plan", kwargs={"agency_id": world.a.pk, "year": world.year}))
    page.get_by_role("button", name="เริ่มจัดทำมาตรการ").click()
    page.wait_for_url("**/measures/proposals/")
    first_issue = page.locator("section.issue-block").first
    assert "(3)" in first_issue.locator("h3").inner_text()  # E10 (66.00) leads
    page.get_by_role("button", name="นำรายการที่เลือกเข้าแผน").click()
    page.wait_for_url("**/measures/")
    assert page.locator("article.measure").count() >= 4

    # Edit the first measure: a month range and a step already past its due date.
    page.locator("article.measure").first.get_by_role("link", name="แก้ไข").click()
    page.get_by_label("ช่วงเดือน").check()
    page.locator("input[name=month_start]").fill("2024-10")
    page.locator("input[name=month_end]").fill("2025-09")
    page.locator("textarea[name=steps-0-text]").fill("ประชุมชี้แจงเจ้าหน้าที่ทุกกอง")
    page.locator("input[name=steps-0-due]").fill("2024-11-30")
    page.get_by_role("button", name="บันทึก").click()
    page.wait_for_url("**/measures/")
    overdue = page.locator("#overdue")
    assert "ประชุมชี้แจงเจ้าหน้าที่ทุกกอง" in overdue.inner_text()

    # Record progress with a link and a file as evidence.
    page.locator("article.measure").first.get_by_role("link", name="บันทึกความก้าวหน้า").click()
    page.locator("select[name=status]").select_option("in_progress")
    page.locator("input[name=percent]").fill("60")
    page.locator("textarea[name=output]").fill("จัดประชุมชี้แจงแล้ว 2 ครั้ง")
    page.locator("textarea[name=evidence_urls]").fill("https://www.example.go.th/news/ita-2568")
    photo = tmp_path / "ภาพการประชุม.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n not a real picture")
    page.locator("input[name=evidence_files]").set_input_files(str(photo))
    page.get_by_role("button", name="บันทึก").click()
    page.wait_for_url("**/measures/")
    assert "60%" in page.locator("article.measure").first.inner_text()
    assert Evidence.objects.count() == 2

    # Freeze the six-month report, then open the results report built from it.
    page.get_by_role("link", name="บันทึกรายงานรอบ 6 เดือน (ตุลาคม–มีนาคม)").click()
    page.get_by_role("button", name="บันทึกตอนนี้").click()
    page.wait_for_url("**/measures/")
    assert PlanSnapshot.objects.filter(kind="six_months").count() == 1
    report = page.request.get(
        base
        + reverse(
            "plan-document",
            kwargs={
                "agency_id": world.a.pk,
                "year": world.year,
                "kind": "results-evidence",
                "fmt": "html",
            },
        )
    )
    html = report.text()
    assert report.status == 200
    assert "รายงานผลการดำเนินการ" in html
    assert "จัดประชุมชี้แจงแล้ว" in html and "https://www.example.go.th/news/ita-2568" in html
    docx = page.request.get(
        base
        + reverse(
            "plan-document",
            kwargs={"agency_id": world.a.pk, "year": world.year, "kind": "results", "fmt": "docx"},
        )
    )
    assert docx.status == 200 and docx.body()[:2] == b"PK"
