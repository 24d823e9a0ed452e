from __future__ import annotations

import functools
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

PROVINCES_FILE = Path(__file__).parent / "data" / "provinces.yaml"


@functools.cache
def provinces() -> dict[str, str]:
    """Return every province of Thailand with its region, from the reference data file."""
    data = yaml.safe_load(PROVINCES_FILE.read_text(encoding="utf-8"))
    return {p: region["name_th"] for region in data["regions"] for p in region["provinces"]}


def validate_province(value: str) -> None:
    if value not in provinces():
        raise ValidationError(
            _("%(value)s is not a province of Thailand."), params={"value": value}
        )


class AgencyType(models.TextChoices):
    SAO = "sao", "อบต."
    SUBDISTRICT_MUNICIPALITY = "subdistrict_municipality", "เทศบาลตำบล"
    TOWN_MUNICIPALITY = "town_municipality", "เทศบาลเมือง"
    CITY_MUNICIPALITY = "city_municipality", "เทศบาลนคร"
    PAO = "pao", "อบจ."
    GOVERNMENT = "government", "ส่วนราชการ"
    OTHER = "other", "อื่น ๆ"


# The divisions most local administrative organisations have (DOMAIN.md §7); a new agency starts
# with these and its admin adjusts the list.
DEFAULT_UNITS = ("สำนักปลัด", "กองคลัง", "กองช่าง")


class Agency(models.Model):
    """A public agency that takes part in ITA (mostly a local administrative organisation)."""

    name_th = models.CharField(_("official name"), max_length=200)
    agency_type = models.CharField(_("type"), max_length=32, choices=AgencyType.choices)
    province = models.CharField(_("province"), max_length=60, validators=[validate_province])
    district = models.CharField(_("district"), max_length=80, blank=True)
    itas_code = models.CharField(_("ITAS code"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    thai_digits = models.BooleanField(
        _("show numbers in Thai digits"), default=False
    )  # a display preference
    is_demo = models.BooleanField(_("demonstration data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["province", "name_th"]
        constraints = [
            models.UniqueConstraint(
                fields=["itas_code"], condition=~Q(itas_code=""), name="itas_code_unique_when_set"
            )
        ]

    def __str__(self) -> str:
        return self.name_th

    @property
    def place(self) -> str:
        """Return ``อำเภอ… จังหวัด…`` as documents write the address line."""
        parts = []
        if self.district:
            parts.append(f"อำเภอ{self.district}")
        if self.province:
            parts.append(
                self.province if self.province == "กรุงเทพมหานคร" else f"จังหวัด{self.province}"
            )
        return " ".join(parts)


class ResponsibleUnit(models.Model):
    """A division of an agency that can be responsible for measures and evidence."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="units")
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail for reminders"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="unit_name_unique")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("agency admin")
    EDITOR = "editor", _("editor")
    VIEWER = "viewer", _("viewer")


class Membership(models.Model):
    """A user's role in one agency."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "agency"], name="one_role_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.agency} ({self.role})"


class GroupKind(models.TextChoices):
    PROVINCE = "province", _("province")
    DISTRICT = "district", _("district")
    AGENCY_TYPE = "agency_type", _("agency type")
    CUSTOM = "custom", _("custom group")


class AgencyGroup(models.Model):
    """A set of agencies that supervisors follow: by province, district, type, or hand-picked."""

    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(max_length=16, choices=GroupKind.choices)
    province = models.CharField(max_length=60, blank=True, validators=[validate_province])
    district = models.CharField(max_length=80, blank=True)
    agency_type = models.CharField(max_length=32, choices=AgencyType.choices, blank=True)
    members = models.ManyToManyField(Agency, blank=True, related_name="custom_groups")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def agencies(self) -> QuerySet[Agency]:
        """Return the agencies in the group (computed for province, district and type groups)."""
        if self.kind == GroupKind.CUSTOM:
            return self.members.all()
        criteria = Q(province=self.province) if self.province else Q()
        if self.kind == GroupKind.DISTRICT:
            criteria &= Q(district=self.district)
        if self.kind == GroupKind.AGENCY_TYPE:
            criteria &= Q(agency_type=self.agency_type)
        return Agency.objects.filter(criteria)

    def clean(self) -> None:
        needs = {
            GroupKind.PROVINCE: ["province"],
            GroupKind.DISTRICT: ["province", "district"],
            GroupKind.AGENCY_TYPE: ["agency_type"],
        }.get(GroupKind(self.kind), [])
        missing = [f for f in needs if not getattr(self, f)]
        if missing:
            raise ValidationError({f: _("Required for this kind of group.") for f in missing})


class Supervision(models.Model):
    """A supervisor's read-only view of a group of agencies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supervisions"
    )
    group = models.ForeignKey(AgencyGroup, on_delete=models.CASCADE, related_name="supervisors")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "group"], name="one_supervision_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.group}"
