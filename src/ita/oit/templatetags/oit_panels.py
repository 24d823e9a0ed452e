"""The OIT panel of the assessment dashboard and the labels of link verdicts and item states.

The dashboard loads these tags by name, so the assessments app never imports ``ita.oit``.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from ita.oit.checker import Verdict
from ita.oit.services import State, build_checklist

register = template.Library()

VERDICT_LABELS = {
    Verdict.OK: _("works"),
    Verdict.NOT_FOUND: _("not found"),
    Verdict.SERVER_ERROR: _("website error"),
    Verdict.SOFT_404: _("a 'not found' page"),
    Verdict.TIMEOUT: _("too slow"),
    Verdict.TLS_ERROR: _("HTTPS certificate refused"),
    Verdict.EMPTY: _("empty"),
    Verdict.WRONG_YEAR: _("wrong fiscal year"),
    Verdict.UNREACHABLE: _("cannot be reached"),
}

STATE_LABELS = {
    State.READY: _("ready"),
    State.BROKEN: _("broken link"),
    State.MISSING: _("missing"),
}


@register.filter
def verdict_label(verdict: str) -> str:
    """Return the readable name of a link check's verdict ("" before the first check)."""
    if not verdict:
        return str(_("not checked yet"))
    try:
        return str(VERDICT_LABELS[Verdict(verdict)])
    except ValueError:
        return verdict


@register.filter
def state_label(state: str) -> str:
    """Return the readable name of an item's state (ready, broken link, missing)."""
    try:
        return str(STATE_LABELS[State(state)])
    except ValueError:
        return state


@register.inclusion_tag("oit/_panel.html")
def oit_panel(assessment: Any) -> dict[str, Any]:
    """Show the year's OIT readiness, and flag items whose links broke at the latest check."""
    checklist = build_checklist(assessment.agency, assessment.fiscal_year, assessment)
    return {
        "checklist": checklist,
        "agency": assessment.agency,
        "year": assessment.fiscal_year,
        "thai_digits": assessment.agency.thai_digits,
    }
