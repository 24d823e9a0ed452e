"""Browser journeys of the results pages, in Debian's Chromium driven by Playwright."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook

from tests.conftest import S1_INDICATORS, World
from tests.test_isolation import _sample_kwargs

pytestmark = pytest.mark.browser


def path(world: World, view: str, **kwargs: object) -> str:
    return reverse(view, kwargs={"agency_id": world.a.pk, "year": world.year, **kwargs})


def charts_loaded(page: Any) -> int:
    script = "[...document.querySelectorAll('img.chart')].filter(i => i.naturalWidth > 0).length"
    return int(page.evaluate(script))


def test_an_editor_enters_indicator_scores_and_sees_the_dashboard(
    as_user: Any, world: World
) -> None:
    page = as_user("bob")
    page.goto(page.base_url + path(world, "results", part="indicators"))
    for number, value in S1_INDICATORS.items():
        page.locator(f"input[name=indicator-{number}]").fill(f"{value:.2f}")
    page.get_by_role("button", name="บันทึกและคำนวณ").click()
    page.wait_for_url("**" + path(world, "dashboard"))
    assert "บันทึกแล้ว และคำนวณคะแนนใหม่เรียบร้อย" in page.content()
    summary = page.locator("section.summary").inner_text()
    assert "87.86" in summary and "ผ่าน" in summary
    page.wait_for_load_state("networkidle")
    assert charts_loaded(page) >= 1


def test_the_whatif_simulator_answers_as_scores_change(as_user: Any, world: World) -> None:
    page = as_user("bob")
    page.goto(page.base_url + path(world, "results", part="indicators"))
    for number, value in S1_INDICATORS.items():
        page.locator(f"input[name=indicator-{number}]").fill(f"{value:.2f}")
    page.get_by_role("button", name="บันทึกและคำนวณ").click()
    page.wait_for_url("**" + path(world, "dashboard"))
    form = page.locator("form.whatif-form")
    for number in (2, 3, 4, 5, 6, 7, 8):
        form.locator(f"input[name=indicator-{number}]").fill("95")
    form.get_by_role("button", name="คำนวณ").click()
    outcome = page.locator("#whatif-result .whatif-outcome")
    outcome.wait_for()
    text = outcome.inner_text()
    assert "96.63" in text and "ผ่านดี" in text and "เดิม ผ่าน" in text
    assert "เพื่อให้ถึงระดับ ผ่านดี" in page.locator("#whatif").inner_text()


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    return path


HEADER: list[object] = ["kind", "code", "name", "score", "finding", "present", "remark"]


def test_an_upload_with_errors_saves_nothing_and_lists_every_error(
    as_user: Any, world: World, tmp_path: Path
) -> None:
    page = as_user("bob")
    bad = _xlsx(
        tmp_path / "ผลคะแนน.xlsx",
        [
            HEADER,
            ["indicator", 1, "", 88.81],
            ["indicator", 12, "", 70],
            ["item", "I9", "", 101, 4],
            ["item", "E3", "", 70, 250],
        ],
    )
    page.goto(page.base_url + path(world, "upload"))
    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_role("button", name="ตรวจสอบและบันทึก").click()
    box = page.locator(".error-box")
    box.wait_for()
    text = box.inner_text()
    assert "ไฟล์มีปัญหา 3 จุด" in text
    assert "แถวที่ 3" in text and "แถวที่ 4" in text and "แถวที่ 5" in text
    assert world.assessment_a.indicator_scores.count() == 0
    assert world.assessment_a.item_scores.count() == 0


def test_a_good_upload_saves_and_shows_on_the_dashboard(
    as_user: Any, world: World, tmp_path: Path
) -> None:
    page = as_user("bob")
    rows: list[list[object]] = [HEADER] + [["ตัวชี้วัด", n, "", v] for n, v in S1_INDICATORS.items()]
    good = _xlsx(tmp_path / "results.xlsx", [*rows, ["ข้อ", "I9", "", 70.5, 29.5]])
    page.goto(page.base_url + path(world, "upload"))
    page.locator("input[type=file]").set_input_files(str(good))
    page.get_by_role("button", name="ตรวจสอบและบันทึก").click()
    page.wait_for_url("**" + path(world, "dashboard"))
    assert "87.86" in page.locator("section.summary").inner_text()
    assert "I9" in page.locator("text=ข้อที่ได้คะแนนต่ำสุด >> xpath=..").inner_text()


def test_a_viewer_cannot_edit(as_user: Any, world: World) -> None:
    page = as_user("carol")
    page.goto(page.base_url + path(world, "results", part="indicators"))
    assert "บทบาทของท่านไม่อนุญาตให้แก้ไข" in page.content()
    assert page.get_by_role("button", name="บันทึกและคำนวณ").count() == 0
    assert page.locator("input[name=indicator-1]").is_disabled()
    assert page.get_by_role("link", name="อัปโหลดไฟล์").count() == 0


def test_every_page_of_agency_b_is_closed_to_agency_a(as_user: Any, world: World) -> None:
    for person in ("alice", "bob", "carol"):
        page = as_user(person)
        for name, variants in _sample_kwargs(world).items():
            for kwargs in variants:
                # The browser's own session (cookies), without navigating: a bodiless 405
                # would abort a navigation.
                address = page.base_url + reverse(name, kwargs=kwargs)
                response = page.request.get(address)
                assert response.status in {403, 404, 405}, (person, name, response.status)
                assert world.b.name_th not in response.text()


def test_the_dashboard_fits_a_phone(as_user: Any, world: World) -> None:
    from decimal import Decimal

    from ita.assessments.services import save_results

    save_results(
        world.assessment_a,
        world.users["bob"],
        indicators={n: Decimal(str(v)) for n, v in S1_INDICATORS.items()},
    )
    page = as_user("carol", width=375)
    page.goto(page.base_url + path(world, "dashboard"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
