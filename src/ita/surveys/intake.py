"""The public intake path: from a posted form to one stored row, cheaply and exactly once.

* The link is looked up once per process every few seconds (:func:`link_info`); what decides
  whether an answer may be stored — the link is active, the campaign open, a code required —
  is checked again by the INSERT itself, so a revoked link or a closed campaign never stores.
* A response's id is a keyed hash of the form's random submission key: a re-post of the same
  form hits ``ON CONFLICT DO NOTHING`` and is acknowledged without a second row.
* A one-time code is consumed by deleting its row in the transaction that stores the answers.
* Limits per client address are counted in the cache under a keyed hash of the address; the
  address itself is never stored, logged or put in the database.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import HttpRequest
from django.urls import reverse

from ita import ratelimit
from ita.middleware import RESPONDENT_PREFIX
from ita.ratelimit import keyed_hash
from ita.surveys.models import Campaign, CampaignLink, Channel, Response, State, Token
from ita.surveys.questionnaire import Questionnaire, for_framework
from ita.thai import to_arabic_digits

LINK_TTL = 10.0  # not-domain: seconds a process trusts what it read of a link (display only)
_LINK_CACHE_MAX = 10_000
FORM_COOKIE = "ita_survey"
DONE_COOKIE = "ita_survey_done"
COOKIE_PATH = RESPONDENT_PREFIX
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class Outcome(enum.Enum):
    STORED = "stored"
    DUPLICATE = "duplicate"  # the same form was stored before: acknowledge, store nothing
    NOT_ACCEPTING = "not_accepting"  # link revoked, campaign not open, or a code now required
    BAD_CODE = "bad_code"  # unknown or already used


# --- links --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkInfo:
    """What the public pages need to know about a link and its campaign."""

    slug: str
    active: bool
    campaign_id: int
    agency_name: str
    tool: str
    tool_name: str
    fiscal_year: int
    opens_on: dt.date
    closes_on: dt.date
    requires_code: bool
    questionnaire: Questionnaire | None  # None when the framework no longer matches
    thanks_url: str

    def state(self, today: dt.date) -> str:
        if not self.active:
            return "revoked"
        if today < self.opens_on:
            return State.SCHEDULED
        if today > self.closes_on:
            return State.CLOSED
        return State.OPEN


_LINKS: dict[str, tuple[float, LinkInfo | None]] = {}


def _load(slug: str) -> LinkInfo | None:
    link = (
        CampaignLink.objects.select_related("campaign__agency", "campaign__framework")
        .filter(slug=slug)
        .first()
    )
    if link is None:
        return None
    campaign: Campaign = link.campaign
    framework = campaign.framework
    form = None
    if campaign.layout_matches():
        form = for_framework(framework.sha256, framework.schema, framework.spec, campaign.tool)
    tool = campaign.tool_spec
    return LinkInfo(
        slug=link.slug,
        active=link.active,
        campaign_id=campaign.pk,
        agency_name=campaign.agency.name_th,
        tool=campaign.tool,
        tool_name=tool.name_th,
        fiscal_year=campaign.fiscal_year,
        opens_on=campaign.opens_on,
        closes_on=campaign.closes_on,
        requires_code=campaign.requires_code,
        questionnaire=form,
        thanks_url=reverse("survey-thanks", args=[link.slug]),
    )


SLUG_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,40}$")


def link_info(slug: str, fresh: bool = False) -> LinkInfo | None:
    """Return a link's campaign as this process last read it (at most LINK_TTL seconds ago)."""
    if not SLUG_PATTERN.match(slug):  # never a link of ours: no need to ask the database
        return None
    now = time.monotonic()
    hit = _LINKS.get(slug)
    if hit is not None and hit[0] > now and not fresh:
        return hit[1]
    info = _load(slug)
    if len(_LINKS) >= _LINK_CACHE_MAX:
        _LINKS.clear()
    _LINKS[slug] = (now + LINK_TTL, info)
    return info


def forget_links() -> None:
    """Forget what this process read about links (after a change made here)."""
    _LINKS.clear()


# --- the client, without keeping who it is ------------------------------------------------

# The address is found as for the login (behind a trusted proxy, the one it appended last) and
# counted in the cache only, under a keyed hash (ita.ratelimit): it is never stored or logged.
client_address = ratelimit.client_address


def take(kind: str, campaign_id: int, address: str, limit: tuple[int, int]) -> bool:
    """Count one event for an address; return False once its limit in the window is passed."""
    return ratelimit.take(f"survey-{kind}", limit, campaign_id, address)


def exhausted(kind: str, campaign_id: int, address: str, limit: tuple[int, int]) -> bool:
    """Return whether an address has used up a limit (without counting anything)."""
    return ratelimit.exhausted(f"survey-{kind}", limit, campaign_id, address)


_FORM_SIGNER = signing.Signer(salt="ita.surveys.form")
# Form cookies whose signature this process has checked: a cookie says only the second a form was
# first opened, so everyone who opened one in the same second sends the same value.
_VERIFIED_FORM_COOKIES: dict[str, int] = {}
_VERIFIED_FORM_COOKIES_MAX = 10_000


def form_cookie(now: float) -> str:
    """Return the form cookie: when the form was first opened, signed; the same for everyone."""
    return _FORM_SIGNER.sign(str(int(now)))


def form_age(request: HttpRequest, now: float) -> float | None:
    """Return how many seconds ago the visitor's browser first opened a form; None without one."""
    value = request.COOKIES.get(FORM_COOKIE)
    if not value:
        return None
    issued = _VERIFIED_FORM_COOKIES.get(value)
    if issued is None:
        try:
            issued = int(_FORM_SIGNER.unsign(value))
        except (signing.BadSignature, ValueError):
            return None
        if len(_VERIFIED_FORM_COOKIES) >= _VERIFIED_FORM_COOKIES_MAX:
            _VERIFIED_FORM_COOKIES.clear()
        _VERIFIED_FORM_COOKIES[value] = issued
    return now - issued


def answered_here(request: HttpRequest) -> set[str]:
    """Return the campaigns this browser has sent answers to (a hint, kept on the device)."""
    return set(request.COOKIES.get(DONE_COOKIE, "").split("."))


# --- one-time codes -----------------------------------------------------------------------

_NOT_CODE = re.compile(r"[^0-9A-Z]")


def normalize_code(text: str) -> str:
    """Return a code as issued: ``" abcde-fghjk "`` → ``"ABCDEFGHJK"``."""
    return _NOT_CODE.sub("", to_arabic_digits(text).upper())


def code_digest(campaign_id: int, code: str) -> str:
    """Return the keyed hash a code is stored as (the code itself is never stored)."""
    return keyed_hash("ita.surveys.code", f"{campaign_id}:{normalize_code(code)}").hexdigest()


# --- storing ------------------------------------------------------------------------------


def submission_id(campaign_id: int, key: str) -> uuid.UUID:
    """Return the id a form's answers are stored under: a keyed hash of its submission key."""
    digest = keyed_hash("ita.surveys.submission", f"{campaign_id}:{key}").digest()
    return uuid.UUID(bytes=digest[:16])


@functools.lru_cache(maxsize=8)
def _sql(template: str, vendor: str) -> str:
    """Return a statement with this database's quoted table names (worked out once)."""
    q = connections[DEFAULT_DB_ALIAS].ops.quote_name
    return template.format(
        response=q(Response._meta.db_table),
        link=q(CampaignLink._meta.db_table),
        campaign=q(Campaign._meta.db_table),
        token=q(Token._meta.db_table),
        online=int(Channel.ONLINE),
    )


# Named parameters: each value is converted once however often the statement uses it; what is
# the same for every answer sent through a link (channel, not yet released) is written in.
_BY_LINK = (
    "INSERT INTO {response} (id, campaign_id, answers, channel, submitted_on, released) "
    "SELECT %(id)s, c.id, %(answers)s, {online}, %(day)s, FALSE "
    "FROM {link} l JOIN {campaign} c ON c.id = l.campaign_id "
    "WHERE l.slug = %(slug)s AND l.active AND c.opens_on <= %(day)s AND c.closes_on >= %(day)s "
    "AND c.requires_code = %(code)s ON CONFLICT (id) DO NOTHING"
)
_EXISTS = "SELECT 1 FROM {response} WHERE id = %s"
_USE_CODE = "DELETE FROM {token} WHERE digest = %s"
_BY_CAMPAIGN = (
    "INSERT INTO {response} (id, campaign_id, answers, channel, submitted_on, released) "
    "SELECT %(id)s, c.id, %(answers)s, %(channel)s, %(day)s, FALSE FROM {campaign} c "
    "WHERE c.id = %(campaign)s AND c.opens_on <= %(day)s AND c.closes_on >= %(day)s "
    "ON CONFLICT (id) DO NOTHING"
)


def _execute(template: str, params: dict[str, Any] | list[Any]) -> int:
    """Run one statement; return how many rows it changed.

    On PostgreSQL the statement is prepared once per connection (a server-side binding cursor of
    the connection Django manages, so transactions are Django's): the INSERT's join is planned
    once, not for every answer.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    sql = _sql(template, connection.vendor)
    if connection.vendor == "postgresql":
        import psycopg

        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(sql, params, prepare=True)
            return int(cursor.rowcount)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def _db_id(pk: uuid.UUID) -> Any:
    return Response._meta.pk.get_db_prep_value(pk, connections[DEFAULT_DB_ALIAS])


def _db_day(today: dt.date) -> Any:
    return connections[DEFAULT_DB_ALIAS].ops.adapt_datefield_value(today)


def _exists(pk: uuid.UUID) -> bool:
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute(_sql(_EXISTS, connection.vendor), [_db_id(pk)])
        return cursor.fetchone() is not None


def store_by_link(
    info: LinkInfo, answers: bytes, key: str, today: dt.date, code: str | None = None
) -> Outcome:
    """Store answers sent through a public link: one statement, or one transaction with a code."""
    pk = submission_id(info.campaign_id, key)
    params = {
        "id": _db_id(pk),
        "answers": answers,
        "day": _db_day(today),
        "slug": info.slug,
        "code": code is not None,
    }
    if code is None:
        if _execute(_BY_LINK, params) == 1:
            return Outcome.STORED
        return Outcome.DUPLICATE if _exists(pk) else Outcome.NOT_ACCEPTING
    with transaction.atomic():
        if _execute(_BY_LINK, params) != 1:
            return Outcome.DUPLICATE if _exists(pk) else Outcome.NOT_ACCEPTING
        used = _execute(_USE_CODE, [code_digest(info.campaign_id, code)])
        if used != 1:
            transaction.set_rollback(True)
            return Outcome.BAD_CODE
    return Outcome.STORED


def store_for_campaign(
    campaign_id: int, answers: bytes, channel: int, key: str, today: dt.date
) -> Outcome:
    """Store answers entered by an interviewer (the campaign must be open)."""
    pk = submission_id(campaign_id, key)
    params = {
        "id": _db_id(pk),
        "answers": answers,
        "channel": int(channel),
        "day": _db_day(today),
        "campaign": campaign_id,
    }
    if _execute(_BY_CAMPAIGN, params) == 1:
        return Outcome.STORED
    return Outcome.DUPLICATE if _exists(pk) else Outcome.NOT_ACCEPTING
