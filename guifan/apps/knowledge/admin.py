"""The knowledge base in the admin, read-only: articles change through data/articles.json and
``knowledge_load`` (so the search index and versions stay right); uses through the visit."""

from __future__ import annotations

from django.contrib import admin

from guifan.adminkit import ReadOnlyAdmin
from guifan.apps.knowledge.models import Article, ArticleStep, ArticleUse


class ArticleStepInline(ReadOnlyAdmin, admin.TabularInline[ArticleStep, Article]):
    model = ArticleStep
    fields = ("position", "text")


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin, admin.ModelAdmin[Article]):
    list_display = ("title", "topic", "fault_type", "version", "updated_at")
    list_filter = ("topic", "fault_type")
    search_fields = ("title", "slug")
    inlines = (ArticleStepInline,)


@admin.register(ArticleUse)
class ArticleUseAdmin(ReadOnlyAdmin, admin.ModelAdmin[ArticleUse]):
    list_display = ("order", "article", "article_version", "by", "at", "helpful")
