"""Levels and entitlements change only through the CRM import and the services: the admin
reads (STAR-01: a level is never typed in)."""

from __future__ import annotations

from django.contrib import admin

from guifan.adminkit import ReadOnlyAdmin
from guifan.apps.stars.models import EntitlementBalance, EntitlementUse, LevelChange, StarMember


@admin.register(StarMember)
class StarMemberAdmin(ReadOnlyAdmin, admin.ModelAdmin[StarMember]):
    list_display = ("ref", "name", "level", "growth", "excluded", "computed_at")
    list_filter = ("level",)
    search_fields = ("ref",)
    exclude = ("phone",)


@admin.register(LevelChange)
class LevelChangeAdmin(ReadOnlyAdmin, admin.ModelAdmin[LevelChange]):
    list_display = ("member", "at", "old", "new", "reason")


@admin.register(EntitlementBalance)
class EntitlementBalanceAdmin(ReadOnlyAdmin, admin.ModelAdmin[EntitlementBalance]):
    list_display = ("member", "year", "kind", "quota", "used")
    list_filter = ("year", "kind")


@admin.register(EntitlementUse)
class EntitlementUseAdmin(ReadOnlyAdmin, admin.ModelAdmin[EntitlementUse]):
    list_display = ("member", "kind", "year", "at", "free", "channel")
    list_filter = ("kind", "free", "channel")
