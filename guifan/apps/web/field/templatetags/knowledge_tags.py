"""``{% knowledge_suggestions order %}``: the visit page's "related fault knowledge" block.

A tag rather than context from the visit view, so that the visit page needs one line and no
change to its view.
"""

from __future__ import annotations

from typing import Any

from django import template

from guifan.apps.knowledge.search import knowledge_suggest
from guifan.apps.orders.models import WorkOrder

register = template.Library()


@register.inclusion_tag("web/field/_knowledge.html")
def knowledge_suggestions(order: WorkOrder) -> dict[str, Any]:
    return {"order": order, "hits": knowledge_suggest(order)}
