from __future__ import annotations

from django.apps import AppConfig


class StarsConfig(AppConfig):
    name = "guifan.apps.stars"
    label = "stars"
    verbose_name = "星级客户"

    def ready(self) -> None:
        from guifan.apps.stars import records, timer_handlers  # noqa: F401 - registers timer kinds

        records.install()  # the hall and orders find star records through customers.star_records
