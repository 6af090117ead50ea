from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from guifan.adminkit import ServiceAdmin
from guifan.apps.accounts.models import ApiToken, User
from guifan.apps.accounts.services import user_save


@admin.register(User)
class GuifanUserAdmin(ServiceAdmin, UserAdmin):  # type: ignore[type-arg]  # django-stubs: UserAdmin is generic
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("角色", {"fields": ("role",)}))  # type: ignore[misc]

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        # SEC-02: a role or password set here is audited like one set by ``guifan user``.
        user_save(user=obj, by=request.user if isinstance(request.user, User) else None)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deactivate instead: the person's history keeps pointing at them


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("user", "name", "created_at", "revoked")
    readonly_fields = ("digest", "created_at")
