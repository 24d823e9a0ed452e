"""Supervision pages: who sees which set, what the figures are, and that nobody writes through them."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from django.core.cache import cache
from django.urls import reverse

from ita.agencies.models import Agency, AgencyGroup, AgencyType, GroupKind, Supervision
from ita.assessments.models import Assessment, Snapshot
from ita.assessments.services import recompute, save_results, start_assessment
from ita.jobs.models import Job, JobStatus
from ita.supervision import services
from ita.supervision.benchmarks import MIN_PEERS, peer_table, percentile
from ita.supervision.rescore import rescore
from ita.supervision.yeartable import build_year_table, forget
from tests.conftest import World

YEAR = 2568
PAGES = (
    "supervision-overview",
    "supervision-ranking",
    "supervision-heatmap",
    "supervision-missing",
)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Year tables are cached; each test starts without those of the tests before."""
    cache.clear()
    forget()


def give(
    agency: Agency, year: int, scores: list[float], user: Any, total: str | None = None
) -> Assessment:
    """Record ten indicator scores (and optionally the published total) for an agency's year."""
    assessment = start_assessment(agency, year, user)
    published = (Decimal(total), "") if total else None
    save_results(
        assessment, user,
        indicators={n: Decimal(f"{s:.2f}") for n, s in enumerate(scores, start=1)},
        published=published,
    )  # fmt: skip
    assessment.refresh_from_db()
    return assessment


def sam_group(world: World) -> AgencyGroup:
    return AgencyGroup.objects.get(supervisors__user=world.users["sam"])


@pytest.fixture
def results(world: World) -> World:
    root = world.users["root"]
    give(world.a, YEAR, [90.0] * 8 + [100.0, 100.0], root)
    give(world.b, YEAR, [80.0] * 8 + [90.0, 90.0], root)
    give(world.b, YEAR - 1, [85.0] * 8 + [95.0, 95.0], root)
    return world


def url(name: str, scope: str | int, **kwargs: Any) -> str:
    return reverse(name, kwargs={"scope": str(scope), "year": YEAR, **kwargs})


def test_a_supervisor_sees_their_set_and_nothing_else(results: World) -> None:
    client = results.client("sam")
    group = sam_group(results)
    for name in PAGES:
        response = client.get(url(name, group.pk))
        assert response.status_code == 200, name
        assert results.a.name_th.encode() not in response.content, name
    ranking = client.get(url("supervision-ranking", group.pk)).content.decode()
    assert results.b.name_th in ranking
    assert reverse("dashboard", kwargs={"agency_id": results.b.pk, "year": YEAR}) in ranking
    for fmt in ("csv", "xlsx"):
        export = client.get(url("supervision-export", group.pk, fmt=fmt))
        assert export.status_code == 200
    csv_text = client.get(url("supervision-export", group.pk, fmt="csv")).content.decode(
        "utf-8-sig"
    )
    assert results.b.name_th in csv_text and results.a.name_th not in csv_text
    # the drill-down goes through the agencies' access layer, which lets a supervisor read
    assert (
        client.get(
            reverse("dashboard", kwargs={"agency_id": results.b.pk, "year": YEAR})
        ).status_code
        == 200
    )
    assert (
        client.get(
            reverse("dashboard", kwargs={"agency_id": results.a.pk, "year": YEAR})
        ).status_code
        == 404
    )


def test_other_sets_are_not_found_for_a_supervisor(results: World) -> None:
    other = AgencyGroup.objects.create(name="กลุ่ม เอ", kind=GroupKind.CUSTOM)
    other.members.add(results.a)
    client = results.client("sam")
    for scope in (other.pk, "all", "nonsense", 999999):
        for name in PAGES:
            assert client.get(url(name, scope)).status_code == 404, (scope, name)
        assert client.get(url("supervision-export", scope, fmt="csv")).status_code == 404
        assert client.post(url("supervision-reports", scope)).status_code == 404


@pytest.mark.parametrize("person", ["alice", "bob", "carol", "dave"])
def test_people_of_agencies_who_supervise_nothing_see_no_supervision(
    results: World, person: str
) -> None:
    client = results.client(person)
    assert client.get(reverse("supervision")).status_code == 404
    for scope in (sam_group(results).pk, "all"):
        for name in PAGES:
            assert client.get(url(name, scope)).status_code == 404
    assert b'href="/supervision/"' not in client.get(reverse("agencies")).content


def test_supervisors_and_agency_admins_never_write_through_supervision(results: World) -> None:
    before = (Agency.objects.count(), Assessment.objects.count(), Snapshot.objects.count())
    for person in ("sam", "alice"):
        client = results.client(person)
        assert client.get(reverse("supervision-import")).status_code == 403
        assert (
            client.post(reverse("supervision-import"), {"file": io.BytesIO(b"x")}).status_code
            == 403
        )
        assert (
            client.get(reverse("supervision-import-template", kwargs={"fmt": "csv"})).status_code
            == 403
        )
        assert client.post(reverse("supervision-rescore", kwargs={"year": YEAR})).status_code == 403
    assert (Agency.objects.count(), Assessment.objects.count(), Snapshot.objects.count()) == before


def test_a_system_administrator_sees_every_agency_and_filters_them(results: World) -> None:
    client = results.client("root")
    everything = client.get(url("supervision-ranking", "all")).content.decode()
    assert results.a.name_th in everything and results.b.name_th in everything
    only_b = client.get(url("supervision-ranking", "all") + "?province=ลำปาง").content.decode()
    assert results.b.name_th in only_b and results.a.name_th not in only_b
    by_type = client.get(url("supervision-ranking", "all") + "?type=sao").content.decode()
    assert results.a.name_th in by_type and results.b.name_th not in by_type
    assert client.get(url("supervision-overview", sam_group(results).pk)).status_code == 200
    index = client.get(reverse("supervision")).content.decode()
    assert "กลุ่ม บี" in index


def test_the_supervision_link_shows_for_supervisors_and_system_administrators(
    results: World,
) -> None:
    for person in ("sam", "root"):
        page = results.client(person).get(reverse("agencies")).content.decode()
        assert 'href="/supervision/"' in page


def test_a_supervisor_of_one_set_lands_on_it(results: World) -> None:
    response = results.client("sam").get(reverse("supervision"))
    assert response.status_code == 302
    assert response["Location"] == url("supervision-overview", sam_group(results).pk)


# --- the figures on small data ----------------------------------------------------------


@pytest.fixture
def province(world: World) -> dict[str, Any]:
    """Five agencies of one province with known totals in 2567 and 2568; one without results."""
    root = world.users["root"]
    made = {}
    plan = {
        "หนึ่ง": ([95.0] * 10, [90.0] * 10),
        "สอง": ([95.0] * 10, [96.0] * 10),
        "สาม": ([80.0] * 10, [82.0] * 10),
        "สี่": ([70.0] * 10, None),
        "ห้า": (None, None),
    }
    for name, (now, before) in plan.items():
        agency = Agency.objects.create(
            name_th=f"องค์การบริหารส่วนตำบล{name}", agency_type=AgencyType.SAO, province="น่าน"
        )
        made[name] = agency
        if now is not None:
            give(agency, YEAR, now, root)
        if before is not None:
            give(agency, YEAR - 1, before, root)
    group = AgencyGroup.objects.create(name="จังหวัดน่าน", kind=GroupKind.PROVINCE, province="น่าน")
    Supervision.objects.create(user=world.users["sam"], group=group)
    return {"agencies": made, "group": group, "world": world}


def test_the_ranking_shares_ranks_for_equal_totals_and_keeps_them_in_a_search(
    province: dict[str, Any],
) -> None:
    group = province["group"]
    spec = Assessment.objects.filter(fiscal_year=YEAR).first().framework.spec  # type: ignore[union-attr]
    table = build_year_table(YEAR, spec)
    previous = build_year_table(YEAR - 1, spec)
    _page, rows = services.ranking_page(group.agencies(), YEAR, spec, table)
    assert [r.rank for r in rows] == [1, 1, 3, 4, None]
    assert [r.name[-3:] for r in rows[2:]] == ["สาม", "สี่", "ห้า"]
    _page, found = services.ranking_page(group.agencies(), YEAR, spec, table, search="สาม")
    assert [(r.name, r.rank) for r in found] == [("องค์การบริหารส่วนตำบลสาม", 3)]
    _page, gains = services.ranking_page(group.agencies(), YEAR, spec, table, previous, sort="gain")
    assert [r.change for r in gains][:3] == [5.0, -1.0, -2.0]
    assert gains[0].name.endswith("หนึ่ง")
    assert rows[0].indicators == (95.0,) * 10 and rows[0].passed is True
    assert rows[3].passed is False


def test_the_overview_counts_levels_passes_changes_and_what_is_missing(
    province: dict[str, Any],
) -> None:
    group = province["group"]
    client = province["world"].client("sam")
    assert client.get(url("supervision-overview", group.pk)).status_code == 200
    spec = Assessment.objects.filter(fiscal_year=YEAR).first().framework.spec  # type: ignore[union-attr]
    previous = Assessment.objects.filter(fiscal_year=YEAR - 1).first().framework.spec  # type: ignore[union-attr]
    table = build_year_table(YEAR, spec)
    figures = services.overview(
        group.agencies(), YEAR, spec, previous, table, build_year_table(YEAR - 1, previous)
    )
    assert (figures.agencies, figures.with_results, figures.passed) == (5, 4, 2)
    assert figures.average == pytest.approx((95 + 95 + 80 + 70) / 4)
    levels = {lv.name: lv.count for lv in figures.levels}
    assert levels[spec.levels[0].name] == 2  # every tool at 95: the top level
    assert sum(levels.values()) == 4
    assert (figures.compared, figures.improved, figures.declined) == (3, 1, 2)
    assert [g.change for g in figures.gains] == [5.0]
    assert [g.change for g in figures.losses] == [-2.0, -1.0]
    assert figures.missing_results == 1 and figures.missing_measures == 5
    assert {n: v for n, _name, v in figures.indicators}[1] == pytest.approx(85.0)


def test_missing_lists_the_agencies_without_results(province: dict[str, Any]) -> None:
    group = province["group"]
    missing = services.missing_ids(group.agencies(), YEAR, "results")
    assert missing == [province["agencies"]["ห้า"].pk]
    page = (
        province["world"]
        .client("sam")
        .get(url("supervision-missing", group.pk) + "?missing=results")
    )
    assert "องค์การบริหารส่วนตำบลห้า" in page.content.decode()


def test_the_oit_column_says_when_the_registry_is_not_there(
    province: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    group = province["group"]
    monkeypatch.setattr(services, "oit_evidence_model", lambda: None)
    page = (
        province["world"].client("sam").get(url("supervision-missing", group.pk)).content.decode()
    )
    assert 'class="muted oit-unavailable"' in page


def test_the_heatmap_averages_each_group(province: dict[str, Any]) -> None:
    world = province["world"]
    spec = Assessment.objects.filter(fiscal_year=YEAR).first().framework.spec  # type: ignore[union-attr]
    table = build_year_table(YEAR, spec)
    rows = services.heat_groups(
        table, Agency.objects.values_list("pk", flat=True), "province", spec
    )
    nan = {r.label: r for r in rows}["น่าน"]
    assert nan.count == 4 and nan.values[0] == pytest.approx((95 + 95 + 80 + 70) / 4)
    assert services.heat(96.0, services.heat_bands(spec)) == 0
    assert services.heat(10.0, services.heat_bands(spec)) == services.PALETTE
    client = world.client("sam")
    for by in ("agency", "province", "district", "type"):
        assert (
            client.get(url("supervision-heatmap", province["group"].pk) + f"?by={by}").status_code
            == 200
        )


# --- peer percentiles -------------------------------------------------------------------


def test_percentile_counts_lower_scores_and_half_of_equal_ones() -> None:
    values = np.array([70.0, 80.0, 80.0, 90.0, np.nan])
    assert percentile(values, 80.0) == pytest.approx(100 * (1 + 1.0) / 4)
    assert percentile(values, 90.0) == pytest.approx(100 * 3.5 / 4)
    assert percentile(values, 70.0) == pytest.approx(100 * 0.5 / 4)


def test_peer_benchmarks_compare_with_type_province_and_nation(province: dict[str, Any]) -> None:
    world = province["world"]
    agencies = province["agencies"]
    give(Agency.objects.create(name_th="เทศบาลตำบลหก", agency_type=AgencyType.SUBDISTRICT_MUNICIPALITY,
                               province="น่าน"), YEAR, [60.0] * 10, world.users["root"])  # fmt: skip
    spec = Assessment.objects.filter(fiscal_year=YEAR).first().framework.spec  # type: ignore[union-attr]
    table = build_year_table(YEAR, spec)
    peers = peer_table(table, spec, agencies["สาม"])
    assert peers is not None
    groups = {g.key: g for g in peers.groups}
    # type (อบต.): 95, 95, 80, 70 → 4 agencies, below MIN_PEERS: not shown
    assert "type" not in groups and MIN_PEERS == 5
    # province น่าน: 95, 95, 80, 70, 60 → 80 is above two, equal to one
    assert groups["province"].count == 5
    assert groups["province"].positions[-1].percentile == pytest.approx(100 * 2.5 / 5)
    assert groups["province"].positions[0].median == 80.0
    assert groups["nation"].count == 5
    give(world.a, YEAR, [90.0] * 10, world.users["root"])
    nation = peer_table(build_year_table(YEAR, spec), spec, agencies["สาม"])
    assert nation is not None and nation.groups[-1].count == 6
    assert peers.rows[-1].score == 80.0
    page = world.client("sam").get(
        reverse("dashboard", kwargs={"agency_id": agencies["สาม"].pk, "year": YEAR})
    )
    assert 'class="peers"' in page.content.decode()


def test_demonstration_agencies_are_compared_only_with_each_other(province: dict[str, Any]) -> None:
    agencies = province["agencies"]
    world = province["world"]
    give(world.a, YEAR, [90.0] * 10, world.users["root"])
    give(world.b, YEAR, [80.0] * 10, world.users["root"])
    Agency.objects.filter(pk=agencies["หนึ่ง"].pk).update(is_demo=True)
    spec = Assessment.objects.filter(fiscal_year=YEAR).first().framework.spec  # type: ignore[union-attr]
    table = build_year_table(YEAR, spec)
    demo = Agency.objects.get(pk=agencies["หนึ่ง"].pk)
    assert peer_table(table, spec, demo).groups == ()  # type: ignore[union-attr]
    real = peer_table(table, spec, agencies["สาม"])
    assert real is not None and {g.key: g.count for g in real.groups} == {"nation": 5}


# --- bulk rescoring and the report batch -------------------------------------------------


def test_bulk_rescoring_keeps_the_same_snapshot_as_recomputing_one(s0_results: World) -> None:
    world = s0_results
    assessment = world.assessment_a
    save_results(assessment, world.users["bob"], published=(Decimal("80.00"), ""))
    single = recompute(assessment)
    summary = rescore(Assessment.objects.filter(pk=assessment.pk), user=world.users["root"])
    assert summary.scored == 1 and summary.failed == {}
    bulk = assessment.snapshots.order_by("-pk").first()
    assert bulk is not None and bulk.pk != single.pk
    assert bulk.inputs == single.inputs
    assert bulk.outputs == single.outputs
    assert (bulk.engine_version, bulk.framework_sha256) == (
        single.engine_version,
        single.framework_sha256,
    )
    fresh = Assessment.objects.get(pk=assessment.pk)
    assert fresh.result == single.outputs and fresh.level == (single.outputs["level"] or "")


def test_the_report_batch_holds_the_set_and_nothing_else(
    results: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ita.supervision import jobs

    monkeypatch.setattr(jobs, "workers", lambda: 1)
    response = results.client("sam").post(url("supervision-reports", sam_group(results).pk))
    assert response.status_code == 302
    job = Job.objects.get(kind=jobs.REPORTS)
    assert job.status == JobStatus.DONE, job.message
    with zipfile.ZipFile(job.result_file.open("rb")) as archive:
        names = archive.namelist()
    docx = [n for n in names if n.endswith(".docx")]
    assert len(docx) == 1 and results.b.name_th in docx[0]
    assert (
        results.client("sam").get(reverse("job-file", kwargs={"job_id": job.pk})).status_code == 200
    )
    assert (
        results.client("alice").get(reverse("job-file", kwargs={"job_id": job.pk})).status_code
        == 404
    )


def test_reports_are_drawn_in_worker_processes_without_django(results: World) -> None:
    import subprocess
    import sys

    from ita.jobs import services as job_services
    from ita.supervision import jobs

    code = (
        "import sys; import ita.supervision.drawing; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    job = job_services.start(
        jobs.REPORTS, user=results.users["root"], scope="all", fiscal_year=YEAR, processes=2
    )
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.message
    assert job.result == {"reports": 2, "failed": 0}
    assert (job.done, job.total) == (2, 2)


def test_the_year_table_is_asked_for_changes_at_most_every_half_minute(
    province: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from ita.supervision import yeartable

    world = province["world"]
    spec = Assessment.objects.filter(fiscal_year=YEAR).first().framework.spec  # type: ignore[union-attr]
    clock = [1000.0]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    first = yeartable.year_table(YEAR, spec)
    row = first.row_of(world.a.pk)
    assert row is not None and not first.entered[row]  # started, no results yet
    give(world.a, YEAR, [90.0] * 10, world.users["root"])
    clock[0] += yeartable.FRESH - 1
    assert not yeartable.year_table(YEAR, spec).entered[row]  # not asked yet: as it was
    clock[0] += 2
    assert yeartable.year_table(YEAR, spec).entered[row]  # asked: renewed
    built = []
    monkeypatch.setattr(yeartable, "build_year_table", lambda *a: built.append(a))
    clock[0] += yeartable.FRESH + 1
    assert yeartable.year_table(YEAR, spec).entered[row]
    assert built == []  # asked again: nothing changed, nothing rebuilt


def test_the_dashboard_places_the_result_it_shows_even_before_the_table_renews(
    province: dict[str, Any],
) -> None:
    from ita.supervision.benchmarks import peer_table
    from ita.supervision.yeartable import year_table

    agencies = province["agencies"]
    world = province["world"]
    give(world.a, YEAR, [90.0] * 10, world.users["root"])  # five agencies with results
    spec = Assessment.objects.filter(fiscal_year=YEAR).first().framework.spec  # type: ignore[union-attr]
    stale = year_table(YEAR, spec)
    own = [100.0] * len(spec.indicators) + [100.0]
    peers = peer_table(stale, spec, agencies["สี่"], own)  # the table still has its 70s
    assert peers is not None
    assert peers.rows[-1].score == 100.0
    nation = {g.key: g for g in peers.groups}["nation"]
    # 95, 95, 80, 90 and now 100 (not the 70 the table holds): the top of five
    assert nation.count == 5
    assert nation.positions[-1].percentile == pytest.approx(100 * 4.5 / 5)
