"""Editable norm parameters and the ledger of verdicts (every check names its norm)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class NormParameter(models.Model):
    """An edited value of one catalog parameter; absent rows mean the catalog default."""

    norm_id = models.CharField("规范编号", max_length=10)
    name = models.CharField("参数", max_length=60)
    value = models.JSONField("取值")
    updated_at = models.DateTimeField("修改时间")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name="修改人",
    )

    class Meta:
        verbose_name = "规范参数"
        verbose_name_plural = "规范参数"
        constraints = [
            models.UniqueConstraint(
                fields=["norm_id", "name"], name="%(app_label)s_%(class)s_unique_param"
            )
        ]

    def __str__(self) -> str:
        return f"{self.norm_id}.{self.name} = {self.value!r}"


class NormCheck(models.Model):
    """One occasion on which a norm applied, and whether it was kept."""

    norm_id = models.CharField("规范编号", max_length=10, db_index=True)
    kept = models.BooleanField("遵守")
    at = models.DateTimeField("时间")
    order = models.ForeignKey(
        "orders.WorkOrder",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="norm_checks",
        verbose_name="工单",
    )
    area_code = models.CharField("片区", max_length=20, blank=True)
    person = models.CharField("责任人", max_length=60, blank=True)
    reason = models.CharField("说明", max_length=300, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        verbose_name = "规范核查"
        verbose_name_plural = "规范核查"
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["norm_id", "at"]),
            # The drill-down pages a norm's breaches newest first (ADR 0031).
            models.Index(
                fields=["norm_id", "at", "id"],
                condition=models.Q(kept=False),
                name="norms_normcheck_broken_idx",
            ),
            # Refused attempts are a sliver of the ledger; the quality page lists them.
            models.Index(
                fields=["at"],
                condition=models.Q(detail__has_key="refusal"),
                name="norms_normcheck_refusal_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.norm_id} {'遵守' if self.kept else '违反'} {self.at:%m-%d %H:%M}"


class NormDay(models.Model):
    """Checks and kept checks per local day (Asia/Shanghai), at three grains (ADR 0031).

    Written only by the database: triggers on ``NormCheck`` (migration
    ``norms.0002_daily_rollups``) add every inserted check, subtract every deleted one and move
    an updated one, in the writer's transaction, whatever code wrote it. A grain leaves the
    columns it does not keep blank: ``PEOPLE`` rows have no norm, ``NORM`` rows no area or
    person. ``guifan.apps.norms.rollup.norm_days_rebuild`` recomputes the table from the ledger.
    """

    class Grain(models.IntegerChoices):
        FULL = 1, "规范×片区×责任人"
        PEOPLE = 2, "片区×责任人"
        NORM = 3, "规范"

    grain = models.PositiveSmallIntegerField("粒度", choices=Grain.choices)
    day = models.DateField("日期")
    norm_id = models.CharField("规范编号", max_length=10, blank=True)
    area_code = models.CharField("片区", max_length=20, blank=True)
    person = models.CharField("责任人", max_length=60, blank=True)
    checked = models.IntegerField("核查数", default=0)
    kept = models.IntegerField("遵守数", default=0)

    class Meta:
        verbose_name = "规范日汇总"
        verbose_name_plural = "规范日汇总"
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "day", "norm_id", "area_code", "person"],
                name="%(app_label)s_%(class)s_unique_cell",
            )
        ]
        # Covering (PostgreSQL): a scoped page reads its cells from the index alone.
        indexes = [
            models.Index(
                fields=["grain", "area_code", "day"],
                include=["norm_id", "person", "checked", "kept"],
                name="norms_normday_area_idx",
            ),
            models.Index(
                fields=["grain", "person", "day"],
                include=["norm_id", "area_code", "checked", "kept"],
                name="norms_normday_person_idx",
            ),
            # The whole city's page reads the two coarse grains by day: with years of days
            # kept (ADR 0038) it must read only its range's cells, not every person's history.
            models.Index(
                fields=["grain", "day"],
                include=["norm_id", "area_code", "person", "checked", "kept"],
                condition=models.Q(grain__in=[2, 3]),
                name="norms_normday_coarse_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.norm_id or '*'} {self.area_code or '*'} {self.person or '*'}"
