"""Panels the measures app contributes to other pages (so those apps need not import it)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from ita.measures.models import Plan
from ita.measures.services import overdue_steps

register = template.Library()


@register.inclusion_tag("measures/_overdue_panel.html")
def overdue_panel(assessment: Any) -> dict[str, Any]:
    """Flag the overdue steps of the same fiscal year's measures."""
    plan = Plan.objects.filter(agency=assessment.agency, fiscal_year=assessment.fiscal_year).first()
    steps = overdue_steps(plan, timezone.localdate()) if plan else []
    return {"overdue": steps, "agency": assessment.agency, "year": assessment.fiscal_year}
