"""Assessment records: training (STF-04), corrective actions and coaching (QA-08), partner
crews and their sanction ladder (STF-06). Certificates are ``workforce.Certification``."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Training(models.Model):
    """A completed course of the required training (STF-04 ``required_training``)."""

    person = models.CharField("人员", max_length=60, db_index=True)  # badge or username
    course = models.CharField("课程", max_length=80)
    completed_on = models.DateField("完成日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, verbose_name="登记人"
    )

    class Meta:
        verbose_name = "培训记录"
        verbose_name_plural = "培训记录"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "course"], name="%(app_label)s_%(class)s_unique_person_course"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.course}"


class ActionKind(models.TextChoices):
    CORRECTIVE = "corrective", "整改"
    COACHING = "coaching", "辅导"


class ActionStatus(models.TextChoices):
    OPEN = "open", "待整改"
    OVERDUE = "overdue", "已逾期"
    CLOSED = "closed", "已关闭"


class CorrectiveAction(models.Model):
    """A corrective action or coaching for one person, closed by their supervisor."""

    kind = models.CharField("类型", max_length=20, choices=ActionKind.choices)
    person = models.CharField("责任人", max_length=60, db_index=True)  # badge or username
    norm_id = models.CharField("规范编号", max_length=10)
    finding = models.CharField("问题", max_length=300)
    due_on = models.DateField("整改期限")
    status = models.CharField(
        "状态", max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    created_at = models.DateTimeField("创建时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="创建人",
    )
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="关闭人",
    )
    outcome = models.CharField("整改结果", max_length=300, blank=True)

    class Meta:
        verbose_name = "整改与辅导"
        verbose_name_plural = "整改与辅导"
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.person} {self.norm_id} {self.get_status_display()}"


class Partner(models.Model):
    """A partner company whose crews work for the operator (STF-06 sanctions apply)."""

    code = models.CharField("编码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=100)
    terminated = models.BooleanField("已终止合作", default=False)
    technicians = models.ManyToManyField(
        "workforce.Technician", related_name="partners", blank=True, verbose_name="装维人员"
    )

    class Meta:
        verbose_name = "合作单位"
        verbose_name_plural = "合作单位"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Sanction(models.Model):
    """One step of the STF-06 partner sanction ladder, applied for one breach."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="sanctions", verbose_name="合作单位"
    )
    step = models.PositiveSmallIntegerField("档次")  # 1-based index into partner_sanctions
    measure = models.CharField("措施", max_length=40)
    breach = models.CharField("违规事由", max_length=300)
    person = models.CharField("责任人", max_length=60, blank=True)
    at = models.DateTimeField("时间")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, verbose_name="处理人"
    )

    class Meta:
        verbose_name = "合作单位处罚"
        verbose_name_plural = "合作单位处罚"
        ordering = ["partner", "step"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "step"], name="%(app_label)s_%(class)s_unique_partner_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} {self.measure}"
