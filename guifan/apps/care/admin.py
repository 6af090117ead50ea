"""Care agreements change only through the services (audited, SEC-02): the admin reads."""

from __future__ import annotations

from django.contrib import admin

from guifan.adminkit import ReadOnlyAdmin
from guifan.apps.care.models import CareVisit, ServiceAgreement


@admin.register(ServiceAgreement)
class ServiceAgreementAdmin(ReadOnlyAdmin, admin.ModelAdmin[ServiceAgreement]):
    list_display = ("id", "customer", "area", "every_weeks", "weekday", "half_day", "next_date")
    list_filter = ("area", "active")


@admin.register(CareVisit)
class CareVisitAdmin(ReadOnlyAdmin, admin.ModelAdmin[CareVisit]):
    list_display = ("agreement", "sequence", "date", "half_day", "order", "feedback_at")
