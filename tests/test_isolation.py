"""Isolation: nobody reaches another agency's pages or objects, whatever the URL.

Every URL pattern of the application is listed here with its kind. A new pattern that is not
classified fails ``test_every_url_pattern_is_classified``, so new pages are covered the day
they are added. For each agency-scoped pattern, every role of agency A, a supervisor of A and
an anonymous visitor try agency B's objects with GET and POST: the answer is 403, 404, 405 or
(anonymous) a redirect to the login page — never data — and nothing of B changes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ita.agencies.models import AgencyGroup, GroupKind, Membership, Supervision
from ita.assessments.models import Assessment
from ita.audit.models import AuditEvent
from ita.surveys.intake import store_for_campaign
from ita.surveys.models import Campaign, CampaignLink, Response, Token
from ita.surveys.services import issue_codes
from tests.conftest import World
from tests.surveys_support import open_campaign, tool_of

# name → kind. "agency": scoped to one agency (tried across agencies); "public": no login;
# "account": a logged-in user's own pages; "system": system administrators only;
# "supervision": scoped to a supervised set of agencies (tried across sets); "staff": Django's
# admin site.
URL_KINDS = {
    "home": "public",
    "setup": "public",
    "login": "public",
    "logout": "account",
    "password_change": "account",
    "password_change_done": "account",
    "set_language": "public",
    "frameworks": "public",
    "framework": "public",
    "framework-section": "public",
    "agencies": "account",
    "agency-create": "system",
    "agency": "agency",
    "agency-settings": "agency",
    "people": "agency",
    "change-role": "agency",
    "remove-person": "agency",
    "audit-log": "agency",
    "import-document": "agency",
    "import-save": "agency",
    "dashboard": "agency",
    "start-assessment": "agency",
    "results": "agency",
    "upload": "agency",
    "results-template": "agency",
    "history": "agency",
    "whatif": "agency",
    "chart": "agency",
    "plan": "agency",
    "proposals": "agency",
    "measure-new": "agency",
    "measure": "agency",
    "measure-delete": "agency",
    "progress": "agency",
    "plan-issue": "agency",
    "issue-mapping": "agency",
    "copy-forward": "agency",
    "plan-snapshot": "agency",
    "remind": "agency",
    "evidence-file": "agency",
    "plan-document": "agency",
    "analysis-report": "agency",
    "analysis-report-file": "agency",
    "job": "agency",
    "job-file": "agency",
    "surveys": "agency",
    "survey": "agency",
    "survey-edit": "agency",
    "survey-link": "agency",
    "survey-qr": "agency",
    "survey-poster": "agency",
    "survey-codes": "agency",
    "survey-slips": "agency",
    "survey-interview": "agency",
    "survey-results": "agency",
    "survey-export": "agency",
    "survey-form": "public",
    "survey-thanks": "public",
    "oit": "agency",
    "oit-item": "agency",
    "oit-check": "agency",
    "oit-run": "agency",
    "oit-file": "agency",
    "oit-file-delete": "agency",
    "oit-xlsx": "agency",
    "oit-publish": "agency",
    "oit-public": "public",
    "supervision": "account",
    "supervision-import": "system",
    "supervision-import-template": "system",
    "supervision-rescore": "system",
    "supervision-overview": "supervision",
    "supervision-ranking": "supervision",
    "supervision-heatmap": "supervision",
    "supervision-missing": "supervision",
    "supervision-export": "supervision",
    "supervision-reports": "supervision",
}


def _patterns(
    resolver: URLResolver, prefix: str = "", namespace: str = ""
) -> list[tuple[str, str]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{entry.namespace}:" if entry.namespace else namespace
            found += _patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            found.append((f"{namespace}{entry.name or ''}", prefix + str(entry.pattern)))
    return found


def test_every_url_pattern_is_classified() -> None:
    unclassified = sorted(
        {(name, route) for name, route in _patterns(get_resolver())}
        - {(n, r) for n, r in _patterns(get_resolver()) if n in URL_KINDS or n.startswith("admin:")}
    )
    assert unclassified == [], "classify these patterns in URL_KINDS"


def _measures_of_b(world: World) -> tuple[int, int]:
    """Give agency B a plan with a measure and an evidence file; return their ids."""
    import datetime as dt

    from django.core.files.base import ContentFile

    from ita.measures.models import Evidence, Measure, Plan, Progress

    plan, _created = Plan.objects.get_or_create(agency=world.b, fiscal_year=world.year)
    measure, _created = Measure.objects.get_or_create(
        plan=plan, issue_number=1, title="มาตรการของบี"
    )
    progress = Progress.objects.create(measure=measure, on=dt.date(2025, 1, 1), status="done")
    evidence = Evidence(progress=progress, title="b.txt")
    evidence.file.save("b.txt", ContentFile(b"secret of agency B"), save=True)
    return measure.pk, evidence.pk


def _job_of_b(world: World) -> int:
    """Give agency B a finished background job with a result file; return its id."""
    from django.core.files.base import ContentFile

    from ita.jobs.models import Job, JobStatus

    job = Job.objects.create(
        kind="reports", agency=world.b, status=JobStatus.DONE, created_by=world.users["dave"]
    )
    job.result_file.save("b.zip", ContentFile(b"agency B's documents"), save=True)
    return job.pk


def _surveys_of_b(world: World) -> list[str]:
    """Give agency B a staff survey (with codes) and a service-user survey; return their tools."""
    tools = []
    for audience in ("internal", "external"):
        tool = tool_of(world, audience)
        if not Campaign.objects.filter(agency=world.b, fiscal_year=world.year, tool=tool).exists():
            campaign = open_campaign(world, world.b, audience, requires_code=audience == "internal")
            if campaign.requires_code:
                issue_codes(campaign, 2, world.users["dave"])
            store_for_campaign(campaign.pk, b"\0" * len(campaign.layout), 1, "b" * 22, date.today())
        tools.append(tool)
    return tools


B_NOTES = "บันทึกภายในของบี"


def _oit_of_b(world: World) -> tuple[int, int, str]:
    """Give agency B OIT evidence with a file, a link check and a published page.

    Returns the file's id, the check's job id and the public page's token.
    """
    from django.core.files.base import ContentFile

    from ita.jobs.models import Job, JobStatus
    from ita.oit.models import EvidenceFile, ItemEvidence, PublicPage

    evidence, _created = ItemEvidence.objects.get_or_create(
        agency=world.b, fiscal_year=world.year, code="O1",
        defaults={"status": "ready", "notes": B_NOTES, "explanation": "คำอธิบายของบี"},
    )  # fmt: skip
    evidence.links.get_or_create(url="https://www.b.example.go.th/ita/o1")
    stored = evidence.files.first()
    if stored is None:
        stored = EvidenceFile(evidence=evidence, title="b-o1.pdf")
        stored.file.save("b-o1.pdf", ContentFile(b"secret file of agency B"), save=True)
    job, _created = Job.objects.get_or_create(
        kind="oit.check", agency=world.b, status=JobStatus.DONE,
        params={"agency_id": world.b.pk, "fiscal_year": world.year},
    )  # fmt: skip
    page, _created = PublicPage.objects.get_or_create(agency=world.b, fiscal_year=world.year)
    return stored.pk, job.pk, page.token


def _sample_kwargs(world: World) -> dict[str, list[dict[str, Any]]]:
    """Return, for each agency-scoped URL name, arguments that point at agency B's objects."""
    b = world.b.pk
    tools = _surveys_of_b(world)
    survey = [{"agency_id": b, "year": world.year, "tool": t} for t in tools]
    measure, evidence = _measures_of_b(world)
    job = _job_of_b(world)
    oit_file, oit_job, _token = _oit_of_b(world)
    member = Membership.objects.get(user=world.users["dave"], agency=world.b).pk
    year = world.year
    per_part = [
        {"agency_id": b, "year": year, "part": p}
        for p in ("IIT", "EIT", "OIT", "indicators", "published")
    ]
    return {
        "agency": [{"agency_id": b}],
        "agency-settings": [{"agency_id": b}],
        "people": [{"agency_id": b}],
        "change-role": [{"agency_id": b, "membership_id": member}],
        "remove-person": [{"agency_id": b, "membership_id": member}],
        "audit-log": [{"agency_id": b}],
        "import-document": [{"agency_id": b}],
        "import-save": [{"agency_id": b}],
        "dashboard": [{"agency_id": b, "year": year}],
        "start-assessment": [{"agency_id": b, "year": year - 1}],
        "results": per_part,
        "upload": [{"agency_id": b, "year": year}],
        "results-template": [{"agency_id": b, "year": year, "fmt": f} for f in ("xlsx", "csv")],
        "history": [{"agency_id": b, "year": year}],
        "whatif": [{"agency_id": b, "year": year}],
        "chart": [{"agency_id": b, "year": year, "name": n} for n in ("results", "trend")],
        "plan": [{"agency_id": b, "year": year}],
        "proposals": [{"agency_id": b, "year": year}],
        "measure-new": [{"agency_id": b, "year": year}],
        "measure": [{"agency_id": b, "year": year, "measure_id": measure}],
        "measure-delete": [{"agency_id": b, "year": year, "measure_id": measure}],
        "progress": [{"agency_id": b, "year": year, "measure_id": measure}],
        "plan-issue": [{"agency_id": b, "year": year, "number": 1}],
        "issue-mapping": [{"agency_id": b, "year": year}],
        "copy-forward": [{"agency_id": b, "year": year}],
        "plan-snapshot": [{"agency_id": b, "year": year, "kind": "six_months"}],
        "remind": [{"agency_id": b, "year": year}],
        "evidence-file": [{"agency_id": b, "year": year, "evidence_id": evidence}],
        "plan-document": [{"agency_id": b, "year": year, "kind": "results", "fmt": "html"}],
        "analysis-report": [{"agency_id": b, "year": year}],
        "analysis-report-file": [
            {"agency_id": b, "year": year, "fmt": f} for f in ("html", "docx")
        ],
        "job": [{"job_id": job}],
        "job-file": [{"job_id": job}],
        "surveys": [{"agency_id": b, "year": year}],
        "survey": survey,
        "survey-edit": survey,
        "survey-link": survey,
        "survey-qr": [{**k, "fmt": f} for k in survey for f in ("png", "svg")],
        "survey-poster": survey,
        "survey-codes": survey,
        "survey-slips": survey,
        "survey-interview": survey,
        "survey-results": survey,
        "survey-export": [{**k, "fmt": f} for k in survey for f in ("csv", "xlsx")],
        "oit": [{"agency_id": b, "year": year}],
        "oit-item": [{"agency_id": b, "year": year, "code": "O1"}],
        "oit-check": [{"agency_id": b, "year": year}],
        "oit-run": [{"agency_id": b, "year": year, "job_id": oit_job}],
        "oit-file": [{"agency_id": b, "year": year, "file_id": oit_file}],
        "oit-file-delete": [{"agency_id": b, "year": year, "file_id": oit_file}],
        "oit-xlsx": [{"agency_id": b, "year": year}],
        "oit-publish": [{"agency_id": b, "year": year}],
    }


def _state_of_b(world: World) -> tuple[Any, ...]:
    from ita.jobs.models import Job
    from ita.measures.models import Measure, PlanSnapshot, Progress
    from ita.oit.models import EvidenceFile, EvidenceLink, ItemEvidence, PublicPage

    return (
        sorted(ItemEvidence.objects.filter(agency=world.b).values_list("code", "status", "notes")),
        sorted(EvidenceLink.objects.filter(evidence__agency=world.b).values_list("url", flat=True)),
        EvidenceFile.objects.filter(evidence__agency=world.b).count(),
        sorted(PublicPage.objects.filter(agency=world.b).values_list("token", "published")),
        Job.objects.filter(agency=world.b).count(),
        sorted(CampaignLink.objects.filter(campaign__agency=world.b).values_list("slug", "active")),
        Token.objects.filter(batch__campaign__agency=world.b).count(),
        Response.objects.filter(campaign__agency=world.b).count(),
        sorted(Campaign.objects.filter(agency=world.b).values_list("tool", "closes_on")),
        Measure.objects.filter(plan__agency=world.b).values_list("title", "issue_number").first(),
        Progress.objects.filter(measure__plan__agency=world.b).count(),
        PlanSnapshot.objects.filter(plan__agency=world.b).count(),
        Assessment.objects.filter(agency=world.b).count(),
        world.assessment_b.snapshots.count(),
        world.assessment_b.item_scores.count(),
        Membership.objects.filter(agency=world.b)
        .values_list("user__username", "role")
        .order_by("pk")
        .first(),
        AuditEvent.objects.filter(agency=world.b).count(),
    )


@pytest.fixture
def outsider_supervisor(world: World) -> str:
    """A supervisor whose set holds agency A only."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="sue", password="x")
    group = AgencyGroup.objects.create(name="กลุ่ม เอ", kind=GroupKind.CUSTOM)
    group.members.add(world.a)
    Supervision.objects.create(user=user, group=group)
    world.users["sue"] = user
    return "sue"


POST_BODY = {
    "role": "viewer",
    "indicator-1": "100",
    "total": "99",
    "level": "A",
    "action": "replace",
    "count": "5",
    "opens_on": "2025-01-01",
    "closes_on": "2025-12-31",
    "min_group_size": "5",
    "channel": "2",
    "k": "k" * 22,
    "a0": "0",
    "status": "not_started",
    "urls": "https://attacker.example/",
    "publish": "0",
}


def test_no_one_of_agency_a_reaches_agency_b(world: World, outsider_supervisor: str) -> None:
    samples = _sample_kwargs(world)
    agency_names = {n for n, kind in URL_KINDS.items() if kind == "agency"}
    assert set(samples) == agency_names, "give sample arguments for every agency-scoped URL"
    before = _state_of_b(world)
    tried = 0
    for person in ("alice", "bob", "carol", outsider_supervisor, None):
        client: Client = world.client(person)
        for name, variants in samples.items():
            for kwargs in variants:
                url = reverse(name, kwargs=kwargs)
                for method in ("get", "post"):
                    response = getattr(client, method)(url, POST_BODY if method == "post" else None)
                    tried += 1
                    status = response.status_code
                    if person is None:
                        assert status == 302 and "/accounts/login/" in response["Location"], (
                            url,
                            method,
                        )
                    else:
                        assert status in {403, 404, 405}, (person, url, method, status)
                        assert world.b.name_th.encode() not in response.content, (person, url)
    assert _state_of_b(world) == before
    assert tried == 5 * 2 * sum(len(v) for v in samples.values())
    print(f"isolation: {len(samples)} agency URL patterns, {tried} requests, 5 people")  # -s


def test_the_same_urls_work_for_agency_bs_own_editor(world: World) -> None:
    # The matrix above would pass trivially if every URL failed; B's editor must get pages.
    client: Client = world.client("dave")
    ok = {
        "agency", "dashboard", "results", "upload", "results-template", "history", "chart",
        "plan", "proposals", "measure", "progress", "issue-mapping", "evidence-file", "plan-document",
        "job", "job-file", "import-document",
        "surveys", "survey", "survey-edit", "survey-qr", "survey-results",
        "oit", "oit-item", "oit-run", "oit-file", "oit-xlsx",
    }  # fmt: skip
    for name in ok:
        for kwargs in _sample_kwargs(world)[name]:
            assert client.get(reverse(name, kwargs=kwargs)).status_code == 200, name
    for name in ("agency-settings", "people", "audit-log"):
        assert client.get(reverse(name, kwargs={"agency_id": world.b.pk})).status_code == 403


@pytest.mark.parametrize("person", ["alice", "bob", "carol", "dave", "sam"])
def test_the_admin_site_is_for_system_administrators_only(world: World, person: str) -> None:
    client: Client = world.client(person)
    for name, route in _patterns(get_resolver()):
        if not name.startswith("admin:") or "<" in route or name in {"admin:login", "admin:logout"}:
            continue
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/admin/login/" in response["Location"], name


def test_creating_agencies_is_for_system_administrators_only(world: World) -> None:
    assert world.client("alice").get(reverse("agency-create")).status_code == 403
    assert world.client("root").get(reverse("agency-create")).status_code == 200


def test_the_public_oit_page_is_open_to_all_and_shows_published_fields_only(world: World) -> None:
    from ita.oit.models import PublicPage

    _file, _job, token = _oit_of_b(world)
    url = reverse("oit-public", kwargs={"token": token})
    for person in ("alice", None):
        response = world.client(person).get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "https://www.b.example.go.th/ita/o1" in html and world.b.name_th in html
        for private in (B_NOTES, "คำอธิบายของบี", "b-o1.pdf", "secret file"):
            assert private not in html, private
    PublicPage.objects.filter(token=token).update(published=False)
    assert world.client(None).get(url).status_code == 404


def _supervision_samples(world: World) -> dict[str, list[dict[str, Any]]]:
    """Return, for each set-scoped URL name, arguments that point at sam's set (agency B)."""
    group = AgencyGroup.objects.get(supervisors__user=world.users["sam"])
    scope = {"scope": str(group.pk), "year": world.year}
    return {
        "supervision-overview": [scope],
        "supervision-ranking": [scope],
        "supervision-heatmap": [scope],
        "supervision-missing": [scope],
        "supervision-export": [{**scope, "fmt": f} for f in ("csv", "xlsx")],
        "supervision-reports": [scope],
    }


def test_no_one_outside_a_supervised_set_reaches_it(world: World, outsider_supervisor: str) -> None:
    from ita.jobs.models import Job

    samples = _supervision_samples(world)
    names = {n for n, kind in URL_KINDS.items() if kind == "supervision"}
    assert set(samples) == names, "give sample arguments for every set-scoped URL"
    for name in names:  # the set of every agency is for system administrators only
        samples[name] = samples[name] + [{**samples[name][0], "scope": "all"}]
    before = (_state_of_b(world), Job.objects.count())
    for person in ("alice", "bob", "carol", "dave", outsider_supervisor, None):
        client: Client = world.client(person)
        for name, variants in samples.items():
            for kwargs in variants:
                url = reverse(name, kwargs=kwargs)
                for method in ("get", "post"):
                    response = getattr(client, method)(url, POST_BODY if method == "post" else None)
                    if person is None:
                        assert response.status_code == 302, (url, method)
                        assert "/accounts/login/" in response["Location"]
                    else:
                        assert response.status_code in {404, 405}, (person, url, method)
                        assert world.b.name_th.encode() not in response.content, (person, url)
    assert (_state_of_b(world), Job.objects.count()) == before


def test_the_supervisor_of_the_set_reads_it(world: World) -> None:
    client: Client = world.client("sam")
    for name, variants in _supervision_samples(world).items():
        if name == "supervision-reports":
            continue  # a POST that starts a job; tested in test_supervision.py
        for kwargs in variants:
            assert client.get(reverse(name, kwargs=kwargs)).status_code == 200, name
            assert client.post(reverse(name, kwargs=kwargs)).status_code == 405, name


@pytest.mark.parametrize(
    "name", ["supervision-import", "supervision-import-template", "supervision-rescore"]
)
def test_importing_and_rescoring_are_for_system_administrators_only(
    world: World, name: str
) -> None:
    arguments: dict[str, dict[str, Any]] = {
        "supervision-import": {},
        "supervision-import-template": {"fmt": "csv"},
        "supervision-rescore": {"year": world.year},
    }
    kwargs = arguments[name]
    for person in ("alice", "dave", "sam"):
        client: Client = world.client(person)
        assert client.get(reverse(name, kwargs=kwargs)).status_code in {403, 405}
        assert client.post(reverse(name, kwargs=kwargs)).status_code == 403
