"""The self-assessment panel of the dashboard, as a tag so ``assessments`` never imports surveys."""

from __future__ import annotations

from typing import Any

from django import template

from ita.scoring.engine import ScoreResult
from ita.surveys.results import dashboard_panel

register = template.Library()


@register.inclusion_tag("surveys/_panel.html")
def self_assessment_panel(
    agency: Any, assessment: Any, result: ScoreResult | None, access: Any
) -> dict[str, Any]:
    """Show the year's survey estimates next to the official results."""
    has_official = result is not None and any(v is not None for v in result.indicators.values())
    panel = dashboard_panel(agency, assessment.fiscal_year, result if has_official else None)
    return {
        "agency": agency,
        "year": assessment.fiscal_year,
        "panel": panel,
        "access": access,
        "has_official": has_official,
        "thai_digits": agency.thai_digits,
    }
