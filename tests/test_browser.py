"""Main journeys in Debian's Chromium, driven by Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("frameworks_loaded")]


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.base_url = live_server.url
    yield tab
    context.close()


def test_framework_browser_in_thai_with_the_bundled_font(page: Any) -> None:
    page.goto(page.base_url + "/frameworks/")
    page.get_by_role("link", name="ปีงบประมาณ พ.ศ. 2566").click()
    page.wait_for_url("**/frameworks/2566/")
    assert page.locator("h1").inner_text().startswith("การประเมินคุณธรรมและความโปร่งใส")
    loaded = page.evaluate(
        "document.fonts.ready.then(() => [...document.fonts]"
        ".filter(f => f.family.replace(/\"/g, '') === 'Sarabun' && f.status === 'loaded').length)"
    )
    assert loaded >= 1, "the bundled Sarabun font did not load"


def test_tabs_swap_the_section_with_htmx_and_update_the_address(page: Any) -> None:
    page.goto(page.base_url + "/frameworks/2566/")
    page.evaluate("window.__stayed = true")  # survives only if no full page load happens
    page.get_by_role("tab", name="IIT").click()
    page.wait_for_url("**/frameworks/2566/IIT/")
    page.get_by_text("ท่านได้รับการประเมินผลการปฏิบัติงานจากผู้บังคับบัญชาของท่านอย่างเป็นธรรม").wait_for()
    assert page.evaluate("window.__stayed") is True
    assert page.get_by_role("tab", name="IIT").get_attribute("aria-selected") == "true"


def test_a_phone_sized_screen_shows_the_page_without_sideways_scrolling(
    browser: Any, live_server: Any
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740})
    tab = context.new_page()
    tab.goto(live_server.url + "/frameworks/2568/")
    width = tab.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 375
