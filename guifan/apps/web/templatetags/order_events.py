"""``{% load order_events %}``: an order event's text and time in the page's language."""

from __future__ import annotations

from typing import Any

from django import template

from guifan.apps.orders.models import OrderEvent
from guifan.apps.web.events import event_reason, event_text, event_when
from guifan.apps.web.ledger_text import ledger_reason
from guifan.clock import now

register = template.Library()


@register.filter
def event_what(e: OrderEvent) -> str:
    """The action's label and the reason, e.g. "派工：派工给 ZW0001"."""
    return event_text(e.action, e.reason, e.detail)


@register.filter
def event_time(e: OrderEvent) -> str:
    """ "HH:MM" today (Asia/Shanghai), "MM-DD HH:MM" on another day."""
    return event_when(e.at, now())


@register.filter
def reason_text(reason: str) -> str:
    """A stored reason in the page's language when it is one of the known messages."""
    return event_reason(reason)


@register.filter
def coded_reason(reason: str, message: dict[str, Any] | None) -> str:
    """A ledger row's reason with its code (``{"msg", "args"}``, or a refusal's ``code``), in
    the page's language: ``{{ r.last_reason|coded_reason:r.last_message }}``."""
    message = message or {}
    return ledger_reason(reason, message, norm=str(message.get("rule", "")))
