"""The audit log in the admin: read only, for everyone (SEC-02)."""

from __future__ import annotations

from django.contrib import admin

from guifan.adminkit import ReadOnlyAdmin
from guifan.apps.audit.models import AuditEntry, AuditHead


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin, admin.ModelAdmin[AuditEntry]):
    list_display = ("id", "at", "actor_label", "kind", "action", "object_type", "object_id")
    list_filter = ("kind", "object_type", "action")
    search_fields = ("object_id", "actor_label", "request_id")
    date_hierarchy = "at"
    show_full_result_count = False


@admin.register(AuditHead)
class AuditHeadAdmin(ReadOnlyAdmin, admin.ModelAdmin[AuditHead]):
    list_display = ("seq", "hash")
