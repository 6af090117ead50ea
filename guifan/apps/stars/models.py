"""Star customers as the CRM knows them (STAR-01) and their yearly entitlements (STAR-02).

``StarMember`` is one real-name customer (the CRM's key), with the product counts and monthly
growth values the level is computed from; ``LevelChange`` keeps every change of level.
``EntitlementBalance`` is one member's free uses of one benefit in one year, taken under the
member's row lock; ``EntitlementUse`` is the append-only ledger of uses (free or charged).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CertType(models.TextChoices):
    PERSONAL = "personal", "个人证件"
    ENTERPRISE = "enterprise", "政企单位证件"


class Entitlement(models.TextChoices):
    WIRELESS_NETWORKING = "wireless_networking", "无线组网"
    OTHER_TERMINAL_INSTALL = "other_terminal_install", "代装其他终端"
    MOVE = "move", "移机"
    SIM_REPLACEMENT = "sim_replacement", "免费补卡"


class Channel(models.TextChoices):
    COUNTER = "counter", "营业厅柜台"
    VISIT = "visit", "上门服务"


class StarMember(models.Model):
    ref = models.CharField("客户编号", max_length=40, unique=True)
    name = models.CharField("姓名", max_length=50)
    phone = models.CharField("联系电话", max_length=20, db_index=True)
    cert_type = models.CharField(
        "证件类型", max_length=12, choices=CertType.choices, default=CertType.PERSONAL
    )
    mobile = models.PositiveSmallIntegerField("移动产品数", default=0)
    fixed = models.PositiveSmallIntegerField("固话产品数", default=0)
    broadband = models.PositiveSmallIntegerField("宽带产品数", default=0)
    itv = models.PositiveSmallIntegerField("电视产品数", default=0)
    enterprise_broadband = models.PositiveSmallIntegerField("政企宽带数", default=0)
    level = models.PositiveSmallIntegerField("星级", default=0)
    growth = models.PositiveIntegerField("定级成长值", default=0)
    excluded = models.CharField("不参与评级原因", max_length=60, blank=True)
    crm_level = models.PositiveSmallIntegerField("CRM 星级", null=True, blank=True)
    computed_at = models.DateTimeField("评定时间", null=True, blank=True)

    class Meta:
        verbose_name = "星级客户"
        verbose_name_plural = "星级客户"
        ordering = ["ref"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__lte=7), name="%(app_label)s_%(class)s_level_0_7"
            ),
            models.CheckConstraint(
                condition=models.Q(crm_level__lte=7) | models.Q(crm_level__isnull=True),
                name="%(app_label)s_%(class)s_crm_level_0_7",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.level}星"


class GrowthMonth(models.Model):
    member = models.ForeignKey(
        StarMember, on_delete=models.CASCADE, related_name="months", verbose_name="星级客户"
    )
    month = models.DateField("月份")  # the first day of the month
    value = models.PositiveIntegerField("成长值")

    class Meta:
        verbose_name = "月成长值"
        verbose_name_plural = "月成长值"
        constraints = [
            models.UniqueConstraint(
                fields=["member", "month"], name="%(app_label)s_%(class)s_one_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m} {self.value}"


class LevelChange(models.Model):
    member = models.ForeignKey(
        StarMember, on_delete=models.CASCADE, related_name="changes", verbose_name="星级客户"
    )
    at = models.DateTimeField("时间")
    old = models.PositiveSmallIntegerField("原星级")
    new = models.PositiveSmallIntegerField("新星级")
    growth = models.PositiveIntegerField("定级成长值")
    reason = models.CharField("说明", max_length=120, blank=True)

    class Meta:
        verbose_name = "星级变更"
        verbose_name_plural = "星级变更"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.member_id} {self.old}→{self.new}"


class EntitlementBalance(models.Model):
    member = models.ForeignKey(
        StarMember, on_delete=models.CASCADE, related_name="balances", verbose_name="星级客户"
    )
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("权益", max_length=30, choices=Entitlement.choices)
    quota = models.PositiveSmallIntegerField("年度免费次数")
    used = models.PositiveSmallIntegerField("已用次数", default=0)

    class Meta:
        verbose_name = "权益额度"
        verbose_name_plural = "权益额度"
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "kind"], name="%(app_label)s_%(class)s_one_per_year"
            ),
            # The quota holds even if code went wrong.
            models.CheckConstraint(
                condition=models.Q(used__lte=models.F("quota")),
                name="%(app_label)s_%(class)s_within_quota",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year} {self.kind} {self.used}/{self.quota}"


class EntitlementUse(models.Model):
    member = models.ForeignKey(
        StarMember, on_delete=models.PROTECT, related_name="uses", verbose_name="星级客户"
    )
    kind = models.CharField("权益", max_length=30, choices=Entitlement.choices)
    year = models.PositiveSmallIntegerField("年度")
    at = models.DateTimeField("时间")
    free = models.BooleanField("免费")
    consent = models.BooleanField("客户同意付费", default=False)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    order = models.ForeignKey(
        "orders.WorkOrder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entitlement_uses",
        verbose_name="工单",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="办理人"
    )
    key = models.CharField("幂等键", max_length=80, unique=True)
    digest = models.CharField("请求摘要", max_length=64)

    class Meta:
        verbose_name = "权益使用"
        verbose_name_plural = "权益使用"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.member_id} {self.kind} {'免费' if self.free else '付费'}"
