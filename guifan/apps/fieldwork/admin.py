"""Field records change only through the services: the admin reads."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from guifan.apps.fieldwork.models import (
    StepRecord,
    SyncAction,
    VisitPhoto,
    VisitRating,
    VisitSignature,
)


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(StepRecord)
class StepRecordAdmin(ReadOnly, admin.ModelAdmin[StepRecord]):
    list_display = ("order", "norm_id", "outcome", "at", "by")


@admin.register(VisitPhoto)
class VisitPhotoAdmin(ReadOnly, admin.ModelAdmin[VisitPhoto]):
    list_display = ("order", "norm_id", "content_type", "size", "at")
    exclude = ("data",)


@admin.register(VisitSignature)
class VisitSignatureAdmin(ReadOnly, admin.ModelAdmin[VisitSignature]):
    list_display = ("order", "at", "by")
    exclude = ("png",)


@admin.register(VisitRating)
class VisitRatingAdmin(ReadOnly, admin.ModelAdmin[VisitRating]):
    list_display = ("order", "score", "comment", "at")


@admin.register(SyncAction)
class SyncActionAdmin(ReadOnly, admin.ModelAdmin[SyncAction]):
    list_display = ("user", "key", "kind", "order_id", "status", "at")
