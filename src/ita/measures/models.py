from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ita.agencies.models import Agency, ResponsibleUnit
from ita.assessments.models import Assessment
from ita.thai import format_months, format_quarters


class IssueMapping(models.Model):
    """An agency's own choice of the questions behind one issue in one fiscal year."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="issue_mappings")
    fiscal_year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField()
    items = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "fiscal_year", "number"], name="one_mapping_per_issue"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.fiscal_year} ({self.number}): {', '.join(self.items)}"


class Plan(models.Model):
    """The measures of one agency for one fiscal year (the year the measures run)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="plans")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year of the measures"))
    # The assessment whose results the measures answer; agencies label this differently
    # (DOMAIN.md §2: the same year's ITA, or last year's), so it is stored explicitly.
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="plans"
    )
    intro = models.TextField(_("introduction"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "fiscal_year"], name="one_plan_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.fiscal_year}"


class PlanIssue(models.Model):
    """One issue (ประเด็น) of a plan: the questions and findings behind it, and its limitations."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="issues")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    # The questions as they stood when the issue entered the plan: code, text, score, finding.
    items = models.JSONField(default=list, blank=True)
    limitations = models.JSONField(default=list, blank=True)  # ข้อจำกัดของหน่วยงาน, one per entry

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_issue_per_plan")
        ]

    def __str__(self) -> str:
        return f"({self.number}) {self.title}"


class Measure(models.Model):
    """A measure, project or activity of the plan, under one issue."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    issue_number = models.PositiveSmallIntegerField(_("issue"))
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("measure or activity"), max_length=500)
    quarter_first = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    quarter_last = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    month_start = models.DateField(null=True, blank=True)
    month_end = models.DateField(null=True, blank=True)
    period_text = models.CharField(_("period, in words"), max_length=200, blank=True)
    units = models.ManyToManyField(ResponsibleUnit, blank=True, related_name="measures")
    target_output = models.TextField(_("target output"), blank=True)
    target_indicator = models.TextField(_("indicator of success"), blank=True)
    budget = models.DecimalField(
        _("budget (baht)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    follow_up = models.TextField(_("follow-up"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["issue_number", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    def period_label(self, thai_digits: bool = False) -> str:
        """Return the period as documents write it: ``ไตรมาส 1-4`` or ``ต.ค. 67 - ก.ย. 68``."""
        if self.quarter_first:
            return format_quarters(self.quarter_first, self.quarter_last, thai_digits=thai_digits)
        if self.month_start:
            return format_months(self.month_start, self.month_end, thai_digits=thai_digits)
        return self.period_text


class Step(models.Model):
    """An ordered step of a measure, with an optional due date."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("step"))
    due = models.DateField(_("due"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def is_overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.done_on is None and self.due < today


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class Progress(models.Model):
    """A progress update on a measure (or one of its steps)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="progress")
    step = models.ForeignKey(
        Step, null=True, blank=True, on_delete=models.SET_NULL, related_name="progress"
    )
    on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    percent = models.PositiveSmallIntegerField(
        _("percent done"), validators=[MaxValueValidator(100)], default=0
    )
    output = models.TextField(_("output achieved"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    problems = models.TextField(_("problems and obstacles"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.measure} {self.on}: {self.status} {self.percent}%"


def evidence_path(instance: Evidence, filename: str) -> str:
    plan = instance.progress.measure.plan
    return f"evidence/{plan.agency_id}/{plan.fiscal_year}/{filename}"


class Evidence(models.Model):
    """Proof of a result: a link (usually on the agency's website) or an uploaded file."""

    progress = models.ForeignKey(Progress, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("title"), max_length=300, blank=True)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_path, blank=True)

    def __str__(self) -> str:
        return self.title or self.url or self.file.name or ""


class SnapshotKind(models.TextChoices):
    SIX_MONTHS = "six_months", _("six-month report (October–March)")
    ANNUAL = "annual", _("annual report")


class PlanSnapshot(models.Model):
    """The plan and its progress frozen as reported at one time (six-month or annual report)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="snapshots")
    kind = models.CharField(max_length=16, choices=SnapshotKind.choices)
    taken_at = models.DateTimeField(auto_now_add=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField()

    class Meta:
        ordering = ["-taken_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.plan} {self.kind} {self.taken_at:%Y-%m-%d}"
