"""Customer records change only through the audited services (SEC-02): the admin reads."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from guifan.apps.customers.models import Address, Customer, PhoneReveal


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Customer)
class CustomerAdmin(_ReadOnly, admin.ModelAdmin[Customer]):
    # SEC-01: lists show the masked number only.
    list_display = ("name", "masked_phone", "tier", "star_level")
    list_filter = ("tier", "star_level")
    search_fields = ("name",)
    exclude = ("phone",)


@admin.register(Address)
class AddressAdmin(_ReadOnly, admin.ModelAdmin[Address]):
    list_display = ("text", "area", "customer")
    list_filter = ("area",)
    raw_id_fields = ("customer",)


@admin.register(PhoneReveal)
class PhoneRevealAdmin(_ReadOnly, admin.ModelAdmin[PhoneReveal]):
    list_display = ("customer", "order", "user", "at")
