from __future__ import annotations

from django.contrib import admin

from guifan.apps.workforce.models import (
    Certification,
    DispatcherArea,
    ServiceArea,
    Shift,
    Technician,
)


class CertificationInline(admin.TabularInline[Certification, Technician]):
    model = Certification
    extra = 0


@admin.register(ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin[ServiceArea]):
    list_display = ("code", "name", "speed_kmh", "road_factor")


@admin.register(Technician)
class TechnicianAdmin(admin.ModelAdmin[Technician]):
    list_display = ("badge_no", "name", "area", "team", "max_jobs", "active")
    list_filter = ("area", "team", "active")
    search_fields = ("badge_no", "name")
    inlines = (CertificationInline,)


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin[Shift]):
    list_display = ("technician", "date", "start", "end")
    list_filter = ("date",)


@admin.register(DispatcherArea)
class DispatcherAreaAdmin(admin.ModelAdmin[DispatcherArea]):
    list_display = ("user", "area")
    list_filter = ("area",)
    search_fields = ("user__username",)
