from __future__ import annotations

from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "guifan.apps.fieldwork"
    label = "fieldwork"
    verbose_name = "现场作业"
