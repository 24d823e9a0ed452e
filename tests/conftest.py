"""Shared fixtures: framework specs per year, and the frameworks loaded into the test database."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import settings as hypothesis_settings

from ita.catalog.loader import get_framework
from ita.scoring.spec import ScoringSpec

if TYPE_CHECKING:
    from django.test import Client

# Seed S1 (อบต.ศรีคำ, ITA 2565): the indicator scores printed in its analysis report.
S1_INDICATORS = {
    1: 88.81, 2: 75.15, 3: 82.16, 4: 78.08, 5: 80.24,
    6: 82.65, 7: 75.22, 8: 78.09, 9: 100.00, 10: 100.00,
}  # fmt: skip

# Seed S0 (อบต.ห้วยจรเข้ม, measures document for 2566): the item scores it prints.
S0_ITEMS = {
    "E1": 74.62, "E2": 78.94, "E3": 79.64, "E4": 95.77,
    "E6": 73.91, "E7": 73.19, "E8": 78.77, "E9": 78.96, "E10": 66.00,
    "E11": 76.13, "E12": 77.53, "E13": 76.64, "E14": 72.55, "E15": 76.77,
    "I9": 93.94, "I14": 100.00, "I16": 96.97, "I21": 100.00,
}  # fmt: skip


# Playwright's sync API runs an event loop; Django refuses ORM calls from such a thread
# unless told the test process knows what it is doing (only browser tests touch this).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Property tests run the same generated cases on every run by default, so that CI passes or
# fails on the code alone; `make fuzz` (profile "explore") draws new cases each time to look
# for faults nobody has met yet, and a fault it finds becomes a plain test.
hypothesis_settings.register_profile("repeatable", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("ITA_HYPOTHESIS_PROFILE", "repeatable"))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, driven by Playwright (installed by scripts/system-deps.sh)."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is missing: run scripts/system-deps.sh (make test does)")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Each test starts with an empty cache (rate limits, charts)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    """Hash test passwords quickly; production keeps Django's slow, safe default."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


# Seed S0's findings (percent of respondents with an unfavourable view), as printed.
S0_FINDINGS = {
    "E1": 4.26, "E2": 6.38, "E3": 4.26, "E4": 4.26, "E6": 4.26, "E7": 4.26, "E10": 34.04,
    "E11": 2.13, "E12": 2.13, "E13": 23.40, "E14": 4.26, "E15": 2.13,
    "I9": 6.06, "I14": 0.0, "I16": 3.03, "I21": 0.0,
}  # fmt: skip


@pytest.fixture(scope="session")
def spec() -> Callable[[int], ScoringSpec]:
    """Return the scoring spec of a fiscal year, read from the framework files."""
    cache: dict[int, ScoringSpec] = {}

    def get(year: int) -> ScoringSpec:
        if year not in cache:
            cache[year] = ScoringSpec.from_framework(get_framework(year))
        return cache[year]

    return get


@pytest.fixture
def frameworks_loaded(db: None) -> None:
    """Load the framework files into the test database."""
    from ita.catalog.services import sync_frameworks

    sync_frameworks()


# --- the web application's test world: two agencies and named people ---------------------

PASSWORD = "correct horse battery staple"


class World:
    """Agencies A and B with an assessment each, and the people of the test stories.

    alice: admin of A · bob: editor of A · carol: viewer of A · dave: editor of B ·
    sam: supervisor of a group that holds B only · root: system administrator.
    """

    def __init__(self) -> None:
        from django.contrib.auth import get_user_model

        from ita.agencies.models import (
            Agency,
            AgencyGroup,
            AgencyType,
            GroupKind,
            Membership,
            Role,
            Supervision,
        )
        from ita.assessments.services import start_assessment

        User = get_user_model()
        self.a = Agency.objects.create(
            name_th="องค์การบริหารส่วนตำบลทดสอบเอ",
            agency_type=AgencyType.SAO,
            province="เชียงราย",
            district="แม่จัน",
        )
        self.b = Agency.objects.create(
            name_th="เทศบาลตำบลทดสอบบี",
            agency_type=AgencyType.SUBDISTRICT_MUNICIPALITY,
            province="ลำปาง",
        )
        self.users = {}
        for name in ("alice", "bob", "carol", "dave", "sam"):
            self.users[name] = User.objects.create_user(username=name, password=PASSWORD)
        self.users["root"] = User.objects.create_superuser(username="root", password=PASSWORD)
        Membership.objects.create(user=self.users["alice"], agency=self.a, role=Role.ADMIN)
        Membership.objects.create(user=self.users["bob"], agency=self.a, role=Role.EDITOR)
        Membership.objects.create(user=self.users["carol"], agency=self.a, role=Role.VIEWER)
        Membership.objects.create(user=self.users["dave"], agency=self.b, role=Role.EDITOR)
        group = AgencyGroup.objects.create(name="กลุ่ม บี", kind=GroupKind.CUSTOM)
        group.members.add(self.b)
        Supervision.objects.create(user=self.users["sam"], group=group)
        self.year = 2568
        self.assessment_a = start_assessment(self.a, self.year, self.users["root"])
        self.assessment_b = start_assessment(self.b, self.year, self.users["root"])

    def client(self, name: str | None) -> Client:
        from django.test import Client

        client = Client()
        if name is not None:
            client.force_login(self.users[name])
        return client


@pytest.fixture
def world(frameworks_loaded: None) -> World:
    return World()


@pytest.fixture
def as_user(browser: Any, live_server: Any, world: World) -> Iterator[Any]:
    """Return a function that opens a logged-in page for a named person."""
    contexts = []

    def open_as(name: str, width: int = 1280) -> Any:
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.base_url = live_server.url
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("ชื่อผู้ใช้").fill(name)
        page.get_by_label("รหัสผ่าน").fill(PASSWORD)
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def s0_results(world: World) -> World:
    """Agency A's 2568 results are seed S0's item scores and findings."""
    from decimal import Decimal

    from ita.assessments.services import ItemEntry, save_results

    entries = {
        code: ItemEntry(
            score=Decimal(f"{score:.2f}"),
            finding=Decimal(f"{S0_FINDINGS[code]:.2f}") if code in S0_FINDINGS else None,
        )
        for code, score in S0_ITEMS.items()
    }
    save_results(world.assessment_a, world.users["bob"], items=entries)
    return world


@pytest.fixture(autouse=True)
def _jobs_run_in_process() -> Iterator[None]:
    """Background jobs run inside the test, synchronously (huey's immediate mode)."""
    from huey.contrib.djhuey import HUEY

    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before
