from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from guifan.apps.accounts.models import ApiToken, User


@admin.register(User)
class GuifanUserAdmin(UserAdmin):  # type: ignore[type-arg]  # django-stubs: UserAdmin is generic
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("角色", {"fields": ("role",)}))  # type: ignore[misc]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("user", "name", "created_at", "revoked")
    readonly_fields = ("digest", "created_at")
