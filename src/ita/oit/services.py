"""The OIT checklist of a year, saving evidence (with the audit log), and checking its links."""

from __future__ import annotations

import datetime as dt
import queue
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ita.agencies.models import Agency, ResponsibleUnit
from ita.assessments.models import Assessment
from ita.assessments.services import framework_for_year, score
from ita.audit.models import record
from ita.catalog.schema import Framework, Indicator, Item, SubIndicator
from ita.jobs.models import Job, JobStatus
from ita.oit.checker import DEFAULT_PER_HOST, DEFAULT_TIMEOUT, LinkResult, Verdict, run_checks
from ita.oit.history import Change, Previous, compare
from ita.oit.models import (
    READY_STATUSES,
    EvidenceFile,
    EvidenceLink,
    ItemEvidence,
    LinkCheck,
    PublicPage,
    Status,
)
from ita.oit.readiness import Readiness, perception_indicators, readiness
from ita.scoring.spec import ScoringSpec

CHECK_JOB = "oit.check"
Progress = Callable[[int, int, str], None]


class State(StrEnum):
    """What an item would get from the assessor today, as far as the registry can tell."""

    READY = "ready"  # marked ready or submitted, with an address, and no broken link
    BROKEN = "broken"  # a link's latest check found it broken, whatever the status
    MISSING = "missing"  # anything else: not ready, or no address


def state_of(evidence: ItemEvidence | None, links: Sequence[EvidenceLink]) -> State:
    """Return an item's state: broken links first, then ready (status and an address)."""
    if any(link.broken for link in links):
        return State.BROKEN
    if evidence is not None and evidence.status in READY_STATUSES and links:
        return State.READY
    return State.MISSING


@dataclass(frozen=True)
class Row:
    """One item of the checklist with the agency's evidence for it."""

    item: Item
    indicator: Indicator
    sub_indicator: SubIndicator | None
    evidence: ItemEvidence | None
    links: list[EvidenceLink]
    state: State
    cost: float | None  # total points the item would add if it passed; None when it passes

    @property
    def code(self) -> str:
        return self.item.code

    @property
    def status(self) -> str:
        return self.evidence.status if self.evidence else Status.NOT_STARTED

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def newly_broken(self) -> bool:
        return any(link.newly_broken and link.broken for link in self.links)

    @property
    def year_checked(self) -> bool:
        """Whether the link monitor looks for the fiscal year (the item states a period)."""
        return self.item.period_th is not None

    @property
    def published_links(self) -> list[EvidenceLink]:
        """Return the links the public page shows: those of ready or submitted items."""
        return self.links if self.status in READY_STATUSES else []


@dataclass(frozen=True)
class Checklist:
    """The OIT items of one agency's fiscal year, their evidence, and what they would score."""

    agency: Agency
    fiscal_year: int
    framework: Framework
    spec: ScoringSpec
    rows: list[Row]
    readiness: Readiness | None  # None when the year's framework lists no OIT items
    perception_known: bool  # IIT/EIT indicator scores were there to combine with
    last_checked: dt.datetime | None = None

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(row.state.value for row in self.rows)
        return {state.value: found[state.value] for state in State}

    @property
    def newly_broken(self) -> list[Row]:
        return [row for row in self.rows if row.newly_broken]

    @property
    def broken(self) -> list[Row]:
        return [row for row in self.rows if row.state is State.BROKEN]

    @property
    def has_items(self) -> bool:
        return bool(self.rows)

    @property
    def link_count(self) -> int:
        return sum(len(row.links) for row in self.rows)

    def row(self, code: str) -> Row | None:
        return next((r for r in self.rows if r.code == code), None)


def disclosure_entries(fw: Framework) -> list[tuple[Indicator, Item]]:
    """Return the OIT items of a framework with their indicator, in file order."""
    return [(ind, item) for tool, ind, item in fw.iter_items() if tool.kind == "disclosure"]


def find_item(fw: Framework, code: str) -> tuple[Indicator, Item] | None:
    return next(((ind, item) for ind, item in disclosure_entries(fw) if item.code == code), None)


def build_checklist(
    agency: Agency,
    fiscal_year: int,
    assessment: Assessment | None = None,
    *,
    with_readiness: bool = True,
) -> Checklist:
    """Return the year's checklist for an agency, with readiness through the scoring engine.

    Uses the assessment's framework when there is an assessment (else the year's framework;
    LookupError when none is loaded) and its IIT/EIT indicator scores, official or computed.
    """
    if assessment is None:
        assessment = (
            Assessment.objects.filter(agency=agency, fiscal_year=fiscal_year)
            .select_related("framework")
            .first()
        )
    framework = assessment.framework if assessment else framework_for_year(fiscal_year)
    fw, spec = framework.schema, framework.spec
    stored = {
        e.code: e
        for e in ItemEvidence.objects.filter(agency=agency, fiscal_year=fiscal_year)
        .select_related("unit")
        .prefetch_related("links", "files")
    }
    entries = disclosure_entries(fw)
    links = {code: list(e.links.all()) for code, e in stored.items()}
    states = {
        item.code: state_of(stored.get(item.code), links.get(item.code, [])) for _i, item in entries
    }
    perception = (
        perception_indicators(spec, score(assessment)) if assessment and with_readiness else {}
    )
    ready = None
    if entries and with_readiness:
        ready = readiness(spec, {c for c, s in states.items() if s is State.READY}, perception)
    rows = []
    for ind, item in entries:
        sub = next((s for s in ind.sub_indicators if s.code == item.sub_indicator), None)
        rows.append(
            Row(
                item=item,
                indicator=ind,
                sub_indicator=sub,
                evidence=stored.get(item.code),
                links=links.get(item.code, []),
                state=states[item.code],
                cost=ready.costs.get(item.code) if ready else None,
            )
        )
    checked = [link.last_checked_at for ls in links.values() for link in ls if link.last_checked_at]
    return Checklist(
        agency=agency,
        fiscal_year=fiscal_year,
        framework=fw,
        spec=spec,
        rows=rows,
        readiness=ready,
        perception_known=bool(perception),
        last_checked=max(checked, default=None),
    )


# --- saving evidence ------------------------------------------------------------------------


def _evidence_state(evidence: ItemEvidence) -> dict[str, Any]:
    return {
        "status": evidence.status,
        "unit": evidence.unit.name if evidence.unit else None,
        "urls": [link.url for link in evidence.links.all()],
        "explanation": evidence.explanation,
        "notes": evidence.notes,
    }


def _sync_links(evidence: ItemEvidence, urls: Sequence[str]) -> None:
    """Make the item's links the given addresses, keeping the history of those that stay."""
    wanted = list(dict.fromkeys(u.strip() for u in urls if u.strip()))
    existing = {link.url: link for link in evidence.links.all()}
    evidence.links.exclude(url__in=wanted).delete()
    for position, url in enumerate(wanted):
        link = existing.get(url)
        if link is None:
            EvidenceLink.objects.create(evidence=evidence, url=url, position=position)
        elif link.position != position:
            link.position = position
            link.save(update_fields=["position"])


def save_item(
    agency: Agency,
    fiscal_year: int,
    code: str,
    user: Any,
    *,
    status: str,
    unit: ResponsibleUnit | None,
    urls: Sequence[str],
    explanation: str,
    notes: str,
    files: Sequence[UploadedFile[Any]] = (),
) -> ItemEvidence:
    """Save one item's evidence and log what changed; returns the evidence row."""
    with transaction.atomic():
        evidence, _created = ItemEvidence.objects.select_for_update().get_or_create(
            agency=agency, fiscal_year=fiscal_year, code=code
        )
        before = _evidence_state(evidence)
        evidence.status, evidence.unit = status, unit
        evidence.explanation, evidence.notes = explanation, notes
        evidence.updated_by = user if getattr(user, "is_authenticated", False) else None
        evidence.save()
        _sync_links(evidence, urls)
        for upload in files:
            EvidenceFile.objects.create(
                evidence=evidence,
                title=upload.name or "",
                file=upload,
                uploaded_by=evidence.updated_by,
            )
        after = _evidence_state(evidence)
        changes = {k: [before[k], v] for k, v in after.items() if before[k] != v}
        if files:
            changes["files"] = [None, [f.name or "" for f in files]]
        if changes:
            record(
                user,
                agency,
                "oit.evidence.saved",
                obj=evidence,
                summary=f"{fiscal_year} {code}: {Status(status).label}",
                changes=changes,
            )
    return evidence


def delete_file(evidence_file: EvidenceFile, user: Any) -> None:
    """Remove an uploaded file (row and stored file) and log it."""
    evidence = evidence_file.evidence
    with transaction.atomic():
        name = str(evidence_file)
        record(
            user,
            evidence.agency,
            "oit.file.deleted",
            obj=evidence,
            summary=f"{evidence.fiscal_year} {evidence.code}: {name}",
            changes={"files": [[name], None]},
        )
        stored = evidence_file.file
        evidence_file.delete()
        transaction.on_commit(lambda: stored.delete(save=False))


def set_published(agency: Agency, fiscal_year: int, user: Any, published: bool) -> PublicPage:
    """Publish (or withdraw) the year's public page; the address stays the same."""
    with transaction.atomic():
        page, created = PublicPage.objects.get_or_create(
            agency=agency, fiscal_year=fiscal_year, defaults={"published": published}
        )
        if created or page.published != published:
            page.published = published
            page.save(update_fields=["published", "updated_at"])
            record(
                user,
                agency,
                "oit.page.published" if published else "oit.page.withdrawn",
                obj=page,
                summary=str(fiscal_year),
                changes={"published": [None if created else not published, published]},
            )
    return page


# --- checking links -------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One link of the registry as this run found it."""

    code: str
    link_id: int
    result: LinkResult
    previous: Previous | None
    change: Change
    year_checked: bool


@dataclass
class CheckRun:
    """The outcome of checking one agency's links of one fiscal year."""

    agency_id: int
    fiscal_year: int
    entries: list[Entry] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """Return the job result: counts per verdict and the broken, newly broken and fixed."""
        counts = Counter(e.result.verdict.value for e in self.entries)

        def listed(entries: Iterable[Entry]) -> list[dict[str, Any]]:
            return [
                {
                    "item": e.code,
                    "url": e.result.url,
                    "verdict": e.result.verdict.value,
                    "detail": e.result.detail,
                }
                for e in entries
            ]

        return {
            "agency": self.agency_id,
            "fiscal_year": self.fiscal_year,
            "checked": len(self.entries),
            "verdicts": {v.value: counts[v.value] for v in Verdict if counts[v.value]},
            "broken": listed(e for e in self.entries if e.result.broken),
            "newly_broken": listed(e for e in self.entries if e.change.newly_broken),
            "fixed": listed(e for e in self.entries if e.change.fixed),
        }

    def to_json(self) -> list[dict[str, Any]]:
        """Return ``ita oit check --agency --json``: the checker's object per link, and more."""
        out = []
        for e in self.entries:
            data = e.result.to_json()
            data.update(
                item=e.code,
                year_checked=e.year_checked,
                newly_broken=e.change.newly_broken,
                fixed=e.change.fixed,
                content_changed=e.change.content_changed,
            )
            out.append(data)
        return out


def links_of(agency: Agency, fiscal_year: int) -> list[EvidenceLink]:
    return list(
        EvidenceLink.objects.filter(evidence__agency=agency, evidence__fiscal_year=fiscal_year)
        .select_related("evidence")
        .order_by("evidence__pk", "position", "pk")
    )


def latest_year_with_links(agency: Agency) -> int | None:
    """Return the latest fiscal year for which the agency gave evidence addresses."""
    year: int | None = EvidenceLink.objects.filter(evidence__agency=agency).aggregate(
        year=Max("evidence__fiscal_year")
    )["year"]
    return year


def _year_items(fiscal_year: int) -> list[Item]:
    """Return the year's OIT items in the framework's order (none when no framework is loaded)."""
    try:
        fw = framework_for_year(fiscal_year).schema
    except LookupError:
        return []
    return [item for _ind, item in disclosure_entries(fw)]


def _run_groups(
    groups: Sequence[tuple[list[str], int | None]],
    progress: Progress | None,
    options: dict[str, Any],
) -> dict[tuple[str, bool], LinkResult]:
    """Check each group of addresses (with or without a year) one after the other.

    The checks run in a worker thread (an event loop of their own); progress is reported from
    this thread, so a progress function may use the database.
    """
    total = sum(len(urls) for urls, _year in groups)
    ready: queue.SimpleQueue[LinkResult] = queue.SimpleQueue()

    def work() -> dict[tuple[str, bool], LinkResult]:
        found: dict[tuple[str, bool], LinkResult] = {}
        for urls, year in groups:
            if urls:
                for result in run_checks(urls, fiscal_year=year, progress=ready.put, **options):
                    found[(result.url, year is not None)] = result
        return found

    done = 0

    def report(result: LinkResult) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total, result.url)

    if progress is not None:
        progress(0, total, "")
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="oit-check") as pool:
        future = pool.submit(work)
        while not future.done():
            try:
                report(ready.get(timeout=0.2))
            except queue.Empty:
                continue
        while not ready.empty():
            report(ready.get_nowait())
        return future.result()


def check_links(
    agency: Agency,
    fiscal_year: int,
    *,
    progress: Progress | None = None,
    job: Job | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    per_host: int = DEFAULT_PER_HOST,
    private: bool | None = None,
) -> CheckRun:
    """Check every evidence address of an agency's fiscal year and keep the results as history.

    The fiscal year is looked for only in the evidence of items that state a period (the
    framework's ``period_th``): a contact page or an organisation chart need not mention it.
    Addresses on private networks are refused unless ``private`` (default: the setting
    ``OIT_CHECK_PRIVATE_ADDRESSES``).
    """
    items = _year_items(fiscal_year)
    order = {item.code: index for index, item in enumerate(items)}
    links = sorted(
        links_of(agency, fiscal_year),
        key=lambda link: (order.get(link.evidence.code, len(order)), link.position, link.pk),
    )
    dated = {item.code for item in items if item.period_th}
    with_year = sorted({link.url for link in links if link.evidence.code in dated})
    without_year = sorted({link.url for link in links if link.evidence.code not in dated})
    results = _run_groups(
        [(with_year, fiscal_year), (without_year, None)],
        progress,
        {
            "timeout": timeout,
            "per_host": per_host,
            "private": settings.OIT_CHECK_PRIVATE_ADDRESSES if private is None else private,
        },
    )
    return store_results(agency, fiscal_year, links, results, dated, job)


def store_results(
    agency: Agency,
    fiscal_year: int,
    links: Sequence[EvidenceLink],
    results: dict[tuple[str, bool], LinkResult],
    dated: set[str],
    job: Job | None = None,
) -> CheckRun:
    """Keep one check per link and the link's latest state, comparing with the check before."""
    run = CheckRun(agency.pk, fiscal_year)
    with transaction.atomic():
        # Links removed or changed while the check ran are left out.
        current = {
            link.pk: link
            for link in EvidenceLink.objects.select_for_update().filter(
                pk__in=[link.pk for link in links]
            )
        }
        checks, updated = [], []
        for original in links:
            link = current.get(original.pk)
            if link is None or link.url != original.url:
                continue
            year_checked = original.evidence.code in dated
            result = results.get((link.url, year_checked))
            if result is None:
                continue
            previous = (
                Previous(Verdict(link.last_verdict), link.last_content_sha256 or None)
                if link.last_verdict
                else None
            )
            change = compare(result, previous)
            checks.append(_check_row(link, result, change, year_checked, job))
            link.last_verdict = result.verdict.value
            link.last_checked_at = result.checked_at
            link.last_content_sha256 = result.content_sha256 or ""
            link.newly_broken = change.newly_broken
            updated.append(link)
            run.entries.append(
                Entry(original.evidence.code, link.pk, result, previous, change, year_checked)
            )
        LinkCheck.objects.bulk_create(checks)
        EvidenceLink.objects.bulk_update(
            updated, ["last_verdict", "last_checked_at", "last_content_sha256", "newly_broken"]
        )
    return run


def _check_row(
    link: EvidenceLink, result: LinkResult, change: Change, year_checked: bool, job: Job | None
) -> LinkCheck:
    return LinkCheck(
        link=link,
        job=job,
        checked_at=result.checked_at,
        verdict=result.verdict.value,
        reason=result.reason or "",
        detail=result.detail,
        http_status=result.http_status,
        final_url=result.final_url or "",
        redirects=[{"url": h.url, "status": h.status} for h in result.redirects],
        content_type=(result.content_type or "")[:200],
        bytes_read=result.bytes_read,
        truncated=result.truncated,
        content_sha256=result.content_sha256 or "",
        elapsed_ms=result.elapsed_ms,
        year_checked=year_checked,
        newly_broken=change.newly_broken,
        fixed=change.fixed,
        content_changed=change.content_changed,
    )


# --- starting checks: on demand and on schedule ---------------------------------------------

# A check that has not finished after this long is taken for dead (a worker that stopped), so
# it no longer holds back a new one.
STALE_AFTER = dt.timedelta(hours=1)


def running_check(agency: Agency) -> Job | None:
    """Return the agency's link check that is waiting or running, if any."""
    return (
        Job.objects.filter(
            kind=CHECK_JOB,
            agency=agency,
            status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
            created_at__gte=timezone.now() - STALE_AFTER,
        )
        .order_by("-created_at")
        .first()
    )


def start_check(agency: Agency, fiscal_year: int, user: Any = None) -> Job:
    """Start a background link check of the agency's year, or return the one already running."""
    from ita.jobs.services import start

    running = running_check(agency)
    if running is not None:
        return running
    return start(CHECK_JOB, user=user, agency=agency, agency_id=agency.pk, fiscal_year=fiscal_year)


def start_scheduled_checks() -> list[Job]:
    """Start a link check for every agency with evidence addresses, for its latest such year."""
    jobs = []
    agencies = Agency.objects.filter(oit_evidence__links__isnull=False).distinct().order_by("pk")
    for agency in agencies:
        year = latest_year_with_links(agency)
        if year is not None and running_check(agency) is None:
            jobs.append(start_check(agency, year))
    return jobs
