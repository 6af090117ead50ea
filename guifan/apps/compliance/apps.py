from __future__ import annotations

from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "guifan.apps.compliance"
    label = "compliance"
    verbose_name = "服务用语质检"
