"""The OIT acceptance journey in Debian's Chromium: fill evidence for a few items, check the links
against a local website, see a broken item flagged and the readiness score change."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from ita.assessments.services import save_results
from ita.oit import services
from ita.oit.models import LinkCheck
from tests.conftest import S1_INDICATORS, World
from tests.test_oit_checker import Reply, Site, fixed, page

pytestmark = pytest.mark.browser

YEAR = 2568
REPORT = page("รายงาน", f"รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. {YEAR}")
CHART = page("โครงสร้าง", "แผนผังโครงสร้าง ฝ่ายการเมืองและฝ่ายข้าราชการประจำ")


@pytest.fixture
def site(settings: Any) -> Iterator[Site]:
    settings.OIT_CHECK_PRIVATE_ADDRESSES = True  # the test website runs on this machine
    website = Site(
        {
            "/ita/chart": fixed(Reply(200, CHART)),
            "/ita/plan": fixed(Reply(200, REPORT)),
            "/ita/report": fixed(Reply(200, REPORT)),
        }
    )
    yield website
    website.close()


def score_on(page_: Any, selector: str) -> float:
    return float(page_.locator(selector).first.inner_text())


def test_fill_evidence_check_the_links_and_see_a_broken_item_flagged(
    as_user: Any, world: World, site: Site
) -> None:
    spec = world.assessment_a.framework.spec
    iit_eit = {
        n: Decimal(f"{S1_INDICATORS[n]:.2f}") for t in spec.perception_tools() for n in t.indicators
    }
    save_results(world.assessment_a, world.users["bob"], indicators=iit_eit)
    entries = services.disclosure_entries(world.assessment_a.framework.schema)
    chart = next(item.code for _i, item in entries if not item.period_th)
    plan, report = [item.code for _i, item in entries if item.period_th][:2]

    browser_page = as_user("bob")
    base = browser_page.base_url
    checklist_url = base + reverse("oit", kwargs={"agency_id": world.a.pk, "year": world.year})
    browser_page.goto(checklist_url)
    assert score_on(browser_page, "#readiness .oit-score") == 0

    for code, path in ((chart, "/ita/chart"), (plan, "/ita/plan"), (report, "/ita/report")):
        browser_page.locator(f"#item-{code} a").first.click()
        browser_page.locator("select[name=status]").select_option("ready")
        browser_page.locator("textarea[name=urls]").fill(site.url(path))
        browser_page.locator("textarea[name=explanation]").fill(f"หลักฐาน {code}")
        browser_page.locator("form.stack button[type=submit]").click()
        browser_page.wait_for_url(f"**/oit/#item-{code}")
        assert browser_page.locator(f"#item-{code}").get_attribute("data-state") == "ready"
    three_ready = score_on(browser_page, "#readiness .oit-score")
    total_three = score_on(browser_page, "#readiness .total-score")
    assert three_ready > 0
    assert browser_page.locator("#readiness [data-count=ready]").inner_text() == "3"

    # Check the links: the job runs, its page shows the result, everything works.
    check_button = browser_page.locator("form[action$='/oit/check/'] button")
    check_button.click()
    browser_page.wait_for_url("**/oit/checks/*/")
    assert browser_page.locator("#oit-run").get_attribute("data-status") == "done"
    assert LinkCheck.objects.filter(verdict="ok").count() == 3

    # The report's page disappears from the website; the next check catches it.
    site.routes["/ita/report"] = fixed(Reply(404, page("404 Not Found", "Not Found")))
    browser_page.goto(checklist_url)
    browser_page.locator("form[action$='/oit/check/'] button").click()
    browser_page.wait_for_url("**/oit/checks/*/")
    run = browser_page.locator("#oit-run")
    assert run.get_attribute("data-status") == "done"
    assert site.url("/ita/report") in run.inner_text()
    run.locator("a[href$='/oit/']").last.click()
    browser_page.wait_for_url(checklist_url)

    row = browser_page.locator(f"#item-{report}")
    assert row.get_attribute("data-state") == "broken"
    assert row.locator(".newly-broken").count() == 1
    assert report in browser_page.locator("#newly-broken").inner_text()
    assert browser_page.locator("#readiness [data-count=broken]").inner_text() == "1"
    assert score_on(browser_page, "#readiness .oit-score") < three_ready
    assert score_on(browser_page, "#readiness .total-score") < total_three
    # The broken item now shows what it costs.
    assert row.locator("td.num").inner_text() not in {"", "–"}

    # The dashboard flags it too.
    browser_page.goto(
        base + reverse("dashboard", kwargs={"agency_id": world.a.pk, "year": world.year})
    )
    assert report in browser_page.locator("#oit-panel").inner_text()
