"""Which set of agencies a supervision page shows, and who may see it.

A scope is a supervisor's group (``AgencyGroup`` through ``Supervision``) or, for system
administrators only, every agency (``all``). Filters (province, district, type) narrow a scope
and never widen it. ``get_scope_for_user`` answers 404 for a scope the user may not see, as
the agencies' access layer does for agencies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ita.agencies.models import Agency, AgencyGroup, AgencyType, GroupKind, provinces

ALL = "all"


@dataclass(frozen=True)
class Filters:
    """Narrowing of a scope chosen on the page (every part optional)."""

    province: str = ""
    district: str = ""
    agency_type: str = ""

    @classmethod
    def from_query(cls, query: Any) -> Filters:
        """Read the filters of a request's GET parameters; unknown values are ignored."""
        province = str(query.get("province", "")).strip()
        agency_type = str(query.get("type", "")).strip()
        return cls(
            province=province if province in provinces() else "",
            district=str(query.get("district", "")).strip()[:80] if province else "",
            agency_type=agency_type if agency_type in AgencyType.values else "",
        )

    def apply(self, agencies: QuerySet[Agency]) -> QuerySet[Agency]:
        criteria = Q()
        if self.province:
            criteria &= Q(province=self.province)
        if self.district:
            criteria &= Q(district=self.district)
        if self.agency_type:
            criteria &= Q(agency_type=self.agency_type)
        return agencies.filter(criteria) if criteria else agencies

    def query(self) -> dict[str, str]:
        """Return the GET parameters that keep these filters on another page."""
        pairs = {"province": self.province, "district": self.district, "type": self.agency_type}
        return {k: v for k, v in pairs.items() if v}

    @property
    def active(self) -> bool:
        return bool(self.province or self.district or self.agency_type)


@dataclass(frozen=True)
class Scope:
    key: str  # "all" or a group's id, as in the URL
    title: str
    group: AgencyGroup | None
    agencies: QuerySet[Agency] = field(compare=False)

    @property
    def kind(self) -> str:
        return self.group.kind if self.group is not None else ALL

    def narrowed(self, filters: Filters) -> QuerySet[Agency]:
        return filters.apply(self.agencies)


def _group_scope(group: AgencyGroup) -> Scope:
    return Scope(str(group.pk), group.name, group, group.agencies())


def _all_scope() -> Scope:
    return Scope(ALL, _("All agencies"), None, Agency.objects.all())


def scopes_for_user(user: Any) -> list[Scope]:
    """Return the scopes a user may open: their groups; every group and all for system admins."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return [_all_scope(), *(_group_scope(g) for g in AgencyGroup.objects.all())]
    groups = AgencyGroup.objects.filter(supervisors__user=user).distinct()
    return [_group_scope(g) for g in groups]


def get_scope_for_user(user: Any, key: str) -> Scope:
    """Return the scope named in a URL, or 404 when the user may not see it."""
    if not user.is_authenticated:
        raise Http404("no such set of agencies")
    if key == ALL:
        if not user.is_superuser:
            raise Http404("no such set of agencies")
        return _all_scope()
    if not key.isdecimal():
        raise Http404("no such set of agencies")
    groups = AgencyGroup.objects.all()
    if not user.is_superuser:
        groups = groups.filter(supervisors__user=user)
    group = groups.filter(pk=int(key)).first()
    if group is None:
        raise Http404("no such set of agencies")
    return _group_scope(group)


def group_kind_label(kind: str) -> str:
    return str(GroupKind(kind).label) if kind in GroupKind.values else _("All agencies")
