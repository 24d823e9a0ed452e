"""Checking an agency's OIT evidence links: the background job on a local website, history per
address, newly broken items, ``ita oit check --agency``, the button and the daily schedule.

Nothing here touches the internet: the website is an ``http.server`` on 127.0.0.1 (the helpers
of tests/test_oit_checker.py).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from django.urls import reverse

from ita.cli import cli
from ita.jobs import services as jobs
from ita.jobs.models import Job, JobStatus
from ita.oit import services
from ita.oit.checker import Verdict, run_checks
from ita.oit.models import EvidenceLink, LinkCheck, Status
from ita.oit.services import CHECK_JOB
from tests.conftest import World
from tests.test_oit_checker import Reply, Site, fixed, page

YEAR = 2568
WITH_YEAR = page("รายงาน", f"รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. {YEAR}")
NO_YEAR = page("โครงสร้างหน่วยงาน", "แผนผังโครงสร้าง ฝ่ายการเมืองและฝ่ายประจำ")


@pytest.fixture
def site(settings: Any) -> Iterator[Site]:
    settings.OIT_CHECK_PRIVATE_ADDRESSES = True  # the test website runs on this machine
    website = Site(
        {
            "/structure": fixed(Reply(200, NO_YEAR)),
            "/report": fixed(Reply(200, WITH_YEAR)),
            "/plan": fixed(Reply(200, WITH_YEAR)),
            "/missing": fixed(Reply(404, page("404 Not Found", "Not Found"))),
        }
    )
    yield website
    website.close()


def codes(world: World) -> tuple[str, str, str]:
    """Return two OIT items that state a period (the year is checked) and one that does not."""
    fw = world.assessment_a.framework.schema
    entries = services.disclosure_entries(fw)
    dated = [item.code for _ind, item in entries if item.period_th]
    undated = [item.code for _ind, item in entries if not item.period_th]
    return dated[0], dated[1], undated[0]


def give(world: World, code: str, *urls: str, status: str = Status.READY) -> None:
    response = world.client("bob").post(
        reverse("oit-item", kwargs={"agency_id": world.a.pk, "year": world.year, "code": code}),
        {"status": status, "urls": "\n".join(urls)},
    )
    assert response.status_code == 302


def run_check(world: World) -> Job:
    job = jobs.start(
        CHECK_JOB, user=world.users["bob"], agency=world.a, agency_id=world.a.pk,
        fiscal_year=world.year, timeout=2.0,
    )  # fmt: skip
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.message
    return job


def test_the_check_job_keeps_history_per_address_and_flags_newly_broken_items(
    world: World, site: Site
) -> None:
    plan, report, structure = codes(world)
    give(world, plan, site.url("/plan"))
    give(world, report, site.url("/report"))
    give(world, structure, site.url("/structure"))

    first = run_check(world)
    assert (first.done, first.total) == (3, 3)
    assert first.result["verdicts"] == {"ok": 3}
    assert first.result["newly_broken"] == []
    before = services.build_checklist(world.a, world.year)
    assert before.counts["ready"] == 3 and before.counts["broken"] == 0

    site.routes["/report"] = fixed(Reply(404, page("404 Not Found", "Not Found")))
    second = run_check(world)
    assert [(e["item"], e["verdict"]) for e in second.result["newly_broken"]] == [
        (report, "not_found")
    ]
    link = EvidenceLink.objects.get(evidence__code=report)
    assert (link.last_verdict, link.newly_broken) == ("not_found", True)
    history = list(link.checks.values_list("verdict", "newly_broken", "http_status"))
    assert history == [("not_found", True, 404), ("ok", False, 200)]  # newest first
    after = services.build_checklist(world.a, world.year)
    assert [row.code for row in after.newly_broken] == [report]
    assert after.counts["ready"] == 2 and after.counts["broken"] == 1
    assert before.readiness is not None and after.readiness is not None
    assert after.readiness.oit_score is not None and before.readiness.oit_score is not None
    assert after.readiness.oit_score < before.readiness.oit_score
    assert report in after.readiness.costs

    # Still broken at the next check: broken, but no longer "newly".
    third = run_check(world)
    assert third.result["newly_broken"] == [] and len(third.result["broken"]) == 1
    link.refresh_from_db()
    assert (link.last_verdict, link.newly_broken) == ("not_found", False)

    site.routes["/report"] = fixed(Reply(200, WITH_YEAR))
    fourth = run_check(world)
    assert [e["item"] for e in fourth.result["fixed"]] == [report]
    assert LinkCheck.objects.filter(link=link).count() == 4
    assert LinkCheck.objects.filter(job=fourth).count() == 3


def test_the_year_is_looked_for_only_in_items_that_state_a_period(world: World, site: Site) -> None:
    plan, _report, structure = codes(world)
    give(world, plan, site.url("/structure"))  # a page without the year, for a yearly plan
    give(world, structure, site.url("/structure"))  # the same page for the organisation chart
    run = services.check_links(world.a, world.year, timeout=2.0)
    verdicts = {e.code: (e.result.verdict, e.year_checked) for e in run.entries}
    assert verdicts == {plan: (Verdict.WRONG_YEAR, True), structure: (Verdict.OK, False)}


def test_only_the_agencys_own_links_of_that_year_are_checked(world: World, site: Site) -> None:
    give(world, "O1", site.url("/structure"))
    services.save_item(
        world.b, world.year, "O1", world.users["dave"], status=Status.READY, unit=None,
        urls=[site.url("/missing")], explanation="", notes="",
    )  # fmt: skip
    services.save_item(
        world.a, world.year - 1, "O1", world.users["bob"], status=Status.READY, unit=None,
        urls=[site.url("/missing")], explanation="", notes="",
    )  # fmt: skip
    run = services.check_links(world.a, world.year, timeout=2.0)
    assert [e.result.url for e in run.entries] == [site.url("/structure")]
    assert not LinkCheck.objects.filter(link__evidence__agency=world.b).exists()


def test_progress_may_use_the_database_although_the_checks_run_in_an_event_loop(
    world: World, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    # conftest allows ORM calls from async contexts for Playwright; a real worker does not.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    give(world, "O1", site.url("/structure"), site.url("/missing"))
    job = run_check(world)
    assert (job.done, job.total) == (2, 2)


def test_a_link_changed_while_the_check_ran_gets_no_stale_result(world: World, site: Site) -> None:
    give(world, "O1", site.url("/structure"))
    links = services.links_of(world.a, world.year)
    give(world, "O1", site.url("/plan"))  # the editor replaced the address meanwhile
    results = {
        (site.url("/structure"), False): run_checks([site.url("/structure")], private=True)[0]
    }
    run = services.store_results(world.a, world.year, links, results, set())
    assert run.entries == [] and not LinkCheck.objects.exists()


# --- the button, the progress page and the results ------------------------------------------


def test_the_button_starts_a_check_and_the_page_shows_what_it_found(
    world: World, site: Site
) -> None:
    give(world, "O1", site.url("/structure"))
    give(world, "O2", site.url("/missing"))
    client = world.client("bob")
    response = client.post(
        reverse("oit-check", kwargs={"agency_id": world.a.pk, "year": world.year})
    )
    job = Job.objects.get(kind=CHECK_JOB)
    run_url = reverse(
        "oit-run", kwargs={"agency_id": world.a.pk, "year": world.year, "job_id": job.pk}
    )
    assert response.status_code == 302 and response["Location"] == run_url
    html = world.client("carol").get(run_url).content.decode()
    assert 'data-status="done"' in html and 'hx-trigger="every 2s"' not in html
    assert site.url("/missing") in html and "O2" in html
    assert world.client("dave").get(run_url).status_code == 404


def test_a_second_click_while_a_check_runs_opens_the_running_one(world: World) -> None:
    give(world, "O1", "http://127.0.0.1:9/unused")
    running = Job.objects.create(
        kind=CHECK_JOB, agency=world.a, status=JobStatus.RUNNING, done=1, total=4,
        params={"agency_id": world.a.pk, "fiscal_year": world.year},
    )  # fmt: skip
    response = world.client("bob").post(
        reverse("oit-check", kwargs={"agency_id": world.a.pk, "year": world.year})
    )
    assert response["Location"].endswith(f"/checks/{running.pk}/")
    assert Job.objects.filter(kind=CHECK_JOB).count() == 1
    page_html = (
        world.client("bob").get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    )
    assert 'hx-trigger="every 2s"' in page_html and 'value="25"' in page_html


def test_without_links_there_is_nothing_to_check(world: World) -> None:
    response = world.client("bob").post(
        reverse("oit-check", kwargs={"agency_id": world.a.pk, "year": world.year})
    )
    assert response.status_code == 302 and not Job.objects.exists()


# --- ita oit check --agency -----------------------------------------------------------------


def run_cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_ita_oit_check_agency_prints_json_and_keeps_the_history(world: World, site: Site) -> None:
    plan, report, _structure = codes(world)
    give(world, report, site.url("/report"), site.url("/missing"))
    give(world, plan, site.url("/plan"))  # entered second, listed first: the checklist's order
    code, out, err = run_cli(
        "oit", "check", "--agency", str(world.a.pk), "--timeout", "2", "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert [(d["item"], d["url"], d["verdict"]) for d in data] == [
        (plan, site.url("/plan"), "ok"),
        (report, site.url("/report"), "ok"),
        (report, site.url("/missing"), "not_found"),
    ]
    assert all(d["year_checked"] and d["newly_broken"] is False for d in data)
    assert {"http_status", "final_url", "redirects", "detail", "checked_at"} <= data[0].keys()
    assert LinkCheck.objects.count() == 3

    site.routes["/plan"] = fixed(Reply(500, b"down"))
    code, out, _err = run_cli(
        "oit", "check", "--agency", str(world.a.pk), "--year", "๒๕๖๘", "--timeout", "2"
    )
    assert code == 0
    assert "server_error" in out and f"newly broken items: {plan}" in out
    assert LinkCheck.objects.count() == 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--agency", "999999"], "no agency"),
        (["--agency", "abc"], "not an agency id"),
        (["--agency", "1", "--urls", "-"], "not both"),
        (["--agency", "1", "--previous", "-"], "--previous"),
    ],
)
def test_bad_agency_options_exit_2(world: World, args: list[str], message: str) -> None:
    args = [a if a != "1" else str(world.a.pk) for a in args]
    code, out, err = run_cli("oit", "check", *args)
    assert (code, out) == (2, "")
    assert message in err


def test_an_agency_without_links_exits_2_and_says_so(world: World) -> None:
    code, out, err = run_cli("oit", "check", "--agency", str(world.a.pk), "--json")
    assert (code, out) == (2, "")
    assert "no OIT evidence links" in err


# --- the schedule ---------------------------------------------------------------------------


def test_the_daily_run_starts_one_check_per_agency_with_links_for_its_latest_year(
    world: World, site: Site
) -> None:
    give(world, "O1", site.url("/structure"))
    services.save_item(
        world.a, world.year - 1, "O1", world.users["bob"], status=Status.READY, unit=None,
        urls=[site.url("/missing")], explanation="", notes="",
    )  # fmt: skip
    started = services.start_scheduled_checks()
    assert [(j.agency, j.params["fiscal_year"]) for j in started] == [(world.a, world.year)]
    assert started[0].created_by is None
    started[0].refresh_from_db()
    assert started[0].status == JobStatus.DONE


def test_the_daily_task_runs_at_the_configured_time() -> None:
    from huey.contrib.djhuey import HUEY

    from ita.oit import tasks

    assert tasks.schedule() == {"minute": "0", "hour": "19"}  # 02:00 in Thailand, in UTC

    def due(at: dt.datetime) -> list[Any]:
        return [t.name for t in HUEY.read_periodic(at) if t.name.endswith("daily_link_check")]

    assert due(dt.datetime(2025, 3, 1, 19, 0)) != []
    assert due(dt.datetime(2025, 3, 1, 19, 1)) == []
    assert due(dt.datetime(2025, 3, 1, 2, 0)) == []
