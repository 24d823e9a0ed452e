"""Agency pages: first start, creating agencies, settings, people, and the change log."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from ita.agencies.models import Agency, Membership, Role
from ita.audit.models import AuditEvent
from tests.conftest import World


@pytest.mark.django_db
def test_an_empty_installation_asks_for_the_administrator_first() -> None:
    client = Client()
    assert client.get("/").url == reverse("setup")  # type: ignore[attr-defined]
    response = client.post(
        reverse("setup"),
        {
            "username": "admin",
            "email": "",
            "password1": "a long passphrase 2568",
            "password2": "a long passphrase 2568",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("agency-create")
    assert get_user_model().objects.get(username="admin").is_superuser
    assert Client().get(reverse("setup")).status_code == 404  # never again


@pytest.mark.django_db
def test_the_first_start_refuses_a_weak_or_mismatched_password() -> None:
    response = Client().post(
        reverse("setup"), {"username": "admin", "password1": "1234", "password2": "1234"}
    )
    assert response.status_code == 200
    assert not get_user_model().objects.exists()
    response = Client().post(
        reverse("setup"),
        {"username": "admin", "password1": "a long passphrase", "password2": "another one"},
    )
    assert "รหัสผ่านทั้งสองช่องไม่ตรงกัน" in response.content.decode()


def test_a_system_administrator_creates_an_agency_with_default_units(world: World) -> None:
    response = world.client("root").post(
        reverse("agency-create"),
        {"name_th": "เทศบาลเมืองใหม่", "agency_type": "town_municipality", "province": "น่าน",
         "district": "เมืองน่าน", "units": "สำนักปลัด\nกองคลัง\n\nกองคลัง\n- กองช่าง"},
    )  # fmt: skip
    agency = Agency.objects.get(name_th="เทศบาลเมืองใหม่")
    assert response["Location"] == reverse("agency", kwargs={"agency_id": agency.pk})
    assert [u.name for u in agency.units.all()] == ["สำนักปลัด", "กองคลัง", "กองช่าง"]
    assert agency.units.get(name="กองคลัง").email == ""
    assert AuditEvent.objects.filter(agency=agency, action="agency.created").exists()


def test_a_province_that_does_not_exist_is_refused(world: World) -> None:
    response = world.client("alice").post(
        reverse("agency-settings", kwargs={"agency_id": world.a.pk}),
        {"name_th": world.a.name_th, "agency_type": "sao", "province": "แอตแลนติส"},
    )
    assert response.status_code == 200
    world.a.refresh_from_db()
    assert world.a.province == "เชียงราย"


def test_settings_changes_are_saved_and_logged(world: World) -> None:
    world.client("alice").post(
        reverse("agency-settings", kwargs={"agency_id": world.a.pk}),
        {"name_th": world.a.name_th, "agency_type": "sao", "province": "เชียงราย", "district": "แม่จัน",
         "website": "www.example.go.th", "thai_digits": "on", "units": "สำนักปลัด\nกองช่าง | works@example.go.th"},
    )  # fmt: skip
    world.a.refresh_from_db()
    assert world.a.website == "https://www.example.go.th"
    assert world.a.thai_digits is True
    event = AuditEvent.objects.get(agency=world.a, action="agency.updated")
    assert event.changes["units"] == [[], [["สำนักปลัด", ""], ["กองช่าง", "works@example.go.th"]]]


def test_an_admin_adds_a_new_person_with_a_role(world: World) -> None:
    people = reverse("people", kwargs={"agency_id": world.a.pk})
    world.client("alice").post(
        people,
        {
            "username": "erin",
            "role": "editor",
            "full_name": "เอริน",
            "password": "a long passphrase 2568",
        },
    )
    erin = get_user_model().objects.get(username="erin")
    assert Membership.objects.get(user=erin, agency=world.a).role == Role.EDITOR
    assert Client().login(username="erin", password="a long passphrase 2568")


def test_adding_an_unknown_username_without_a_password_says_what_to_do(world: World) -> None:
    response = world.client("alice").post(
        reverse("people", kwargs={"agency_id": world.a.pk}), {"username": "zoe", "role": "viewer"}
    )
    assert "ยังไม่มีบัญชีชื่อ zoe" in response.content.decode()
    assert not get_user_model().objects.filter(username="zoe").exists()


def test_the_last_admin_cannot_be_demoted_or_removed(world: World) -> None:
    alice = Membership.objects.get(user=world.users["alice"], agency=world.a)
    client = world.client("alice")
    client.post(
        reverse("change-role", kwargs={"agency_id": world.a.pk, "membership_id": alice.pk}),
        {"role": "viewer"},
    )
    client.post(
        reverse("remove-person", kwargs={"agency_id": world.a.pk, "membership_id": alice.pk})
    )
    alice.refresh_from_db()
    assert alice.role == Role.ADMIN


def test_removing_a_person_asks_first_then_logs_it(world: World) -> None:
    carol = Membership.objects.get(user=world.users["carol"], agency=world.a)
    url = reverse("remove-person", kwargs={"agency_id": world.a.pk, "membership_id": carol.pk})
    client = world.client("alice")
    page = client.get(url).content.decode()
    assert "นำบทบาทของ carol ออกจากหน่วยงานนี้หรือไม่" in page
    assert Membership.objects.filter(pk=carol.pk).exists()
    client.post(url)
    assert not Membership.objects.filter(pk=carol.pk).exists()
    assert AuditEvent.objects.filter(agency=world.a, action="member.removed").exists()


def test_the_change_log_is_for_agency_admins(world: World) -> None:
    url = reverse("audit-log", kwargs={"agency_id": world.a.pk})
    assert world.client("alice").get(url).status_code == 200
    assert world.client("bob").get(url).status_code == 403


def test_one_agency_goes_straight_to_its_page_and_several_to_the_list(world: World) -> None:
    assert world.client("bob").get("/")["Location"] == reverse(
        "agency", kwargs={"agency_id": world.a.pk}
    )
    assert world.client("root").get("/").status_code == 200
