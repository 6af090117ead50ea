from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from guifan.adminkit import ReadOnlyAdmin, ServiceAdmin
from guifan.apps.accounts.models import User
from guifan.apps.audit.services import audit_record
from guifan.apps.hall.devices import device_add, device_rekey, device_revoke
from guifan.apps.hall.models import (
    Counter,
    Hall,
    HallDevice,
    HallPost,
    HallRating,
    Handover,
    Inspection,
    PlaybookRun,
    Region,
    RegionPost,
    Ticket,
    TicketBusiness,
)
from guifan.apps.hall.posts import post_remove, post_set


@admin.register(Hall)
class HallAdmin(admin.ModelAdmin[Hall]):
    list_display = ("code", "name", "level")


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin[Counter]):
    list_display = ("hall", "number", "status", "staff")
    list_filter = ("hall", "status")


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin[Ticket]):
    list_display = ("hall", "day", "code", "status", "issued_at", "started_at", "counter")
    list_filter = ("hall", "day", "status", "category")


@admin.register(TicketBusiness)
class TicketBusinessAdmin(ReadOnlyAdmin, admin.ModelAdmin[TicketBusiness]):
    list_display = ("ticket", "kind", "business", "id_checked", "at", "by")
    list_filter = ("kind",)


@admin.register(Handover)
class HandoverAdmin(admin.ModelAdmin[Handover]):
    list_display = ("counter", "from_user", "to_user", "at")


@admin.register(HallPost)
class HallPostAdmin(ServiceAdmin, admin.ModelAdmin[HallPost]):
    """Posts decide who may act in a hall: every change goes through the audited service."""

    list_display = ("user", "hall", "counter")
    list_filter = ("hall",)
    list_select_related = ("user", "hall", "counter__hall")

    def save_model(self, request: HttpRequest, obj: HallPost, form: Any, change: bool) -> None:
        number = obj.counter.number if obj.counter else None
        saved = post_set(
            user=obj.user, hall_code=obj.hall.code, counter_number=number, by=_by(request)
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: HallPost) -> None:
        post_remove(post=obj, by=_by(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[HallPost]) -> None:
        for post in queryset:
            post_remove(post=post, by=_by(request))


def _by(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@admin.register(PlaybookRun)
class PlaybookRunAdmin(admin.ModelAdmin[PlaybookRun]):
    list_display = ("hall", "kind", "started_at", "closed_at")
    list_filter = ("hall", "kind")


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin[Inspection]):
    list_display = ("hall", "at", "inspector", "score", "broken", "deductions", "bonus")
    list_filter = ("hall",)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ("code", "name")


@admin.register(RegionPost)
class RegionPostAdmin(admin.ModelAdmin[RegionPost]):
    """A region post decides which halls a regional duty manager sees: changes are audited."""

    list_display = ("user", "region")
    list_select_related = ("user", "region")

    def save_model(self, request: HttpRequest, obj: RegionPost, form: Any, change: bool) -> None:
        before = {"region_id": form.initial.get("region")} if change else {}
        super().save_model(request, obj, form, change)
        audit_record(
            actor=_by(request),
            action="region_post.set",
            obj=obj,
            before=before,
            after={"region_id": obj.region_id},
        )

    def delete_model(self, request: HttpRequest, obj: RegionPost) -> None:
        audit_record(
            actor=_by(request),
            action="region_post.remove",
            obj=obj,
            before={"region_id": obj.region_id},
            after={},
        )
        super().delete_model(request, obj)


@admin.register(HallRating)
class HallRatingAdmin(ReadOnlyAdmin, admin.ModelAdmin[HallRating]):
    list_display = ("ticket", "score", "reason", "at")
    list_filter = ("score",)


DEVICE_SHOWN = ["hall", "kind", "name", "active", "created_at", "paired_at", "last_seen"]


@admin.register(HallDevice)
class HallDeviceAdmin(ServiceAdmin, admin.ModelAdmin[HallDevice]):
    """Kiosks, calling screens and rating devices (ADR 0027): added, revoked and re-keyed
    through the audited services; the token is shown once, after saving."""

    list_display = ("name", "hall", "kind", "active", "paired_at", "last_seen")
    list_filter = ("hall", "kind", "active")
    list_select_related = ("hall",)
    actions = ("revoke", "rekey")

    def get_fields(self, request: HttpRequest, obj: HallDevice | None = None) -> Any:
        if obj is None:
            return ["hall", "kind", "name"]
        return DEVICE_SHOWN

    def get_readonly_fields(self, request: HttpRequest, obj: HallDevice | None = None) -> Any:
        return [] if obj is None else DEVICE_SHOWN

    def has_delete_permission(self, request: HttpRequest, obj: HallDevice | None = None) -> bool:
        return False  # revoke instead: the audit keeps the device

    def save_model(self, request: HttpRequest, obj: HallDevice, form: Any, change: bool) -> None:
        if change:
            return
        device, token = device_add(
            hall_code=obj.hall.code, kind=obj.kind, name=obj.name, by=_by(request)
        )
        obj.pk, obj.digest, obj.created_at = device.pk, device.digest, device.created_at
        pair = request.build_absolute_uri(reverse("hall:device-pair"))
        messages.warning(
            request,
            f"设备令牌（只显示这一次，请立即记下）：{token}　配对链接：{pair}#{token}",
        )

    @admin.action(description="停用所选设备（立即生效）")
    def revoke(self, request: HttpRequest, queryset: QuerySet[HallDevice]) -> None:
        for device in queryset:
            device_revoke(device_id=device.id, by=_by(request))
        messages.success(request, f"已停用 {queryset.count()} 台设备")

    @admin.action(description="为所选设备换发新令牌（需重新配对）")
    def rekey(self, request: HttpRequest, queryset: QuerySet[HallDevice]) -> None:
        for device in queryset:
            _, token = device_rekey(device_id=device.id, by=_by(request))
            messages.warning(request, f"{device}：新令牌（只显示这一次）：{token}")
