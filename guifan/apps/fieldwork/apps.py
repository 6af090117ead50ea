from __future__ import annotations

from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "guifan.apps.fieldwork"
    label = "fieldwork"
    verbose_name = "现场作业"

    def ready(self) -> None:
        # The generic transition asks what an on-site visit lacks (orders cannot import us).
        from guifan.apps.fieldwork.services.steps import missing_for_completion
        from guifan.apps.orders.services.guards import on_site_missing_register

        on_site_missing_register(missing_for_completion)
        # The last-mile SMS timer (ADR 0034).
        from guifan.apps.fieldwork.services import eta  # noqa: F401 - registers timer kinds
