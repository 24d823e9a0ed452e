"""Browser journey of a survey: a phone opens the QR link, answers, and the dashboard moves."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from ita.surveys import intake
from ita.surveys.models import Campaign, Response
from ita.surveys.results import campaign_results, questionnaire_of
from tests.conftest import PASSWORD
from tests.surveys_support import Surveys, surveys

__all__ = ["surveys"]

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def contexts(browser: Any) -> Iterator[list[Any]]:
    opened: list[Any] = []
    yield opened
    for context in opened:
        context.close()


def _store(campaign: Campaign, option: int, n: int) -> None:
    limits = questionnaire_of(campaign).limits
    for _ in range(n):
        answers = bytes(min(option, limit - 1) for limit in limits)
        intake.store_for_campaign(
            campaign.pk, answers, 1, secrets.token_urlsafe(16), timezone.localdate()
        )


def _dashboard_estimate(browser: Any, contexts: list[Any], base: str, surveys: Surveys) -> str:
    world = surveys.world
    context = browser.new_context(viewport=PHONE)
    contexts.append(context)
    page = context.new_page()
    page.goto(base + "/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("carol")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(base + reverse("dashboard", args=[world.a.pk, world.year]))
    cell = page.locator(f"section.self-assessment tr.survey-{surveys.users.tool} .survey-estimate")
    text = str(cell.inner_text()).strip()
    context.close()
    contexts.remove(context)
    return text


def test_a_phone_answers_through_the_qr_link_and_the_dashboard_estimate_moves(
    browser: Any, live_server: Any, surveys: Surveys, contexts: list[Any]
) -> None:
    users = surveys.users
    _store(users, 1, 5)  # five have answered "little" everywhere: released on the first look
    before = _dashboard_estimate(browser, contexts, live_server.url, surveys)
    assert before == f"{campaign_results(users).tool_score:.2f}"
    _store(users, 3, 4)  # four more wait for a fifth before results take them in
    assert _dashboard_estimate(browser, contexts, live_server.url, surveys) == before

    # What the QR code encodes: the absolute address of the public link.
    url = live_server.url + reverse("survey-form", args=[surveys.slug(users)])
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    contexts.append(phone)
    page = phone.new_page()
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    form = questionnaire_of(users)
    first = form.sections[0].questions[0]
    assert first.text in page.locator(f"#q-{first.code}").inner_text()
    # The progress line stays at the foot of the screen while the form scrolls (no script).
    assert page.locator(".progress").evaluate("e => getComputedStyle(e).position") == "sticky"
    for column, limit in enumerate(form.limits):
        page.locator(f"input[name=a{column}][value='{limit - 1}']").check()
    page.locator("button.send").click()
    page.wait_for_url("**/thanks/")
    thanks = page.locator("main").inner_text()
    assert "ขอบคุณ" in thanks or "Thank you" in thanks
    assert Response.objects.filter(campaign=users).count() == 10

    after = _dashboard_estimate(browser, contexts, live_server.url, surveys)
    assert after != before
    assert after == f"{campaign_results(users).tool_score:.2f}"
    assert float(after) > float(before)
