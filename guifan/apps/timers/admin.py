from __future__ import annotations

from django.contrib import admin

from guifan.apps.timers.models import Timer


@admin.register(Timer)
class TimerAdmin(admin.ModelAdmin[Timer]):
    list_display = ("kind", "norm_id", "due_at", "status", "fired_at", "fired_by", "order_id")
    list_filter = ("status", "kind", "norm_id")
    search_fields = ("key",)
