"""The demonstration province: labelled, reproducible, scored like real data."""

from __future__ import annotations

import pytest
from django.test import Client

from ita.agencies.models import Agency, Membership
from ita.assessments.models import Assessment
from ita.demo.province import AGENCIES, DEMO_PASSWORD, DEMO_YEARS, load_demo

pytestmark = pytest.mark.usefixtures("frameworks_loaded")


def test_demo_creates_labelled_agencies_with_three_years_of_results() -> None:
    agencies = load_demo(seed=1)
    assert len(agencies) == len(AGENCIES)
    assert all(a.is_demo for a in agencies)
    years = set(Assessment.objects.values_list("fiscal_year", flat=True))
    assert years == set(DEMO_YEARS)
    for assessment in Assessment.objects.all():
        assert assessment.total is not None and assessment.level
        assert assessment.snapshots.exists()
        assert assessment.item_scores.filter(finding__isnull=False).exists()


def test_demo_is_reproducible_and_loading_twice_adds_nothing() -> None:
    load_demo(seed=7)
    first = list(
        Assessment.objects.order_by("agency__name_th", "fiscal_year").values_list(
            "total", flat=True
        )
    )
    load_demo(seed=7)
    again = list(
        Assessment.objects.order_by("agency__name_th", "fiscal_year").values_list(
            "total", flat=True
        )
    )
    assert first == again
    assert Agency.objects.count() == len(AGENCIES)


def test_the_login_page_lists_the_demo_accounts_which_work() -> None:
    load_demo(seed=1)
    client = Client()
    page = client.get("/accounts/login/").content.decode()
    assert "demo-editor" in page and DEMO_PASSWORD in page
    assert client.login(username="demo-editor", password=DEMO_PASSWORD)
    assert Membership.objects.filter(user__username="demo-editor").count() == 2


def test_no_demo_accounts_are_shown_without_demo_data(db: None) -> None:
    assert "demo-editor" not in Client().get("/accounts/login/").content.decode()
