"""Views of self-assessment surveys: the public form (``public``), running a campaign
(``manage``), interviews (``interview``) and results with exports (``results``)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from ita.agencies.access import Access, Need, get_agency_for_user
from ita.surveys.models import Campaign


def get_campaign_for_user(
    user: Any, agency_id: int, year: int, tool: str, need: Need = Need.VIEW
) -> tuple[Access, Campaign]:
    """Return the user's access and the campaign; 404 when either is not there for them."""
    access = get_agency_for_user(user, agency_id, need)
    campaign = (
        Campaign.objects.filter(agency=access.agency, fiscal_year=year, tool=tool)
        .select_related("agency", "framework")
        .first()
    )
    if campaign is None:
        raise Http404("no such survey")
    return access, campaign
