from __future__ import annotations

from django.contrib import admin

from guifan.adminkit import CodeFilter
from guifan.apps.timers.models import Timer
from guifan.apps.timers.registry import LABELS, kind_label


class KindFilter(CodeFilter):
    """The kinds by their Chinese names (the column holds a code)."""

    title = "类型"
    parameter_name = "kind"
    labels = LABELS


@admin.register(Timer)
class TimerAdmin(admin.ModelAdmin[Timer]):
    list_display = ("kind_name", "norm_id", "due_at", "status", "fired_at", "fired_by", "order_id")
    list_filter = ("status", KindFilter, "norm_id")
    search_fields = ("key",)

    @admin.display(description="类型", ordering="kind")
    def kind_name(self, obj: Timer) -> str:
        return kind_label(obj.kind)
