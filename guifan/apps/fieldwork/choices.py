"""Stored codes of the field records."""

from __future__ import annotations

from django.db import models


class StepOutcome(models.TextChoices):
    DONE = "done", "已完成"
    SKIPPED = "skipped", "已跳过"


class SyncStatus(models.TextChoices):
    OK = "ok", "成功"
    CONFLICT = "conflict", "冲突"
    ERROR = "error", "错误"
