"""Field records change only through the services: the admin reads."""

from __future__ import annotations

from django.contrib import admin

from guifan.adminkit import ReadOnlyAdmin
from guifan.apps.fieldwork.models import (
    StepRecord,
    SyncAction,
    VisitPhoto,
    VisitRating,
    VisitSignature,
)


@admin.register(StepRecord)
class StepRecordAdmin(ReadOnlyAdmin, admin.ModelAdmin[StepRecord]):
    list_display = ("order", "norm_id", "outcome", "at", "by")


@admin.register(VisitPhoto)
class VisitPhotoAdmin(ReadOnlyAdmin, admin.ModelAdmin[VisitPhoto]):
    list_display = ("order", "norm_id", "content_type", "size", "at")
    exclude = ("data",)


@admin.register(VisitSignature)
class VisitSignatureAdmin(ReadOnlyAdmin, admin.ModelAdmin[VisitSignature]):
    list_display = ("order", "at", "by")
    exclude = ("png",)


@admin.register(VisitRating)
class VisitRatingAdmin(ReadOnlyAdmin, admin.ModelAdmin[VisitRating]):
    list_display = ("order", "score", "comment", "at")


@admin.register(SyncAction)
class SyncActionAdmin(ReadOnlyAdmin, admin.ModelAdmin[SyncAction]):
    list_display = ("user", "key", "kind", "order_id", "status", "at")
