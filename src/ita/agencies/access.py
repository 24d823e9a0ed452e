"""Who may see and change what: the one access layer every view goes through.

A user sees an agency when they are a system admin, a member of it (admin, editor, viewer), or
a supervisor of a group that contains it (read-only). ``get_agency_for_user`` answers 404 for
an agency the user cannot see at all — so ids of other agencies reveal nothing — and 403 for
one they can see but not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ita.agencies.models import Agency, AgencyGroup, GroupKind, Membership, Role


class Need(IntEnum):
    """What a view needs to do with an agency, in increasing order of trust."""

    VIEW = 1
    EDIT = 2
    ADMIN = 3


_ROLE_RIGHTS = {
    "system": Need.ADMIN,
    Role.ADMIN: Need.ADMIN,
    Role.EDITOR: Need.EDIT,
    Role.VIEWER: Need.VIEW,
    "supervisor": Need.VIEW,
}


@dataclass(frozen=True)
class Access:
    """A user's standing in one agency."""

    agency: Agency
    role: str  # "system", "admin", "editor", "viewer" or "supervisor"

    @property
    def can_edit(self) -> bool:
        return _ROLE_RIGHTS[self.role] >= Need.EDIT

    @property
    def can_admin(self) -> bool:
        return _ROLE_RIGHTS[self.role] >= Need.ADMIN


def _group_criteria(group: AgencyGroup) -> Q:
    if group.kind == GroupKind.CUSTOM:
        return Q(pk__in=group.members.values("pk"))
    criteria = Q(province=group.province) if group.province else Q()
    if group.kind == GroupKind.DISTRICT:
        criteria &= Q(district=group.district)
    if group.kind == GroupKind.AGENCY_TYPE:
        criteria &= Q(agency_type=group.agency_type)
    return criteria


def supervised_criteria(user: Any) -> Q | None:
    """Return the filter of the agencies a user supervises, or None when none."""
    groups = AgencyGroup.objects.filter(supervisors__user=user).prefetch_related("members")
    criteria: Q | None = None
    for group in groups:
        part = _group_criteria(group)
        criteria = part if criteria is None else criteria | part
    return criteria


def visible_agencies(user: Any) -> QuerySet[Agency]:
    """Return every agency the user may see."""
    if not user.is_authenticated:
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    criteria = Q(pk__in=Membership.objects.filter(user=user).values("agency"))
    supervised = supervised_criteria(user)
    if supervised is not None:
        criteria |= supervised
    return Agency.objects.filter(criteria)


def access_to(user: Any, agency: Agency) -> Access | None:
    """Return the user's standing in an agency, or None when they may not see it."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Access(agency, "system")
    membership = Membership.objects.filter(user=user, agency=agency).first()
    if membership is not None:
        return Access(agency, membership.role)
    supervised = supervised_criteria(user)
    if supervised is not None and Agency.objects.filter(supervised, pk=agency.pk).exists():
        return Access(agency, "supervisor")
    return None


def get_agency_for_user(user: Any, agency_id: int, need: Need = Need.VIEW) -> Access:
    """Return the user's access to an agency: 404 when unseen, 403 when the role falls short."""
    agency = Agency.objects.filter(pk=agency_id).first()
    access = access_to(user, agency) if agency is not None else None
    if access is None:
        raise Http404("no such agency")
    if _ROLE_RIGHTS[access.role] < need:
        raise PermissionDenied("your role in this agency does not allow this")
    return access
