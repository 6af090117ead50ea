"""Customer records change only through the audited services (SEC-02): the admin reads."""

from __future__ import annotations

from django.contrib import admin

from guifan.adminkit import ReadOnlyAdmin
from guifan.apps.customers.models import Address, Customer, PhoneReveal


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdmin, admin.ModelAdmin[Customer]):
    # SEC-01: lists show the masked number only.
    list_display = ("name", "masked_phone", "tier", "star_level")
    list_filter = ("tier", "star_level")
    search_fields = ("name",)
    exclude = ("phone",)


@admin.register(Address)
class AddressAdmin(ReadOnlyAdmin, admin.ModelAdmin[Address]):
    list_display = ("text", "area", "customer")
    list_filter = ("area",)
    raw_id_fields = ("customer",)


@admin.register(PhoneReveal)
class PhoneRevealAdmin(ReadOnlyAdmin, admin.ModelAdmin[PhoneReveal]):
    list_display = ("customer", "order", "user", "at")
