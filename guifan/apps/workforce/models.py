"""Service areas and the technicians who work them: certifications (DSP-05) and shifts."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ServiceArea(models.Model):
    """A dispatch unit (装维片区) with its travel assumptions."""

    code = models.CharField("编码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=100)
    lat = models.FloatField("纬度")
    lon = models.FloatField("经度")
    speed_kmh = models.FloatField("平均车速(公里/时)", default=25.0)
    road_factor = models.FloatField("道路系数", default=1.3)

    class Meta:
        verbose_name = "服务片区"
        verbose_name_plural = "服务片区"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Technician(models.Model):
    """A field technician (装维人员 / 服务工程师)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="technician",
        verbose_name="登录账号",
    )
    name = models.CharField("姓名", max_length=50)
    badge_no = models.CharField("工号", max_length=20, unique=True)
    phone = models.CharField("电话", max_length=20)
    area = models.ForeignKey(
        ServiceArea, on_delete=models.PROTECT, related_name="technicians", verbose_name="片区"
    )
    team = models.CharField("班组", max_length=40, blank=True)
    home_lat = models.FloatField("出发点纬度")
    home_lon = models.FloatField("出发点经度")
    max_jobs = models.PositiveSmallIntegerField("每日最多工单", default=8)
    active = models.BooleanField("在岗", default=True)

    class Meta:
        verbose_name = "装维人员"
        verbose_name_plural = "装维人员"
        ordering = ["badge_no"]

    def __str__(self) -> str:
        return f"{self.name}({self.badge_no})"


class Certification(models.Model):
    """A technician's certification for one work type (DSP-05, STF-04)."""

    technician = models.ForeignKey(
        Technician, on_delete=models.CASCADE, related_name="certifications", verbose_name="装维人员"
    )
    work_type = models.CharField("工种", max_length=40)
    issued_on = models.DateField("发证日期", null=True, blank=True)
    valid_until = models.DateField("有效期至")

    class Meta:
        verbose_name = "资格认证"
        verbose_name_plural = "资格认证"
        constraints = [
            models.UniqueConstraint(
                fields=["technician", "work_type"], name="%(app_label)s_%(class)s_unique_tech_type"
            ),
            # STF-04: a certificate cannot expire before it was issued.
            models.CheckConstraint(
                condition=models.Q(issued_on__isnull=True)
                | models.Q(valid_until__gte=models.F("issued_on")),
                name="%(app_label)s_%(class)s_valid_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.technician} · {self.work_type}"


class Shift(models.Model):
    """One day's working hours of a technician (local time, Asia/Shanghai)."""

    technician = models.ForeignKey(
        Technician, on_delete=models.CASCADE, related_name="shifts", verbose_name="装维人员"
    )
    date = models.DateField("日期")
    start = models.TimeField("上班")
    end = models.TimeField("下班")
    break_start = models.TimeField("午休最早", null=True, blank=True)
    break_end = models.TimeField("午休最晚", null=True, blank=True)
    break_minutes = models.PositiveSmallIntegerField("午休分钟", default=0)

    class Meta:
        verbose_name = "班次"
        verbose_name_plural = "班次"
        constraints = [
            models.UniqueConstraint(
                fields=["technician", "date"], name="%(app_label)s_%(class)s_unique_tech_day"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="%(app_label)s_%(class)s_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.technician} {self.date} {self.start:%H:%M}-{self.end:%H:%M}"


class DispatcherArea(models.Model):
    """A service area a dispatcher works: the dispatcher sees and acts on its orders only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="dispatch_areas",
        verbose_name="调度员",
    )
    area = models.ForeignKey(
        ServiceArea, on_delete=models.CASCADE, related_name="dispatchers", verbose_name="片区"
    )

    class Meta:
        verbose_name = "调度片区"
        verbose_name_plural = "调度片区"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "area"], name="%(app_label)s_%(class)s_unique_user_area"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.area}"
