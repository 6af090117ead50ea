"""The audit log in the admin: read only, for everyone (SEC-02)."""

from __future__ import annotations

from django.contrib import admin

from guifan.adminkit import CodeFilter, ReadOnlyAdmin
from guifan.apps.audit.labels import ACTIONS, action_label, object_label, values_label
from guifan.apps.audit.models import AuditEntry, AuditHead


class ActionFilter(CodeFilter):
    """The actions by their Chinese names (the column holds a code)."""

    title = "动作"
    parameter_name = "action"
    labels = ACTIONS


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin, admin.ModelAdmin[AuditEntry]):
    list_display = ("id", "at", "actor_label", "kind", "action_name", "object_name", "object_id")
    list_filter = ("kind", ActionFilter)
    search_fields = ("object_id", "actor_label", "request_id")
    date_hierarchy = "at"
    show_full_result_count = False
    # The row as a person reads it; the stored codes and JSON stay what the chain hashes.
    fields = (
        ("id", "at"),
        ("actor_label", "kind"),
        ("action_name", "object_name", "object_id"),
        "before_values",
        "after_values",
        "request_id",
        "prev_hash",
        "hash",
    )
    readonly_fields = ("action_name", "object_name", "before_values", "after_values")

    @admin.display(description="变更前")
    def before_values(self, obj: AuditEntry) -> str:
        return values_label(obj.object_type, obj.before)

    @admin.display(description="变更后")
    def after_values(self, obj: AuditEntry) -> str:
        return values_label(obj.object_type, obj.after)

    @admin.display(description="动作", ordering="action")
    def action_name(self, obj: AuditEntry) -> str:
        return action_label(obj.action)

    @admin.display(description="对象类型", ordering="object_type")
    def object_name(self, obj: AuditEntry) -> str:
        return object_label(obj.object_type)


@admin.register(AuditHead)
class AuditHeadAdmin(ReadOnlyAdmin, admin.ModelAdmin[AuditHead]):
    list_display = ("seq", "hash")
