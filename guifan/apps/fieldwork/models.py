"""What the technician records on site, and the offline actions already applied."""

from __future__ import annotations

from django.db import models

from guifan.apps.fieldwork.choices import StepOutcome, SyncStatus


class StepRecord(models.Model):
    """A checklist step done or skipped; append-only, the latest record per norm counts."""

    order = models.ForeignKey(
        "orders.WorkOrder",
        on_delete=models.CASCADE,
        related_name="step_records",
        verbose_name="工单",
    )
    norm_id = models.CharField("规范编号", max_length=10)
    outcome = models.CharField("结果", max_length=10, choices=StepOutcome.choices)
    reason = models.CharField("跳过原因", max_length=200, blank=True)
    # What the norm asks to see (the modem label, the speed test, the work sheet …),
    # validated by guifan.compliance.visit_evidence; personal data is kept masked.
    evidence = models.JSONField("证据", default=dict, blank=True)
    shortfalls = models.JSONField("不足之处", default=list, blank=True)
    # The same shortfalls as reason messages ({"msg", "args"}: guifan.norms.reasons), so a page
    # in English can say them; empty on rows written before the messages existed.
    shortfall_notes = models.JSONField("不足之处（消息编码）", null=True, blank=True)
    # A shortfall of an enforced norm (a failed speed test) stops completion.
    blocks = models.BooleanField("阻止完工", default=False)
    at = models.DateTimeField("时间")
    by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )

    class Meta:
        verbose_name = "现场步骤记录"
        verbose_name_plural = "现场步骤记录"
        ordering = ("at", "id")
        indexes = (models.Index(fields=["order", "norm_id"]),)

    def __str__(self) -> str:
        return f"{self.order_id} {self.norm_id} {self.outcome}"


class VisitPhoto(models.Model):
    """A site photo. Kept in the database: one backup holds the evidence with its order,
    and every app server sees it without a shared media volume."""

    order = models.ForeignKey(
        "orders.WorkOrder", on_delete=models.CASCADE, related_name="photos", verbose_name="工单"
    )
    norm_id = models.CharField("规范编号", max_length=10, blank=True)
    content_type = models.CharField("类型", max_length=40)
    data = models.BinaryField("图片")
    size = models.PositiveIntegerField("字节数")
    at = models.DateTimeField("时间")
    by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="拍摄人"
    )

    class Meta:
        verbose_name = "现场照片"
        verbose_name_plural = "现场照片"
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.order_id} {self.norm_id} {self.size}B"


class VisitSignature(models.Model):
    """The customer's signature drawn on the phone (VIS-18), as PNG."""

    order = models.OneToOneField(
        "orders.WorkOrder", on_delete=models.CASCADE, related_name="signature", verbose_name="工单"
    )
    png = models.BinaryField("签名图片")
    at = models.DateTimeField("时间")
    by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="采集人"
    )

    class Meta:
        verbose_name = "客户签名"
        verbose_name_plural = "客户签名"

    def __str__(self) -> str:
        return f"{self.order_id}"


class VisitRating(models.Model):
    """The customer's rating of the visit (VIS-18), 1–5 with an optional comment."""

    order = models.OneToOneField(
        "orders.WorkOrder", on_delete=models.CASCADE, related_name="rating", verbose_name="工单"
    )
    score = models.PositiveSmallIntegerField("评分")
    comment = models.CharField("意见", max_length=300, blank=True)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "客户评价"
        verbose_name_plural = "客户评价"
        constraints = (
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5),
                name="%(app_label)s_%(class)s_score_1_5",
            ),
        )

    def __str__(self) -> str:
        return f"{self.order_id} {self.score}"


class SyncAction(models.Model):
    """An offline action already applied: a repeated idempotency key gets the first answer."""

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+", verbose_name="用户"
    )
    key = models.CharField("幂等键", max_length=64)
    kind = models.CharField("动作", max_length=20)
    order_id = models.PositiveIntegerField("工单ID", null=True)
    status = models.CharField("结果", max_length=10, choices=SyncStatus.choices)
    message = models.CharField("说明", max_length=300, blank=True)
    version = models.PositiveIntegerField("工单版本", null=True)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "离线同步动作"
        verbose_name_plural = "离线同步动作"
        constraints = (
            models.UniqueConstraint(
                fields=["user", "key"], name="%(app_label)s_%(class)s_user_key"
            ),
        )

    def __str__(self) -> str:
        return f"{self.key} {self.status}"


class PositionConsent(models.Model):
    """Whether a technician shares the phone's position (off until the technician turns it
    on, ADR 0034); no position is accepted without it."""

    technician = models.OneToOneField(
        "workforce.Technician",
        on_delete=models.CASCADE,
        related_name="position_consent",
        verbose_name="装维人员",
    )
    sharing = models.BooleanField("共享位置", default=False)
    changed_at = models.DateTimeField("变更时间")

    class Meta:
        verbose_name = "位置共享授权"
        verbose_name_plural = "位置共享授权"

    def __str__(self) -> str:
        return f"{self.technician_id} {'on' if self.sharing else 'off'}"


class PositionReport(models.Model):
    """The technician's latest accepted position during the shift: one row per technician,
    overwritten by the next report, deleted when sharing stops, so no trail is kept. Only
    the ETA reads it; the customer never sees it (ADR 0034)."""

    technician = models.OneToOneField(
        "workforce.Technician",
        on_delete=models.CASCADE,
        related_name="position",
        verbose_name="装维人员",
    )
    at = models.DateTimeField("定位时间")
    lat = models.FloatField("纬度")
    lon = models.FloatField("经度")
    accuracy = models.FloatField("精度(米)")

    class Meta:
        verbose_name = "位置上报"
        verbose_name_plural = "位置上报"

    def __str__(self) -> str:
        return f"{self.technician_id} {self.at:%H:%M}"
