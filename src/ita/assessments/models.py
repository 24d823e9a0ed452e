from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ita.agencies.models import Agency
from ita.catalog.models import Framework
from ita.scoring.engine import OfficialScores


class Assessment(models.Model):
    """One agency's ITA in one fiscal year, bound to that year's framework."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="assessments")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), help_text="Buddhist era")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    published_total = models.DecimalField(
        _("published total"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    published_level = models.CharField(_("published level"), max_length=40, blank=True)
    # The current result (the latest snapshot's), kept here for lists and supervision views.
    total = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    level = models.CharField(max_length=40, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agency", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "fiscal_year"], name="one_assessment_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.fiscal_year}"

    def official_scores(self) -> OfficialScores:
        """Return the stored official scores as engine input."""
        indicators = {s.number: float(s.score) for s in self.indicator_scores.all()}
        items: dict[str, float] = {}
        findings: dict[str, float] = {}
        for row in self.item_scores.all():
            if row.score is not None:
                items[row.code] = float(row.score)
            if row.finding is not None:
                findings[row.code] = float(row.finding)
        total = float(self.published_total) if self.published_total is not None else None
        return OfficialScores(
            indicators=indicators,
            items=items,
            findings=findings,
            total=total,
            level=self.published_level or None,
        )


class IndicatorScore(models.Model):
    """An official indicator score (0–100, two decimals)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="indicator_scores"
    )
    number = models.PositiveSmallIntegerField()
    score = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="one_score_per_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.assessment} ตัวชี้วัดที่ {self.number}: {self.score}"


class ItemScore(models.Model):
    """An official item result: IIT/EIT score and finding, or an OIT item's answer and score."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="item_scores")
    code = models.CharField(max_length=8)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    finding = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="percent unfavourable"
    )
    present = models.BooleanField(null=True, blank=True, help_text="OIT: มี (True) / ไม่มี (False)")
    remark = models.TextField(blank=True, help_text="OIT: the assessor's remark")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "code"], name="one_result_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.code}: {self.score}"


class Source(models.TextChoices):
    FORM = "form", _("form")
    UPLOAD = "upload", _("file upload")
    IMPORT = "import", _("document import")
    SURVEY = "survey", _("self-assessment survey")
    DEMO = "demo", _("demonstration data")
    RECOMPUTE = "recompute", _("recomputation")


class Snapshot(models.Model):
    """What the engine computed at one save: engine version, inputs and outputs."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="snapshots")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    engine_version = models.CharField(max_length=20)
    framework_sha256 = models.CharField(max_length=64)
    inputs = models.JSONField()
    outputs = models.JSONField()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.assessment} @ {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def total(self) -> Decimal | None:
        value: Any = self.outputs.get("total")
        return None if value is None else Decimal(str(value))
