"""Campaigns, links, one-time codes, interviews, and the release and mixing of responses."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from ita.agencies.models import Agency
from ita.assessments.services import framework_for_year
from ita.audit.models import record
from ita.surveys import intake
from ita.surveys.models import (
    Campaign,
    CampaignLink,
    Channel,
    InterviewTally,
    Response,
    Token,
    TokenBatch,
    current_layout,
)

# One-time codes: no 0/O, 1/I/L to misread on a printed slip; 10 characters ≈ 49.5 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10  # not-domain: characters of a code
CODE_GROUP = 5  # printed as ABCDE-FGHJK
MAX_CODES_PER_BATCH = 500
_SYSTEM_RANDOM = secrets.SystemRandom()


class SurveyError(ValueError):
    """A request the surveys app refuses; the message is for the user."""


# --- campaigns and links ------------------------------------------------------------------


def new_slug() -> str:
    """Return an unguessable link name (96 random bits)."""
    return secrets.token_urlsafe(12)


def perception_tools(year: int) -> list[str]:
    """Return the codes of the tools a survey can be run for in a fiscal year."""
    spec = framework_for_year(year).spec
    return [t.code for t in spec.perception_tools()]


def start_campaign(
    agency: Agency,
    year: int,
    tool: str,
    *,
    opens_on: dt.date,
    closes_on: dt.date,
    user: Any,
    population: int | None = None,
    requires_code: bool = False,
    min_group_size: int | None = None,
) -> Campaign:
    """Create a campaign with its first public link."""
    framework = framework_for_year(year)
    spec = framework.spec
    if tool not in {t.code for t in spec.perception_tools()}:
        raise SurveyError(f"{tool} is not a perception tool of {year}")
    with transaction.atomic():
        campaign = Campaign(
            agency=agency,
            fiscal_year=year,
            tool=tool,
            framework=framework,
            layout=current_layout(spec, tool),
            opens_on=opens_on,
            closes_on=closes_on,
            population=population,
        )
        if min_group_size is not None:
            campaign.min_group_size = min_group_size
        campaign.requires_code = requires_code and campaign.is_internal
        campaign.save()
        CampaignLink.objects.create(campaign=campaign, slug=new_slug())
        record(
            user,
            agency,
            "survey.created",
            obj=campaign,
            summary=f"{tool} {year}: {opens_on}–{closes_on}",
        )
    return campaign


def active_link(campaign: Campaign) -> CampaignLink | None:
    return campaign.links.filter(active=True).first()


def revoke_link(campaign: Campaign, user: Any) -> None:
    """Withdraw the public link: it answers politely that it is no longer in use."""
    with transaction.atomic():
        changed = campaign.links.filter(active=True).update(active=False, revoked_at=timezone.now())
        if changed:
            record(
                user, campaign.agency, "survey.link_revoked", obj=campaign, summary=str(campaign)
            )
    intake.forget_links()


def replace_link(campaign: Campaign, user: Any) -> CampaignLink:
    """Withdraw the public link and make a new one (a poster went somewhere it should not)."""
    with transaction.atomic():
        campaign.links.filter(active=True).update(active=False, revoked_at=timezone.now())
        link = CampaignLink.objects.create(campaign=campaign, slug=new_slug())
        record(user, campaign.agency, "survey.link_replaced", obj=campaign)
    intake.forget_links()
    return link


def update_campaign(campaign: Campaign, user: Any, changes: dict[str, list[str]]) -> None:
    """Record a change of dates or settings (the form saved the campaign)."""
    if not campaign.is_internal:
        campaign.requires_code = False
        campaign.save(update_fields=["requires_code"])
    if changes:
        record(user, campaign.agency, "survey.updated", obj=campaign, changes=changes)
    intake.forget_links()


# --- one-time codes -----------------------------------------------------------------------

normalize_code = intake.normalize_code
code_digest = intake.code_digest


def format_code(code: str) -> str:
    return "-".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def issue_codes(campaign: Campaign, count: int, user: Any) -> list[str]:
    """Create one-time codes and return their plain text, which is not kept anywhere."""
    if not campaign.is_internal:
        raise SurveyError("one-time codes are for surveys of the agency's own staff")
    if not 1 <= count <= MAX_CODES_PER_BATCH:
        raise SurveyError(f"between 1 and {MAX_CODES_PER_BATCH} codes at a time")
    codes: dict[str, str] = {}
    while len(codes) < count:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        codes[code_digest(campaign.pk, code)] = code
    with transaction.atomic():
        batch = TokenBatch.objects.create(
            campaign=campaign, issued=count, created_by=user if user.is_authenticated else None
        )
        Token.objects.bulk_create([Token(digest=d, batch=batch) for d in codes])
        record(user, campaign.agency, "survey.codes_issued", obj=campaign, summary=f"{count}")
    return [format_code(c) for c in codes.values()]


@dataclass(frozen=True)
class CodeCount:
    issued: int
    unused: int

    @property
    def used(self) -> int:
        return self.issued - self.unused


def code_counts(campaign: Campaign) -> CodeCount:
    issued = sum(b.issued for b in campaign.token_batches.all())
    unused = Token.objects.filter(batch__campaign=campaign).count()
    return CodeCount(issued, unused)


def genuine_codes(campaign: Campaign, codes: Sequence[str]) -> list[str]:
    """Return the codes of a list that are unused codes of this campaign (for printing slips)."""
    digests = {code_digest(campaign.pk, c): c for c in codes}
    found = set(
        Token.objects.filter(batch__campaign=campaign, digest__in=list(digests)).values_list(
            "digest", flat=True
        )
    )
    return [format_code(normalize_code(c)) for d, c in digests.items() if d in found]


# --- interviews ---------------------------------------------------------------------------


def store_interview(
    campaign: Campaign, answers: bytes, channel: int, key: str, user: Any
) -> intake.Outcome:
    """Store one interview's answers (idempotent on the form's key) and count it for the user."""
    if channel not in (Channel.TELEPHONE, Channel.IN_PERSON):
        raise SurveyError("an interview is by telephone or in person")
    today = timezone.localdate()
    with transaction.atomic():
        outcome = intake.store_for_campaign(campaign.pk, answers, channel, key, today)
        if outcome is intake.Outcome.STORED:
            tally, _created = InterviewTally.objects.get_or_create(
                campaign=campaign,
                interviewer=user,
                day=today,
                channel=channel,
                defaults={"username": user.get_username()},
            )
            InterviewTally.objects.filter(pk=tally.pk).update(entered=F("entered") + 1)
    return outcome


# --- release and mixing -------------------------------------------------------------------


def _rewrite(rows: list[tuple[Any, ...]], campaign_id: int, released: bool, rekey: bool) -> None:
    """Insert rows again in random order (new row positions, one transaction id for all)."""
    _SYSTEM_RANDOM.shuffle(rows)
    Response.objects.bulk_create(
        [
            Response(
                id=uuid.uuid4() if rekey else pk,
                campaign_id=campaign_id,
                answers=bytes(answers),
                channel=channel,
                submitted_on=day,
                released=released,
            )
            for pk, answers, channel, day in rows
        ]
    )


def release(campaign: Campaign) -> int:
    """Release waiting responses to results once there are at least the smallest group of them.

    After the campaign closes, whatever waits is released. Released rows are written again in
    random order. Returns how many were released.
    """
    with transaction.atomic():
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        waiting = Response.objects.filter(campaign=campaign, released=False)
        count = waiting.count()
        closed = campaign.state(timezone.localdate()) == "closed"
        if count == 0 or (count < campaign.min_group_size and not closed):
            return 0
        rows = list(waiting.values_list("id", "answers", "channel", "submitted_on"))
        waiting.delete()
        _rewrite(rows, campaign.pk, released=True, rekey=False)
    return count


@dataclass(frozen=True)
class MixReport:
    campaigns: int
    released: int
    rekeyed: int
    shuffled: int


def mix(today: dt.date | None = None, vacuum: bool = True) -> MixReport:
    """Erase what row order, row ids and transaction ids say about when answers arrived.

    For each campaign: release what can be released; give rows older than the retry window a
    new random id; write every row again in random order. Then VACUUM (PostgreSQL) or VACUUM
    and checkpoint (SQLite) so that no dead copy keeps the old order or a used code.
    """
    from django.conf import settings

    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=settings.SURVEYS_RETRY_DAYS)
    released = rekeyed = shuffled = 0
    campaign_ids = list(Response.objects.values_list("campaign", flat=True).distinct())
    for campaign in Campaign.objects.filter(pk__in=campaign_ids):
        released += release(campaign)
        with transaction.atomic():
            Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
            for flag in (True, False):
                rows = Response.objects.filter(campaign=campaign, released=flag)
                old = list(
                    rows.filter(submitted_on__lt=cutoff).values_list(
                        "id", "answers", "channel", "submitted_on"
                    )
                )
                recent = list(
                    rows.filter(submitted_on__gte=cutoff).values_list(
                        "id", "answers", "channel", "submitted_on"
                    )
                )
                rows.delete()
                _rewrite(old, campaign.pk, released=flag, rekey=True)
                _rewrite(recent, campaign.pk, released=flag, rekey=False)
                rekeyed += len(old)
                shuffled += len(old) + len(recent)
    if vacuum:
        _vacuum()
    return MixReport(len(campaign_ids), released, rekeyed, shuffled)


def _vacuum() -> None:
    if connection.in_atomic_block:  # VACUUM cannot run inside a transaction
        return
    tables = [Response._meta.db_table, Token._meta.db_table]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in tables:
                cursor.execute(f"VACUUM {connection.ops.quote_name(table)}")
        elif connection.vendor == "sqlite":
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
