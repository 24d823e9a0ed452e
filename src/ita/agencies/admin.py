from django.contrib import admin

from ita.agencies.models import Agency, AgencyGroup, Membership, ResponsibleUnit, Supervision


class UnitInline(admin.TabularInline[ResponsibleUnit, Agency]):
    model = ResponsibleUnit
    extra = 0


class MembershipInline(admin.TabularInline[Membership, Agency]):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ["name_th", "agency_type", "province", "district", "itas_code", "is_demo"]
    list_filter = ["agency_type", "province", "is_demo"]
    search_fields = ["name_th", "district", "itas_code"]
    inlines = [UnitInline, MembershipInline]


@admin.register(AgencyGroup)
class AgencyGroupAdmin(admin.ModelAdmin[AgencyGroup]):
    list_display = ["name", "kind", "province", "district", "agency_type"]
    filter_horizontal = ["members"]


@admin.register(Supervision)
class SupervisionAdmin(admin.ModelAdmin[Supervision]):
    list_display = ["user", "group"]
    autocomplete_fields = ["user"]
