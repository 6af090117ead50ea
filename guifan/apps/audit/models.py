"""The append-only audit log (SEC-02): one hash-chained row per change or personal-data read."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from guifan.apps.audit.labels import action_label, object_label

GENESIS = "0" * 64


class AuditKind(models.TextChoices):
    CHANGE = "change", "变更"
    READ = "read", "查看个人信息"


class AppendOnlyError(Exception):
    """An audit row was about to be changed or deleted through the ORM."""


class AppendOnlyQuerySet(models.QuerySet["AuditEntry"]):
    """Bulk ``update()``/``delete()`` would bypass ``save``/``delete``: refused too."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("审计记录只可追加，不可修改（SEC-02）")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("审计记录只可追加，不可删除（SEC-02）")


class AuditEntry(models.Model):
    """One change or personal-data read; ``hash`` chains it to the row before (ADR 0012).

    ``id`` is assigned from the head row under its lock, so ids have no gaps: a missing id is
    a deleted row. ``before``/``after`` hold the canonical JSON text that was hashed.
    """

    id = models.BigIntegerField("序号", primary_key=True)
    at = models.DateTimeField("时间", db_index=True)
    # No database constraint and no cascade: the row must outlive the user it names.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    actor_label = models.CharField("操作人标识", max_length=200)
    kind = models.CharField("类别", max_length=10, choices=AuditKind.choices)
    action = models.CharField("动作", max_length=60, db_index=True)
    object_type = models.CharField("对象类型", max_length=60)
    object_id = models.CharField("对象编号", max_length=40, blank=True)
    before = models.TextField("变更前", default="{}")
    after = models.TextField("变更后", default="{}")
    request_id = models.CharField("请求编号", max_length=64, blank=True)
    prev_hash = models.CharField("前一行摘要", max_length=64)
    hash = models.CharField("摘要", max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        what = f"{action_label(self.action)} {object_label(self.object_type)}"
        return f"#{self.id} {what}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("审计记录只可追加，不可修改（SEC-02）")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("审计记录只可追加，不可删除（SEC-02）")


class AuditHead(models.Model):
    """The single row writers lock to append: the last id and hash of the chain.

    ``base_seq``/``base_hash`` name the last row removed by a retention purge (ADR 0038): the
    chain now starts after it, and verification requires the audited purge row that names it.
    """

    id = models.PositiveSmallIntegerField("编号", primary_key=True, default=1)
    seq = models.BigIntegerField("最后序号", default=0)
    hash = models.CharField("最后摘要", max_length=64, default=GENESIS)
    base_seq = models.BigIntegerField("起始前序号", default=0)
    base_hash = models.CharField("起始前摘要", max_length=64, default=GENESIS)

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"
