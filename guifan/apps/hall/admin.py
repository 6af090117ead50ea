from __future__ import annotations

from django.contrib import admin

from guifan.apps.hall.models import (
    Counter,
    Hall,
    HallComplaint,
    HallPost,
    Handover,
    Inspection,
    PlaybookRun,
    Ticket,
)


@admin.register(Hall)
class HallAdmin(admin.ModelAdmin[Hall]):
    list_display = ("code", "name", "level")


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin[Counter]):
    list_display = ("hall", "number", "status", "staff")
    list_filter = ("hall", "status")


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin[Ticket]):
    list_display = ("hall", "day", "code", "status", "issued_at", "started_at", "counter")
    list_filter = ("hall", "day", "status", "category")


@admin.register(Handover)
class HandoverAdmin(admin.ModelAdmin[Handover]):
    list_display = ("counter", "from_user", "to_user", "at")


@admin.register(HallPost)
class HallPostAdmin(admin.ModelAdmin[HallPost]):
    list_display = ("user", "hall", "counter")
    list_filter = ("hall",)
    list_select_related = ("user", "hall", "counter__hall")


@admin.register(PlaybookRun)
class PlaybookRunAdmin(admin.ModelAdmin[PlaybookRun]):
    list_display = ("hall", "kind", "started_at", "closed_at")
    list_filter = ("hall", "kind")


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin[Inspection]):
    list_display = ("hall", "at", "inspector", "score", "broken", "deductions", "bonus")
    list_filter = ("hall",)


@admin.register(HallComplaint)
class HallComplaintAdmin(admin.ModelAdmin[HallComplaint]):
    list_display = ("hall", "received_at", "owner", "status", "reply_by")
    list_filter = ("hall", "status")
    exclude = ("customer_phone",)  # SEC-01: the admin list and form never show the number
