from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "guifan.apps.audit"
    label = "audit"
    verbose_name = "审计日志"
