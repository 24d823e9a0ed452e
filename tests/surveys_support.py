"""What the survey tests share: campaigns of agency A, and a respondent who answers over HTTP."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ita.surveys import services
from ita.surveys.models import Campaign
from ita.surveys.results import questionnaire_of
from tests.conftest import World


@dataclass
class Surveys:
    world: World
    staff: Campaign  # the internal tool (IIT), no codes unless a test turns them on
    users: Campaign  # the external tool (EIT)

    def slug(self, campaign: Campaign) -> str:
        link = services.active_link(campaign)
        assert link is not None
        return link.slug


def tool_of(world: World, audience: str) -> str:
    sampling = world.assessment_a.framework.schema.sampling
    assert sampling is not None
    return next(r.tool for r in sampling.rules if r.audience == audience)


def open_campaign(world: World, agency: Any, audience: str, **options: Any) -> Campaign:
    today = timezone.localdate()
    return services.start_campaign(
        agency,
        world.year,
        tool_of(world, audience),
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=30),
        user=world.users["root"],
        **options,
    )


@pytest.fixture
def surveys(world: World, settings: Any) -> Surveys:
    """Agency A's staff and service-user surveys, open today; no minimum filling time."""
    settings.SURVEYS_MIN_SECONDS = 0
    return Surveys(
        world,
        open_campaign(world, world.a, "internal", population=40),
        open_campaign(world, world.a, "external", population=1200),
    )


def answers_for(campaign: Campaign, pattern: int | Sequence[int] = 0) -> list[int]:
    """Return one answer per column: an option index, or a pattern cycled over the columns."""
    limits = questionnaire_of(campaign).limits
    if isinstance(pattern, int):
        return [min(pattern, limit - 1) for limit in limits]
    return [pattern[i % len(pattern)] % limit for i, limit in enumerate(limits)]


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY_INPUT = re.compile(r'name="k" value="([^"]+)"')


@dataclass
class Sent:
    status: int
    content: str
    location: str
    key: str


class Respondent:
    """A phone that opens the public link and sends the form (CSRF enforced, like a browser)."""

    def __init__(
        self,
        address: str = "203.0.113.7",
        agent: str = "Mozilla/5.0 test-phone",
        language: str = "en",
    ) -> None:
        self.client = Client(enforce_csrf_checks=True, REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
        # The tests read the pages' English wording; respondents get Thai unless they choose
        # (test_the_public_form_speaks_thai_by_default).
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        self.csrf = ""

    def open(self, slug: str) -> tuple[int, str, str]:
        response = self.client.get(reverse("survey-form", args=[slug]))
        body = _text(response)
        key = KEY_INPUT.search(body)
        csrf = CSRF_INPUT.search(body)
        self.csrf = csrf.group(1) if csrf else self.csrf
        return response.status_code, body, key.group(1) if key else ""

    def send(
        self,
        slug: str,
        answers: Sequence[int] | None,
        *,
        key: str | None = None,
        code: str | None = None,
        extra: dict[str, str] | None = None,
        open_first: bool = True,
        headers: dict[str, str] | None = None,
    ) -> Sent:
        if open_first:
            _status, _body, form_key = self.open(slug)
            key = key or form_key
        data: dict[str, str] = {"k": key or "x" * 22}
        if self.csrf:
            data["csrfmiddlewaretoken"] = self.csrf
        if answers is not None:
            data.update({f"a{i}": str(v) for i, v in enumerate(answers)})
        if code is not None:
            data["code"] = code
        data.update(extra or {})
        response = self.client.post(
            reverse("survey-form", args=[slug]), data, headers=headers or {}
        )
        return Sent(response.status_code, _text(response), response.get("Location", ""), data["k"])


def _text(response: Any) -> str:
    if response.get("Content-Encoding") == "gzip":
        import gzip

        return gzip.decompress(response.content).decode()
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return str(response.content.decode())
