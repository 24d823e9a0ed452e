"""Views of one agency's assessment of one fiscal year."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from ita.agencies.access import Access, Need, get_agency_for_user
from ita.assessments.models import Assessment


def get_assessment_for_user(
    user: Any, agency_id: int, year: int, need: Need = Need.VIEW
) -> tuple[Access, Assessment]:
    """Return the user's access and the assessment; 404 when either is not there for them."""
    access = get_agency_for_user(user, agency_id, need)
    assessment = (
        Assessment.objects.filter(agency=access.agency, fiscal_year=year)
        .select_related("framework", "agency")
        .first()
    )
    if assessment is None:
        raise Http404("no assessment for this year")
    return access, assessment
