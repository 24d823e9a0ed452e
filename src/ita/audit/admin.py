from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ita.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """The audit log, read-only: events are written by the application, never edited."""

    list_display = ["at", "username", "agency", "action", "summary"]
    list_filter = ["action"]
    search_fields = ["username", "summary", "object_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
