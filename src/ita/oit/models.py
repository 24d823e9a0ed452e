"""The evidence registry: each OIT item's evidence per agency and fiscal year, and link history."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ita.agencies.models import Agency, ResponsibleUnit
from ita.oit.checker import Verdict


class Status(models.TextChoices):
    """Where the agency is with one item; ready and submitted items count as passing."""

    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    READY = "ready", _("ready")
    SUBMITTED = "submitted", _("submitted to ITAS")


READY_STATUSES = frozenset({Status.READY, Status.SUBMITTED})


class ItemEvidence(models.Model):
    """The evidence of one OIT item of one agency in one fiscal year."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="oit_evidence")
    fiscal_year = models.PositiveSmallIntegerField(help_text="Buddhist era")
    code = models.CharField(max_length=8)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED
    )
    unit = models.ForeignKey(
        ResponsibleUnit,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="oit_evidence",
    )
    explanation = models.TextField(_("explanation for ITAS"), blank=True)
    notes = models.TextField(_("internal notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "fiscal_year", "code"], name="one_evidence_per_oit_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.fiscal_year} {self.code}"


class EvidenceLink(models.Model):
    """One address given as evidence of an item; its checks are its history.

    The latest check is repeated here (``last_verdict``, ``newly_broken``) so that lists and
    the dashboard need no subquery; ``store_results`` keeps both in one transaction.
    """

    evidence = models.ForeignKey(ItemEvidence, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(max_length=1000)
    position = models.PositiveSmallIntegerField(default=0)
    last_verdict = models.CharField(max_length=16, blank=True)  # "" = never checked
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_content_sha256 = models.CharField(max_length=64, blank=True)
    newly_broken = models.BooleanField(default=False)  # ok at the check before, not ok now

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evidence", "url"], name="one_link_per_address")
        ]

    def __str__(self) -> str:
        return self.url

    @property
    def checked(self) -> bool:
        return bool(self.last_verdict)

    @property
    def broken(self) -> bool:
        return self.checked and self.last_verdict != Verdict.OK


class LinkCheck(models.Model):
    """What one check of an address found (``ita.oit.checker.LinkResult`` as a row)."""

    link = models.ForeignKey(EvidenceLink, on_delete=models.CASCADE, related_name="checks")
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField()
    verdict = models.CharField(max_length=16, choices=[(v.value, v.value) for v in Verdict])
    reason = models.CharField(max_length=40, blank=True)
    detail = models.TextField(blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.TextField(blank=True)
    redirects = models.JSONField(default=list, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    bytes_read = models.PositiveIntegerField(default=0)
    truncated = models.BooleanField(default=False)
    content_sha256 = models.CharField(max_length=64, blank=True)
    elapsed_ms = models.PositiveIntegerField(default=0)
    year_checked = models.BooleanField(default=False)  # the fiscal year was looked for
    newly_broken = models.BooleanField(default=False)
    fixed = models.BooleanField(default=False)
    content_changed = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-checked_at", "-pk"]
        indexes = [models.Index(fields=["link", "-checked_at"], name="oit_check_latest")]

    def __str__(self) -> str:
        return f"{self.link} {self.verdict} {self.checked_at:%Y-%m-%d %H:%M}"

    @property
    def broken(self) -> bool:
        return self.verdict != Verdict.OK


def evidence_file_path(instance: EvidenceFile, filename: str) -> str:
    evidence = instance.evidence
    return f"oit/{evidence.agency_id}/{evidence.fiscal_year}/{evidence.code}/{filename}"


class EvidenceFile(models.Model):
    """A file kept with an item (a copy of the document, a screenshot); never published."""

    evidence = models.ForeignKey(ItemEvidence, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(_("title"), max_length=300, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_file_path)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title or self.file.name or ""


def new_token() -> str:
    return secrets.token_urlsafe(18)


class PublicPage(models.Model):
    """An agency's choice to publish its OIT links of one year at an unguessable address.

    The address (``token``) stays the same when the page is withdrawn and published again, so
    a link on the agency's website keeps working; withdrawn, it answers 404.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="oit_public_pages")
    fiscal_year = models.PositiveSmallIntegerField(help_text="Buddhist era")
    token = models.CharField(max_length=40, unique=True, default=new_token)
    published = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "fiscal_year"], name="one_public_oit_page_per_year"
            )
        ]

    def __str__(self) -> str:
        state = "published" if self.published else "withdrawn"
        return f"{self.agency} {self.fiscal_year} ({state})"
