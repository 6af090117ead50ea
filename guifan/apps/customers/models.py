"""Customers (real-name, tier, star level) and their addresses."""

from __future__ import annotations

from django.db import models

from guifan.apps.customers.choices import Tier
from guifan.apps.customers.masking import mask_phone


class Customer(models.Model):
    """A real-name customer; the phone is shown masked except where a role needs it (SEC-01)."""

    name = models.CharField("姓名", max_length=50)
    phone = models.CharField("联系电话", max_length=20)
    tier = models.CharField("客户等级", max_length=10, choices=Tier.choices, default=Tier.NORMAL)
    star_level = models.PositiveSmallIntegerField("星级", default=0)
    title = models.CharField("称谓", max_length=10, blank=True, help_text="先生 / 女士 …")

    class Meta:
        verbose_name = "客户"
        verbose_name_plural = "客户"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(star_level__lte=7), name="%(app_label)s_%(class)s_star_0_7"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.masked_phone}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class Address(models.Model):
    """A service address with coordinates, in one service area."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="addresses", verbose_name="客户"
    )
    text = models.CharField("地址", max_length=200)
    lat = models.FloatField("纬度")
    lon = models.FloatField("经度")
    area = models.ForeignKey(
        "workforce.ServiceArea",
        on_delete=models.PROTECT,
        related_name="addresses",
        verbose_name="片区",
    )

    class Meta:
        verbose_name = "地址"
        verbose_name_plural = "地址"

    def __str__(self) -> str:
        return self.text


class PhoneReveal(models.Model):
    """An unmasking of a customer's phone, logged (SEC-01)."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="reveals", verbose_name="客户"
    )
    order = models.ForeignKey(
        "orders.WorkOrder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="工单",
    )
    user = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="查看人"
    )
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "号码查看记录"
        verbose_name_plural = "号码查看记录"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.customer_id} {self.at:%m-%d %H:%M}"
