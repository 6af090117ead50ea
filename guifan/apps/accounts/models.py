"""People who log in, their roles, and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "管理员"
    DISPATCHER = "dispatcher", "调度"
    TECHNICIAN = "technician", "装维人员"
    HALL_STAFF = "hall_staff", "营业员"
    DUTY_MANAGER = "duty_manager", "值班经理"
    QUALITY = "quality", "质检"
    SYSTEM = "system", "系统"


class User(AbstractUser):
    """A member of staff (or an integrating system) with one role."""

    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.DISPATCHER)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="用户"
    )
    name = models.CharField("名称", max_length=100)
    digest = models.CharField("摘要", max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间")
    revoked = models.BooleanField("已吊销", default=False)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.user} / {self.name}"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "gf_" + secrets.token_urlsafe(32)
