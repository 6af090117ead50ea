from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Permission
from django.http import HttpRequest

from guifan.adminkit import ServiceAdmin
from guifan.apps.accounts.models import ApiToken, User
from guifan.apps.accounts.services import user_save

# Django stores a permission's name in English ("Can add 用户"); its codename says which.
VERBS = {"add": "新增", "change": "修改", "delete": "删除", "view": "查看"}


def permission_label(permission: Permission) -> str:
    """账户与角色 | 用户 | 新增: the app, the model and the verb, each in Chinese."""
    verb, _, _ = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if verb not in VERBS or model is None:
        return str(permission)
    app = apps.get_app_config(model._meta.app_label).verbose_name
    return f"{app} | {model._meta.verbose_name} | {VERBS[verb]}"


class PermissionsField(forms.ModelMultipleChoiceField[Permission]):
    def label_from_instance(self, obj: Any) -> str:
        return permission_label(obj)


@admin.register(User)
class GuifanUserAdmin(ServiceAdmin, UserAdmin):  # type: ignore[type-arg]  # django-stubs: UserAdmin is generic
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("角色", {"fields": ("role",)}))  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user_permissions":
            kwargs["form_class"] = PermissionsField
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        # SEC-02: a role or password set here is audited like one set by ``guifan user``.
        user_save(user=obj, by=request.user if isinstance(request.user, User) else None)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deactivate instead: the person's history keeps pointing at them


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("user", "name", "created_at", "revoked")
    readonly_fields = ("digest", "created_at")
