"""One case model for the field and the hall (ADR 0020).

A ``Case`` is a customer's dissatisfaction (QA-02), a complaint received in the field (QA-03)
or at a hall (HAL-08). Whoever first received it owns it (first-contact ownership); a promise
(``reply_by``) or a re-contact time (``next_contact_at``) is a durable timer; the timeline is
``CaseEvent``. ``OrderAlert`` is a chaser, complaint risk or hard fault on an order (QA-05).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class CaseKind(models.TextChoices):
    DISSATISFIED = "QA-02", "不满意跟踪"
    FIELD_COMPLAINT = "QA-03", "现场投诉"
    HALL_COMPLAINT = "HAL-08", "厅内投诉"


class CaseChannel(models.TextChoices):
    FIELD = "field", "现场"
    HALL = "hall", "营业厅"


class CaseStatus(models.TextChoices):
    OPEN = "open", "处理中"
    REPLIED = "replied", "已答复"
    ESCALATED = "escalated", "已上报"
    REFERRED = "referred", "已转 10000/96180"
    RESOLVED = "resolved", "客户确认满意"


# The hall's name for the same statuses (HAL-08 closes as replied, escalated or referred).
ComplaintStatus = CaseStatus


class Escalation(models.IntegerChoices):
    NONE = 0, "未升级"
    TEAM = 1, "班组长"
    CENTRE = 2, "服务质量监督中心"


class Case(models.Model):
    """A QA-02 follow-up or a QA-03 / HAL-08 complaint, owned by whoever first received it."""

    kind = models.CharField("类型", max_length=10, choices=CaseKind.choices)
    channel = models.CharField("渠道", max_length=10, choices=CaseChannel.choices)
    source = models.CharField("来源", max_length=20, blank=True)  # rating, signature, callback…
    order = models.ForeignKey(
        "orders.WorkOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="工单",
    )
    hall = models.ForeignKey(
        "hall.Hall",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name="营业厅",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="首问责任人",
    )
    opened_at = models.DateTimeField("受理时间")
    customer_name = models.CharField("客户姓名", max_length=50, blank=True)
    customer_phone = models.CharField("联系电话", max_length=20, blank=True)
    summary = models.TextField("内容")
    dispute = models.BooleanField("已引导至接待室", default=False)
    reply_by = models.DateTimeField("承诺答复时间", null=True, blank=True)
    next_contact_at = models.DateTimeField("下次回访时间", null=True, blank=True)
    missed_contacts = models.PositiveSmallIntegerField("逾期未回访次数", default=0)
    escalation = models.PositiveSmallIntegerField(
        "升级级别", choices=Escalation.choices, default=Escalation.NONE
    )
    steps = models.JSONField("处理步骤", default=list, blank=True)  # QA-03 steps done
    status = models.CharField(
        "状态", max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    outcome = models.TextField("处理结果", blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    confirmed_at = models.DateTimeField("客户确认时间", null=True, blank=True)
    confirmed_by = models.CharField("确认人", max_length=50, blank=True)
    confirmed_via = models.CharField("确认方式", max_length=20, blank=True)
    # The one verdict of the case's norm (None until judged): QA-02 and QA-03 judge once.
    verdict_kept = models.BooleanField("规范结论", null=True, blank=True)

    class Meta:
        verbose_name = "投诉与跟踪"
        verbose_name_plural = "投诉与跟踪"
        ordering = ["-opened_at", "-id"]
        constraints = [
            # One dissatisfaction case per order and source (a repeat signal is the same case).
            models.UniqueConstraint(
                fields=["order", "source"],
                condition=Q(kind="QA-02"),
                name="%(app_label)s_%(class)s_unique_qa02_order_source",
            )
        ]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.id} {self.opened_at:%m-%d %H:%M}"


class HallComplaintManager(models.Manager["HallComplaint"]):
    def get_queryset(self) -> models.QuerySet[HallComplaint]:
        return super().get_queryset().filter(kind=CaseKind.HALL_COMPLAINT)


class HallComplaint(Case):
    """The hall's complaints (HAL-08): the same rows, seen from the hall."""

    objects = HallComplaintManager()  # type: ignore[misc]

    class Meta:
        proxy = True
        verbose_name = "厅内投诉"
        verbose_name_plural = "厅内投诉"


class CaseEvent(models.Model):
    """One line of a case's timeline: opened, contacted, missed, escalated, confirmed, closed."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name="案件"
    )
    at = models.DateTimeField("时间")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    action = models.CharField("动作", max_length=20)
    note = models.TextField("说明", blank=True)
    detail = models.JSONField("明细", default=dict, blank=True)

    class Meta:
        verbose_name = "处理记录"
        verbose_name_plural = "处理记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.at:%m-%d %H:%M}"


class AlertKind(models.TextChoices):
    CHASER = "chaser", "催单"
    COMPLAINT_RISK = "complaint_risk", "投诉倾向"
    HARD_FAULT = "hard_fault", "疑难障碍"


class OrderAlert(models.Model):
    """A chaser, a complaint risk or a hard fault reported on an order (QA-05)."""

    order = models.ForeignKey(
        "orders.WorkOrder", on_delete=models.PROTECT, related_name="alerts", verbose_name="工单"
    )
    kind = models.CharField("类型", max_length=20, choices=AlertKind.choices)
    reported_at = models.DateTimeField("报备时间")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="报备人",
    )
    note = models.TextField("说明", blank=True)
    verdict_kept = models.BooleanField("QA-05 结论", null=True, blank=True)

    class Meta:
        verbose_name = "催单与报备"
        verbose_name_plural = "催单与报备"
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind} {self.reported_at:%m-%d %H:%M}"
