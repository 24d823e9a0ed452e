"""The framework browser: Thai by default, every section of every year, htmx fragments."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.usefixtures("frameworks_loaded")


def test_home_lists_every_fiscal_year_in_thai(client: Client) -> None:
    page = client.get("/frameworks/").content.decode()
    assert "กรอบการประเมินรายปีงบประมาณ" in page
    for year in range(2563, 2569):
        assert f"ปีงบประมาณ พ.ศ. {year}" in page


def test_thai_is_the_default_even_when_the_browser_asks_for_english(client: Client) -> None:
    page = client.get("/frameworks/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="th">' in page
    assert "กรอบการประเมินรายปีงบประมาณ" in page


def test_english_is_available_by_choice(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/frameworks/").content.decode()
    assert '<html lang="en">' in page
    assert "Assessment frameworks by fiscal year" in page


@pytest.mark.parametrize("year", [2563, 2564, 2565, 2566, 2567, 2568])
@pytest.mark.parametrize("section", ["", "IIT/", "EIT/", "OIT/", "issues/"])
def test_every_section_of_every_year_renders(client: Client, year: int, section: str) -> None:
    response = client.get(f"/frameworks/{year}/{section}")
    assert response.status_code == 200
    assert f"ปีงบประมาณ พ.ศ. {year}" in response.content.decode()


def test_overview_shows_tools_weights_and_the_years_levels(client: Client) -> None:
    page = client.get("/frameworks/2566/").content.decode()
    assert "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน" in page
    assert "ผ่านดีเยี่ยม" in page
    assert "≥ 95.00" in page
    assert "เกณฑ์ผ่าน: 85.00 คะแนน" in page


def test_questions_show_wording_sub_questions_and_confidence(client: Client) -> None:
    page = client.get("/frameworks/2564/IIT/").content.decode()
    assert "เป็นไปตามขั้นตอนที่กำหนด" in page  # I1's first sub-question
    assert "mark-unverified" in page  # I10's wording is marked unverified


def test_oit_items_show_sub_indicators_and_elements(client: Client) -> None:
    page = client.get("/frameworks/2566/OIT/").content.decode()
    assert "O42" in page
    assert "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน" in page
    assert "10.2" in page


def test_a_year_without_an_oit_list_says_so(client: Client) -> None:
    page = client.get("/frameworks/2563/OIT/").content.decode()
    assert "ยังไม่ทราบรายการข้อของตัวชี้วัดนี้ในปีนี้" in page


def test_issues_list_the_mapped_questions(client: Client) -> None:
    page = client.get("/frameworks/2566/issues/").content.decode()
    assert "(4) กระบวนการกำกับดูแลการใช้ทรัพย์สินของราชการ" in page
    assert "I21" in page


def test_an_htmx_request_gets_only_the_fragment(client: Client) -> None:
    response = client.get("/frameworks/2566/EIT/", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'role="tablist"' in body
    assert "E15" in body


@pytest.mark.parametrize("url", ["/frameworks/2400/", "/frameworks/2566/XYZ/"])
def test_unknown_year_or_section_is_404(client: Client, url: str) -> None:
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_an_empty_database_tells_how_to_load_frameworks() -> None:
    from ita.catalog.models import Framework

    Framework.objects.all().delete()
    page = Client().get("/frameworks/").content.decode()
    assert "ita frameworks load" in page
