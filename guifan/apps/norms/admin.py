from __future__ import annotations

from django.contrib import admin

from guifan.apps.norms.models import NormCheck, NormParameter


@admin.register(NormParameter)
class NormParameterAdmin(admin.ModelAdmin[NormParameter]):
    list_display = ("norm_id", "name", "value", "updated_at", "updated_by")
    search_fields = ("norm_id", "name")


@admin.register(NormCheck)
class NormCheckAdmin(admin.ModelAdmin[NormCheck]):
    list_display = ("norm_id", "kept", "at", "order", "area_code", "person", "reason")
    list_filter = ("norm_id", "kept", "area_code")
    raw_id_fields = ("order",)
