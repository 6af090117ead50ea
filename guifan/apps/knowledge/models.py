"""Fault knowledge: articles with ordered steps, the work types they fit, their search text
and each use on a visit."""

from __future__ import annotations

from django.db import models

from guifan.apps.accounts.models import User
from guifan.apps.knowledge.choices import FaultType, Topic
from guifan.apps.orders.choices import OrderKind, ServiceType
from guifan.apps.orders.models import WorkOrder


class Article(models.Model):
    """A knowledge article. ``slug`` is its stable key in the seed file (the loader upserts by
    it); ``version`` goes up whenever its text changes."""

    slug = models.SlugField("标识", max_length=80, unique=True)
    title = models.CharField("标题", max_length=120)
    topic = models.CharField("主题", max_length=20, choices=Topic.choices)
    fault_type = models.CharField(
        "故障类型", max_length=20, choices=FaultType.choices, blank=True, default=""
    )
    symptoms = models.TextField("现象", blank=True, default="")
    summary = models.TextField("要点")
    keywords = models.CharField("关键词", max_length=300, blank=True, default="")
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "知识文章"
        verbose_name_plural = "知识文章"
        ordering = ("id",)

    def __str__(self) -> str:
        return self.title


class ArticleStep(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="steps", verbose_name="文章"
    )
    position = models.PositiveSmallIntegerField("序号")
    text = models.TextField("步骤")

    class Meta:
        verbose_name = "处理步骤"
        verbose_name_plural = "处理步骤"
        ordering = ("article", "position")
        constraints = [
            models.UniqueConstraint(
                fields=("article", "position"), name="%(app_label)s_%(class)s_unique_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article_id}.{self.position}"


class ArticleWorkType(models.Model):
    """A work type the article fits; a blank ``kind`` fits every kind of that service."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="work_types", verbose_name="文章"
    )
    service_type = models.CharField("业务", max_length=20, choices=ServiceType.choices)
    kind = models.CharField(
        "类型", max_length=10, choices=OrderKind.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = "适用工单类型"
        verbose_name_plural = "适用工单类型"
        constraints = [
            models.UniqueConstraint(
                fields=("article", "service_type", "kind"),
                name="%(app_label)s_%(class)s_unique_work_type",
            )
        ]
        indexes = [models.Index(fields=("service_type", "kind"))]

    def __str__(self) -> str:
        return f"{self.service_type}_{self.kind or '*'}"


class ArticleIndex(models.Model):
    """The article's text cut into words by jieba, space-separated, for the full-text engine:
    SQLite keeps an FTS5 table in step with this one by triggers, PostgreSQL a generated
    tsvector column with a GIN index (migration 0002, ADR 0014)."""

    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="index",
        verbose_name="知识条目",
    )
    title = models.TextField("标题分词")
    body = models.TextField("正文分词")

    class Meta:
        verbose_name = "检索索引"
        verbose_name_plural = "检索索引"

    def __str__(self) -> str:
        return f"index {self.article_id}"


class ArticleUse(models.Model):
    """An article used on a visit: one row per order, article and person; a repeat updates
    ``at`` and ``helpful`` (the phone may resend)."""

    order = models.ForeignKey(
        WorkOrder, on_delete=models.CASCADE, related_name="article_uses", verbose_name="工单"
    )
    article = models.ForeignKey(
        Article, on_delete=models.PROTECT, related_name="uses", verbose_name="文章"
    )
    article_version = models.PositiveIntegerField("文章版本")
    by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="使用人"
    )
    at = models.DateTimeField("时间")
    helpful = models.BooleanField("有帮助", null=True)

    class Meta:
        verbose_name = "文章使用记录"
        verbose_name_plural = "文章使用记录"
        constraints = [
            models.UniqueConstraint(
                fields=("order", "article", "by"), name="%(app_label)s_%(class)s_unique_use"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order_id} / {self.article_id}"
