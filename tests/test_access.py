"""The access layer: who sees which agency, and what their role lets them do."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ita.agencies.access import Need, get_agency_for_user, visible_agencies
from ita.agencies.models import AgencyGroup, AgencyType, GroupKind, Supervision
from tests.conftest import World


def names(world: World, user: str) -> set[str]:
    return {a.name_th for a in visible_agencies(world.users[user])}


def test_members_see_only_their_agency(world: World) -> None:
    for user in ("alice", "bob", "carol"):
        assert names(world, user) == {world.a.name_th}
    assert names(world, "dave") == {world.b.name_th}


def test_a_supervisor_sees_the_group_and_nothing_else(world: World) -> None:
    assert names(world, "sam") == {world.b.name_th}
    access = get_agency_for_user(world.users["sam"], world.b.pk)
    assert access.role == "supervisor"
    assert not access.can_edit


def test_a_province_group_follows_the_agencies_of_that_province(world: World) -> None:
    group = AgencyGroup.objects.create(name="เชียงราย", kind=GroupKind.PROVINCE, province="เชียงราย")
    Supervision.objects.create(user=world.users["dave"], group=group)
    assert names(world, "dave") == {world.a.name_th, world.b.name_th}
    group.kind, group.agency_type = GroupKind.AGENCY_TYPE, AgencyType.PAO
    group.save()
    assert names(world, "dave") == {world.b.name_th}


def test_the_system_administrator_sees_everything(world: World) -> None:
    assert names(world, "root") == {world.a.name_th, world.b.name_th}
    assert get_agency_for_user(world.users["root"], world.b.pk, Need.ADMIN).can_admin


@pytest.mark.parametrize(
    ("user", "need", "outcome"),
    [
        ("alice", Need.ADMIN, "ok"),
        ("bob", Need.EDIT, "ok"),
        ("bob", Need.ADMIN, "403"),
        ("carol", Need.VIEW, "ok"),
        ("carol", Need.EDIT, "403"),
        ("dave", Need.VIEW, "404"),
        ("sam", Need.VIEW, "404"),
    ],
)
def test_roles_decide_403_and_unseen_agencies_are_404(
    world: World, user: str, need: Need, outcome: str
) -> None:
    who = world.users[user]
    if outcome == "ok":
        assert get_agency_for_user(who, world.a.pk, need).agency == world.a
    else:
        with pytest.raises(PermissionDenied if outcome == "403" else Http404):
            get_agency_for_user(who, world.a.pk, need)


def test_an_unknown_agency_id_is_404(world: World) -> None:
    with pytest.raises(Http404):
        get_agency_for_user(world.users["root"], 999_999)
