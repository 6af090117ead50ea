"""Work orders, their event log, appointments and the contacts made about them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from guifan.apps.customers.choices import Tier
from guifan.apps.orders import choices as c


class WorkOrder(models.Model):
    """An install / move / repair / care order, from intake to close."""

    number = models.CharField("工单号", max_length=40, unique=True)
    source = models.CharField("来源系统", max_length=40, default="api")
    intake_key = models.CharField("幂等键", max_length=200)
    request_hash = models.CharField("请求摘要", max_length=64)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="orders", verbose_name="客户"
    )
    address = models.ForeignKey(
        "customers.Address", on_delete=models.PROTECT, related_name="orders", verbose_name="地址"
    )
    area = models.ForeignKey(
        "workforce.ServiceArea",
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name="片区",
    )
    service_type = models.CharField("业务", max_length=20, choices=c.ServiceType.choices)
    kind = models.CharField("类型", max_length=10, choices=c.ORDER_KINDS)
    description = models.TextField("故障现象/需求")
    requested_time = models.CharField("客户要求时间", max_length=100)
    tier = models.CharField("客户等级(受理时)", max_length=10, choices=Tier.choices)
    remote_possible = models.BooleanField("可远程处理", default=False)
    # The subscribed bandwidth: VIS-14's speed test is judged against it.
    plan_mbps = models.PositiveIntegerField("签约带宽(Mbps)", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=24, choices=c.Status.choices, default=c.Status.RECEIVED
    )
    received_at = models.DateTimeField("受理时间")
    due_at = models.DateTimeField("修复时限", null=True, blank=True)
    completed_at = models.DateTimeField("完工时间", null=True, blank=True)
    analysis = models.JSONField("预判", default=dict, blank=True)
    technician = models.ForeignKey(
        "workforce.Technician",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name="装维人员",
    )
    version = models.PositiveIntegerField("版本", default=1)
    # ORD-11: the product lines installed in one joint visit (default: the service type).
    products = models.JSONField("产品", default=list, blank=True)
    # ORD-10: a move's old-site removal points at the move (its new-site install).
    linked_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="linked_orders",
        verbose_name="关联工单",
    )

    class Meta:
        verbose_name = "工单"
        verbose_name_plural = "工单"
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "intake_key"], name="%(app_label)s_%(class)s_unique_intake"
            )
        ]
        indexes = [models.Index(fields=["area", "status"]), models.Index(fields=["received_at"])]

    def __str__(self) -> str:
        return self.number

    @property
    def work_type(self) -> str:
        # A removal is the old-site half of a move: those certified for moves do it (ORD-10).
        kind = c.OrderKind.MOVE if self.kind == c.REMOVAL else self.kind
        return f"{self.service_type}_{kind}"

    @property
    def product_lines(self) -> list[str]:
        """ORD-11: the products of the order, its service type first."""
        lines = [str(p) for p in self.products or [] if p != self.service_type]
        return [self.service_type, *lines]


class OrderEvent(models.Model):
    """One lifecycle step, with who, when, why and the norm it kept or broke."""

    order = models.ForeignKey(
        WorkOrder, on_delete=models.CASCADE, related_name="events", verbose_name="工单"
    )
    action = models.CharField("动作", max_length=40)
    from_status = models.CharField("原状态", max_length=24, blank=True)
    to_status = models.CharField("新状态", max_length=24, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name="操作人",
    )
    actor_label = models.CharField("操作方", max_length=60, blank=True)
    at = models.DateTimeField("时间")
    reason = models.CharField("原因", max_length=200, blank=True)
    norm_id = models.CharField("规范", max_length=10, blank=True)
    kept = models.BooleanField("遵守", null=True)
    detail = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        verbose_name = "工单事件"
        verbose_name_plural = "工单事件"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.action} {self.at:%m-%d %H:%M}"


class Appointment(models.Model):
    """A booked visit: a half-day refined to an hour window (APT-01)."""

    order = models.ForeignKey(
        WorkOrder, on_delete=models.CASCADE, related_name="appointments", verbose_name="工单"
    )
    date = models.DateField("上门日期")
    half_day = models.CharField("时段", max_length=2, choices=c.HalfDay.choices)
    window_start = models.DateTimeField("时间窗开始")
    window_end = models.DateTimeField("时间窗结束")
    booked_at = models.DateTimeField("预约时间")
    status = models.CharField(
        "状态",
        max_length=12,
        choices=c.AppointmentStatus.choices,
        default=c.AppointmentStatus.ACTIVE,
    )
    confirmed_at = models.DateTimeField("二次确认时间", null=True, blank=True)
    technician = models.ForeignKey(
        "workforce.Technician",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name="装维人员",
    )
    planned_departure = models.DateTimeField("计划出发", null=True, blank=True)
    planned_arrival = models.DateTimeField("计划到达", null=True, blank=True)
    arrived_at = models.DateTimeField("实际到达", null=True, blank=True)
    replaced_by = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name="改约为",
    )
    change_initiator = models.CharField("改约方", max_length=10, blank=True)
    change_reason = models.CharField("改约原因", max_length=60, blank=True)
    counts_against_team = models.BooleanField("计入班组", default=False)

    class Meta:
        verbose_name = "预约"
        verbose_name_plural = "预约"
        ordering = ["window_start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_end__gt=models.F("window_start")),
                name="%(app_label)s_%(class)s_window_order",
            ),
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(status=c.AppointmentStatus.ACTIVE),
                name="%(app_label)s_%(class)s_one_active_per_order",
            ),
        ]
        indexes = [models.Index(fields=["date", "status"])]

    def __str__(self) -> str:
        return f"{self.order_id} {self.window_start:%m-%d %H:%M}"

    @property
    def window_minutes(self) -> int:
        return int((self.window_end - self.window_start).total_seconds() // 60)


class Contact(models.Model):
    """An outbound call or SMS (or an inbound customer request) about an order."""

    order = models.ForeignKey(
        WorkOrder, on_delete=models.CASCADE, related_name="contacts", verbose_name="工单"
    )
    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name="预约",
    )
    channel = models.CharField("渠道", max_length=10, choices=c.Channel.choices)
    purpose = models.CharField("目的", max_length=20, choices=c.ContactPurpose.choices)
    outcome = models.CharField("结果", max_length=10, choices=c.ContactOutcome.choices)
    at = models.DateTimeField("时间")
    by_label = models.CharField("联系人", max_length=60, blank=True)
    body = models.TextField("内容", blank=True)
    # APT-10: what the booking call confirmed (at-home phone, address, wiring, charges).
    confirmed = models.JSONField("预约确认信息", default=dict, blank=True)

    class Meta:
        verbose_name = "联系记录"
        verbose_name_plural = "联系记录"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["order", "purpose"])]

    def __str__(self) -> str:
        return f"{self.order_id} {self.purpose} {self.outcome}"


class ResourceRegister(models.Model):
    """Missing line / port / equipment for an install or move (ORD-05), for network planning."""

    order = models.OneToOneField(
        WorkOrder, on_delete=models.CASCADE, related_name="resource_register", verbose_name="工单"
    )
    line = models.CharField("线路", max_length=100)
    port_equipment = models.CharField("端口/设备", max_length=100)
    address = models.CharField("地址", max_length=200)
    registered_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "资源缺口登记"
        verbose_name_plural = "资源缺口登记"

    def __str__(self) -> str:
        return f"{self.order_id} {self.line}/{self.port_equipment}"


class BringBackForm(models.Model):
    """The signed bring-back record without which a device may not leave the home (ORD-06)."""

    order = models.OneToOneField(
        WorkOrder, on_delete=models.CASCADE, related_name="bring_back_form", verbose_name="工单"
    )
    device_configuration = models.TextField("机器配置")
    data_backup_confirmed = models.BooleanField("数据已备份")
    exterior_condition = models.TextField("外观检查")
    reason = models.TextField("带回原因")
    customer_signature = models.TextField("客户签字")
    signed_at = models.DateTimeField("签字时间")

    class Meta:
        verbose_name = "带回维修单"
        verbose_name_plural = "带回维修单"

    def __str__(self) -> str:
        return f"{self.order_id} 带回"


class Escalation(models.Model):
    """An escalate-and-report filed before a repair deadline (QA-04)."""

    order = models.ForeignKey(
        WorkOrder, on_delete=models.CASCADE, related_name="escalations", verbose_name="工单"
    )
    reason_code = models.CharField("原因", max_length=40)
    note = models.TextField("说明", blank=True)
    filed_at = models.DateTimeField("报备时间")

    class Meta:
        verbose_name = "升级报备"
        verbose_name_plural = "升级报备"

    def __str__(self) -> str:
        return f"{self.order_id} {self.reason_code}"


class Activation(models.Model):
    """The network side's word that the service is live (ORD-09, ORD-10), recorded once."""

    order = models.OneToOneField(
        WorkOrder, on_delete=models.CASCADE, related_name="activation", verbose_name="工单"
    )
    key = models.CharField("幂等键", max_length=200, unique=True)
    line = models.CharField("线路/账号", max_length=100)
    activated_at = models.DateTimeField("开通时间")
    recorded_at = models.DateTimeField("登记时间")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name="调用方",
    )

    class Meta:
        verbose_name = "开通记录"
        verbose_name_plural = "开通记录"

    def __str__(self) -> str:
        return f"{self.order_id} {self.line}"


class KitCheck(models.Model):
    """The technician's pre-departure checklist for one order (DSP-06)."""

    order = models.ForeignKey(
        WorkOrder, on_delete=models.CASCADE, related_name="kit_checks", verbose_name="工单"
    )
    at = models.DateTimeField("时间")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name="检查人",
    )
    items = models.JSONField("勾选项", default=dict, blank=True)
    missing = models.JSONField("缺项", default=list, blank=True)
    complete = models.BooleanField("齐全", default=False)

    class Meta:
        verbose_name = "出发前自检"
        verbose_name_plural = "出发前自检"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id} {'齐全' if self.complete else '缺项'}"


class VisitCrew(models.Model):
    """One technician of a joint visit (ORD-11); exactly one of a crew is the contact."""

    order = models.ForeignKey(
        WorkOrder, on_delete=models.CASCADE, related_name="crew", verbose_name="工单"
    )
    technician = models.ForeignKey(
        "workforce.Technician",
        on_delete=models.PROTECT,
        related_name="crew_visits",
        verbose_name="装维人员",
    )
    is_contact = models.BooleanField("客户联系人", default=False)
    products = models.JSONField("负责产品", default=list, blank=True)

    class Meta:
        verbose_name = "协同上门人员"
        verbose_name_plural = "协同上门人员"
        constraints = [
            models.UniqueConstraint(
                fields=["order", "technician"], name="%(app_label)s_%(class)s_once_per_order"
            ),
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(is_contact=True),
                name="%(app_label)s_%(class)s_one_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.technician_id}"
