"""The warnings before assigning by hand live in ``orders.services.assign_checks`` (the
orders API asks them too); the board's dispatch services import them from here."""

from __future__ import annotations

from guifan.apps.orders.services.assign_checks import (
    assign_confirmation_needed,
    on_site,
    reassign_warnings,
)

__all__ = ["assign_confirmation_needed", "on_site", "reassign_warnings"]
