"""Receivers of the orders signals: the quality centre reacts without orders importing it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.dispatch import receiver

from guifan.apps.accounts.models import User
from guifan.apps.cases.alerts import chasers_judge
from guifan.apps.cases.services import case_open_dissatisfied
from guifan.apps.orders.models import WorkOrder
from guifan.apps.orders.signals import dissatisfied, order_moved


@receiver(dissatisfied, dispatch_uid="cases.dissatisfied")
def on_dissatisfied(
    sender: Any,
    *,
    order: WorkOrder | None,
    source: str,
    reason: str,
    at: dt.datetime,
    by: User | None,
    detail: dict[str, Any] | None = None,
    **kwargs: Any,
) -> None:
    """An unhappy rating (in the field or at a hall's rating device), a refused signature or
    an unhappy callback opens a QA-02 case."""
    hall = kwargs.get("hall")
    if order is not None or hall is not None:
        case_open_dissatisfied(
            order=order, hall=hall, source=source, reason=reason, at=at, by=by, detail=detail
        )


@receiver(order_moved, dispatch_uid="cases.order_moved")
def on_order_moved(
    sender: Any, *, order: WorkOrder, action: str, at: dt.datetime, by: User | None, **kwargs: Any
) -> None:
    """A chased order's visit completed: judge the chaser (QA-05)."""
    if action == "complete":
        chasers_judge(order, at=at, by=by)
