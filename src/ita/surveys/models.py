"""Campaigns, their public links and one-time codes, and anonymous responses.

The response table is anonymous by construction: its columns are the campaign, the answers (one
byte per answer field, the option chosen), the channel, the day and whether the row has been
released to results. No user, address, browser, code, key or time of day, and a primary key that
says nothing about arrival order. ``tests/test_surveys_anonymity.py`` pins the columns.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ita.agencies.models import Agency
from ita.catalog.models import Framework
from ita.catalog.schema import Framework as FrameworkSchema
from ita.catalog.schema import SamplingRule
from ita.scoring.spec import ScoringSpec, ToolSpec


def default_min_group_size() -> int:
    """Return the installation's smallest group shown in results and exports."""
    return int(settings.SURVEYS_MIN_GROUP_SIZE)


class Channel(models.IntegerChoices):
    """How an answer reached us."""

    ONLINE = 1, _("online, by the respondent")
    TELEPHONE = 2, _("telephone interview")
    IN_PERSON = 3, _("in-person interview")


class State(models.TextChoices):
    SCHEDULED = "scheduled", _("not open yet")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class Campaign(models.Model):
    """One agency's self-assessment survey of one perception tool in one fiscal year."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="survey_campaigns")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), help_text="Buddhist era")
    tool = models.CharField(_("tool"), max_length=8)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    # The answer columns as they were when the campaign started: [item code, options] each,
    # in ScoringSpec.fields(tool) order. Stored answers are read with this layout.
    layout = models.JSONField()
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    population = models.PositiveIntegerField(
        _("population"),
        null=True,
        blank=True,
        help_text=_("How many people the survey is for (staff, or service users this year)."),
    )
    requires_code = models.BooleanField(_("one-time codes required"), default=False)
    min_group_size = models.PositiveSmallIntegerField(
        _("smallest group shown"),
        default=default_min_group_size,
        validators=[MinValueValidator(1)],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency", "-fiscal_year", "tool"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "fiscal_year", "tool"], name="one_campaign_per_tool_and_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.tool} {self.fiscal_year}"

    @property
    def spec(self) -> ScoringSpec:
        return self.framework.spec

    @property
    def schema(self) -> FrameworkSchema:
        return self.framework.schema

    @property
    def tool_spec(self) -> ToolSpec:
        return self.spec.tool(self.tool)

    def state(self, today: dt.date) -> str:
        if today < self.opens_on:
            return State.SCHEDULED
        if today > self.closes_on:
            return State.CLOSED
        return State.OPEN

    @functools.cached_property
    def sampling_rule(self) -> SamplingRule | None:
        sampling = self.schema.sampling
        if sampling is None:
            return None
        return next((r for r in sampling.rules if r.tool == self.tool), None)

    @property
    def audience(self) -> str | None:
        """Return ``internal`` (staff), ``external`` (service users) or None when unknown."""
        rule = self.sampling_rule
        return rule.audience if rule else None

    @property
    def is_internal(self) -> bool:
        return self.audience == "internal"

    @property
    def allows_interviews(self) -> bool:
        return self.audience == "external"

    def minimum_sample(self) -> int | None:
        rule = self.sampling_rule
        return rule.minimum_for(self.population) if rule else None

    def layout_matches(self) -> bool:
        """Return whether the framework still has the answer columns the campaign started with."""
        return bool(self.layout == current_layout(self.spec, self.tool))


def current_layout(spec: ScoringSpec, tool: str) -> list[list[Any]]:
    """Return the answer columns of a tool: [item code, number of options] each."""
    return [[f.item, len(f.values)] for f in spec.fields(tool)]


class CampaignLink(models.Model):
    """A public address of a campaign: /s/<slug>/. Replacing one revokes it and makes another."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="links")
    slug = models.CharField(max_length=40, unique=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign"],
                condition=models.Q(active=True),
                name="one_active_link_per_campaign",
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} /s/{self.slug}/"


class TokenBatch(models.Model):
    """One-time codes issued together; their plain text exists only on the printed slips."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="token_batches")
    issued = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.issued} codes"


class Token(models.Model):
    """An unused one-time code (a keyed hash of it). Using it deletes the row."""

    digest = models.CharField(max_length=64, primary_key=True)
    batch = models.ForeignKey(TokenBatch, on_delete=models.CASCADE, related_name="tokens")

    def __str__(self) -> str:
        return "unused code"


class Response(models.Model):
    """One anonymous set of answers. Nothing here says who, from where, or when in the day."""

    # A keyed hash of the form's submission key while a retry is possible (so a re-post is
    # stored once), replaced by a random one when the rows are mixed (see services.mix).
    id = models.UUIDField(primary_key=True)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="responses", db_index=False
    )
    # One byte per answer column of the campaign's layout: the index of the option chosen.
    answers = models.BinaryField()
    channel = models.PositiveSmallIntegerField(choices=Channel.choices)
    submitted_on = models.DateField()
    # Rows reach results and exports in batches of at least the campaign's smallest group,
    # so the difference between two looks at the results is never one person.
    released = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["campaign", "released"], name="response_campaign_released")]

    def __str__(self) -> str:
        return "anonymous response"


class InterviewTally(models.Model):
    """How many interviews a person entered for a campaign on a day, by channel.

    Interviewers are accountable for how many answers they entered, never for which: this
    table has no link to any response (docs/security.md).
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tallies")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150)  # kept if the account is deleted
    day = models.DateField()
    channel = models.PositiveSmallIntegerField(choices=Channel.choices)
    entered = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "username", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "interviewer", "day", "channel"], name="one_tally_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.day}: {self.entered}"
