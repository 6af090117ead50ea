from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from guifan.adminkit import ServiceAdmin
from guifan.apps.accounts.models import User
from guifan.apps.norms.models import NormCheck, NormParameter
from guifan.apps.norms.services import norm_parameter_set
from guifan.norms import norm_get


def _norm_title(norm_id: str) -> str:
    try:
        return norm_get(norm_id).title_zh
    except KeyError:
        return ""


def _param_label(norm_id: str, name: str) -> str:
    try:
        return norm_get(norm_id).param(name).label_zh
    except KeyError:
        return ""


@admin.register(NormParameter)
class NormParameterAdmin(ServiceAdmin, admin.ModelAdmin[NormParameter]):
    """Edits go through ``norm_parameter_set``: checked against the catalog and audited."""

    list_display = ("norm_id", "title_zh", "name", "label_zh", "value", "updated_at", "updated_by")
    search_fields = ("norm_id", "name")
    fields = ("norm_id", "name", "value")

    # The msgids are the web catalogs' (规范 / 参数); Django merges every app's catalog.
    @admin.display(description=_("Norm"))
    def title_zh(self, obj: NormParameter) -> str:
        return _norm_title(obj.norm_id)

    @admin.display(description=_("Parameter"))
    def label_zh(self, obj: NormParameter) -> str:
        return _param_label(obj.norm_id, obj.name)

    def save_model(self, request: HttpRequest, obj: NormParameter, form: Any, change: bool) -> None:
        by = request.user if isinstance(request.user, User) else None
        saved = norm_parameter_set(norm_id=obj.norm_id, name=obj.name, value=obj.value, by=by)
        obj.pk = saved.pk

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # back to the default by setting the catalog's value: that is audited too


@admin.register(NormCheck)
class NormCheckAdmin(admin.ModelAdmin[NormCheck]):
    list_display = ("norm_id", "title_zh", "kept", "at", "order", "area_code", "person", "reason")
    list_filter = ("norm_id", "kept", "area_code")
    raw_id_fields = ("order",)

    @admin.display(description=_("Norm"))
    def title_zh(self, obj: NormCheck) -> str:
        return _norm_title(obj.norm_id)
