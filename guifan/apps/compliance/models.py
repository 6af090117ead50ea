"""Checked transcripts of calls and visits (LNG-01/02/03, APT-09), kept per person and area."""

from __future__ import annotations

from django.db import models


class TranscriptCheck(models.Model):
    """One transcript attached to an order (optionally a contact) or a hall ticket, with its result."""

    order = models.ForeignKey(
        "orders.WorkOrder",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="transcripts",
        verbose_name="工单",
    )
    ticket = models.ForeignKey(
        "hall.Ticket",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="transcripts",
        verbose_name="排队号",
    )
    contact = models.ForeignKey(
        "orders.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transcripts",
        verbose_name="联系记录",
    )
    channel = models.CharField("渠道", max_length=10)
    moment = models.CharField("场景", max_length=30, blank=True)
    turns = models.JSONField("对话")
    person = models.CharField("员工", max_length=60, blank=True)
    area_code = models.CharField("片区", max_length=20, blank=True)
    at = models.DateTimeField("时间")
    findings = models.JSONField("禁语", default=list)
    courtesy = models.JSONField("礼貌用语", default=dict)
    missing = models.JSONField("缺少环节", default=list)
    score = models.PositiveSmallIntegerField("得分")
    language = models.CharField("通话语言", max_length=30, blank=True)
    manner = models.JSONField("称呼·术语·语言", default=dict, blank=True)

    class Meta:
        verbose_name = "对话质检"
        verbose_name_plural = "对话质检"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["area_code", "at"]), models.Index(fields=["person", "at"])]

    def __str__(self) -> str:
        return f"{self.order_id} {self.channel} {self.score}"
