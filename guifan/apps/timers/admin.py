from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from guifan.apps.timers.models import Timer
from guifan.apps.timers.registry import LABELS, kind_label


class KindFilter(admin.SimpleListFilter):
    """The kinds by their Chinese names (the column holds a code)."""

    title = "类型"
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return sorted(LABELS.items(), key=lambda kv: kv[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Timer)
class TimerAdmin(admin.ModelAdmin[Timer]):
    list_display = ("kind_name", "norm_id", "due_at", "status", "fired_at", "fired_by", "order_id")
    list_filter = ("status", KindFilter, "norm_id")
    search_fields = ("key",)

    @admin.display(description="类型", ordering="kind")
    def kind_name(self, obj: Timer) -> str:
        return kind_label(obj.kind)
