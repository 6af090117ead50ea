"""Orders are changed through services only (SEC-02): the admin reads."""

from __future__ import annotations

from django.contrib import admin

from guifan.adminkit import ReadOnlyAdmin
from guifan.apps.orders.models import Appointment, Contact, Escalation, OrderEvent, WorkOrder


class EventInline(ReadOnlyAdmin, admin.TabularInline[OrderEvent, WorkOrder]):
    model = OrderEvent
    extra = 0
    fields = (
        "at",
        "action",
        "from_status",
        "to_status",
        "actor_label",
        "norm_id",
        "kept",
        "reason",
    )


class AppointmentInline(ReadOnlyAdmin, admin.TabularInline[Appointment, WorkOrder]):
    model = Appointment
    fk_name = "order"
    extra = 0
    fields = (
        "date",
        "half_day",
        "window_start",
        "window_end",
        "status",
        "confirmed_at",
        "technician",
        "planned_arrival",
    )


@admin.register(WorkOrder)
class WorkOrderAdmin(ReadOnlyAdmin, admin.ModelAdmin[WorkOrder]):
    list_display = ("number", "service_type", "kind", "tier", "area", "status", "received_at")
    list_filter = ("status", "service_type", "kind", "tier", "area")
    search_fields = ("number", "intake_key")
    inlines = (AppointmentInline, EventInline)
    exclude = ("request_hash",)


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin, admin.ModelAdmin[Contact]):
    list_display = ("order", "channel", "purpose", "outcome", "at", "by_label")
    list_filter = ("channel", "purpose", "outcome")


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin, admin.ModelAdmin[Escalation]):
    list_display = ("order", "reason_code", "filed_at")
