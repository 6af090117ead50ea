"""What an on-site visit still lacks, asked by the generic transition without importing the
field app (which depends on orders): the field app registers its answer when Django starts."""

from __future__ import annotations

from collections.abc import Callable

from guifan.apps.orders.models import WorkOrder

# order -> [{"field", "norm", "message"}]: the checklist steps and evidence completion lacks.
Missing = Callable[[WorkOrder], list[dict[str, str]]]
_on_site_missing: list[Missing] = []


def on_site_missing_register(fn: Missing) -> None:
    if fn not in _on_site_missing:
        _on_site_missing.append(fn)


def on_site_missing(order: WorkOrder) -> list[dict[str, str]]:
    return [m for fn in _on_site_missing for m in fn(order)]
