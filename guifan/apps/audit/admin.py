"""The audit log in the admin: read only, for everyone (SEC-02)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from guifan.apps.audit.models import AuditEntry, AuditHead


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(_ReadOnly, admin.ModelAdmin[AuditEntry]):
    list_display = ("id", "at", "actor_label", "kind", "action", "object_type", "object_id")
    list_filter = ("kind", "object_type", "action")
    search_fields = ("object_id", "actor_label", "request_id")
    date_hierarchy = "at"
    show_full_result_count = False


@admin.register(AuditHead)
class AuditHeadAdmin(_ReadOnly, admin.ModelAdmin[AuditHead]):
    list_display = ("seq", "hash")
