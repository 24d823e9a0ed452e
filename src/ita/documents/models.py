from __future__ import annotations

from django.conf import settings
from django.db import models

from ita.assessments.models import Assessment


class ReportDraft(models.Model):
    """What an agency changed in the drafted analysis report of one assessment."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="report_draft"
    )
    overrides = models.JSONField(default=dict, blank=True)  # paragraph key → edited text
    weak_indicators = models.JSONField(null=True, blank=True)  # None: every one below the pass mark
    guidelines = models.JSONField(null=True, blank=True)  # None: the knowledge base's
    assessor_notes = models.JSONField(default=dict, blank=True)  # tool code → notes
    report_date = models.DateField(null=True, blank=True)
    appendix_plan_year = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"report of {self.assessment}"
