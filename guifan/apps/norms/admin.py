from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from guifan.apps.accounts.models import User
from guifan.apps.norms.models import NormCheck, NormParameter
from guifan.apps.norms.services import norm_parameter_set


@admin.register(NormParameter)
class NormParameterAdmin(admin.ModelAdmin[NormParameter]):
    """Edits go through ``norm_parameter_set``: checked against the catalog and audited."""

    list_display = ("norm_id", "name", "value", "updated_at", "updated_by")
    search_fields = ("norm_id", "name")
    fields = ("norm_id", "name", "value")

    def save_model(self, request: HttpRequest, obj: NormParameter, form: Any, change: bool) -> None:
        by = request.user if isinstance(request.user, User) else None
        saved = norm_parameter_set(norm_id=obj.norm_id, name=obj.name, value=obj.value, by=by)
        obj.pk = saved.pk

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # back to the default by setting the catalog's value: that is audited too


@admin.register(NormCheck)
class NormCheckAdmin(admin.ModelAdmin[NormCheck]):
    list_display = ("norm_id", "kept", "at", "order", "area_code", "person", "reason")
    list_filter = ("norm_id", "kept", "area_code")
    raw_id_fields = ("order",)
