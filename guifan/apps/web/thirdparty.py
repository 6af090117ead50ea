"""The admin's names for the apps guifan takes from others (django-axes, django-tasks-db).

Their own app configs carry no translatable name, so the admin listed them in English on
Chinese pages. Same apps, same labels (nothing for migrations), names in the page's language.
"""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class Axes(AxesAppConfig):  # type: ignore[misc]  # axes ships no type hints
    verbose_name = _("Login protection")


class Tasks(TasksAppConfig):
    verbose_name = _("Background tasks")  # type: ignore[assignment]  # a lazy str, as Django's
